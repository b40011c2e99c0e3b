from __future__ import annotations

import csv
import io
import json
from datetime import UTC, datetime
from pathlib import Path

import openpyxl
import pytest

from arkivlucka.cli import cli
from arkivlucka.core.context import RunContext
from arkivlucka.core.errors import RegisterError
from arkivlucka.register.losses import LossQuery, parse_when
from arkivlucka.register.pipeline import describe_recorded
from arkivlucka.register.service import creator_losses, query_losses
from support.register_fixtures import write_incident

CTX = RunContext(
    created=datetime(2024, 3, 1, 9, tzinfo=UTC), tool_version="test", by_role="kommunarkivarie"
)
SN = {"name": "Socialnämnden", "department": "Socialförvaltningen"}
KS = {"name": "Kommunstyrelsen", "department": "Kommunledningsförvaltningen"}
PAY = [
    {"id": "lon", "title": "Lönespecifikationer", "record_type": "Lönespecifikation",
     "period": {"start": 2021, "end": 2022}, "extent": "complete", "system": "Personec",
     "process": "2.2.1"},
    {"id": "tid", "title": "Tidrapporter", "record_type": "Tidrapport",
     "period": {"start": "2019-05", "end": "2019-12"}, "extent": "partial", "system": "Personec",
     "process": "3.1"},
    {"id": "okand", "title": "Reseräkningar", "record_type": "Reseräkning", "extent": "unknown",
     "system": "Personec", "process": "3.1"},
    {"id": "efter", "title": "Frånvaroanmälningar", "record_type": "Frånvaroanmälan",
     "period": {"start": 2020, "text": "efter 2019"}, "extent": "partial", "system": "Personec",
     "process": "3.1"},
]  # fmt: skip
SYSTEMS = [{"name": "Personec", "supplier": "Evry"}]
EXTRACTS = [{"title": "Uttag av lönelistor", "period": {"start": 2021, "end": 2021},
             "kept_in": "Platina", "series": "Socialnämndens serie G1"}]  # fmt: skip


@pytest.fixture
def filled(db: str, tmp_path: Path) -> str:
    """Three incidents: the Digframe sample (Kommunstyrelsen), a Personec loss (both boards)."""
    for n, creators, extra in (
        (1, [KS], {}),
        (2, [SN, KS], {"lost_records": PAY, "systems": SYSTEMS, "extracts": EXTRACTS,
                       "processes": [{"code": "2.2.1"}, {"code": "3.1", "title": "Lön"}]}),
    ):  # fmt: skip
        path = write_incident(tmp_path, n, creators=creators, **extra)
        describe_recorded(path, tmp_path / f"out{n}", CTX, db)
    return db


def _ids(answers) -> list[tuple[str, str, str]]:
    return [(a.creator, a.incident_id[-1], a.record_id) for a in answers]


def test_all_losses_by_creator_then_incident(filled: str) -> None:
    got = _ids(query_losses(filled, LossQuery()))
    assert got[:4] == [("Kommunstyrelsen", "1", r) for r in
                       ("tidplaner", "aktivitetsbeskrivningar", "forvaltningsobjekt", "nyttokalkyleringar")]  # fmt: skip
    assert len(got) == 4 + 4 + 4  # Personec losses once for each of the two boards


def test_each_answer_says_what_which_incident_what_was_saved_and_where(filled: str) -> None:
    (a,) = query_losses(filled, LossQuery(creator="socialnämnden", record_type="lönespecifikation"))
    assert (a.title, a.period.display(), a.extent) == (
        "Lönespecifikationer",
        "2021–2022",
        "complete",
    )
    assert (a.incident_id, a.incident_reference) == ("incident-ks-2024-2", "KS 2024/2")
    assert (a.system, a.supplier, a.process) == ("Personec", "Evry", "2.2.1")
    assert [(x.title, x.period.display(), x.where()) for x in a.extracts] == [
        ("Uttag av lönelistor", "2021", "Platina, Socialnämndens serie G1")]  # fmt: skip
    assert a.description_post_id.startswith("ab-socialnamnden-")
    assert a.culling_classification == "gallring-utan-beslut"


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        (LossQuery(creator="Socialnämnden", first=datetime(2022, 1, 1).date(),
                   last=datetime(2022, 12, 31).date()),
         {("lon", "certain"), ("okand", "possible"), ("efter", "possible")}),
        (LossQuery(creator="Socialnämnden", first=datetime(2019, 1, 1).date(),
                   last=datetime(2019, 12, 31).date()),
         {("tid", "certain"), ("okand", "possible")}),
        (LossQuery(creator="Socialnämnden", system="PERSONEC", process="3.1"),
         {("tid", "certain"), ("okand", "certain"), ("efter", "certain")}),
        (LossQuery(creator="Socialnämnden", process="2.2"), {("lon", "certain")}),
        (LossQuery(creator="Socialnämnden", process="2"), {("lon", "certain")}),
        (LossQuery(creator="Socialnämnden", process="2.2.1.1"), set()),
        (LossQuery(creator="Socialnämnden", process="3.11"), set()),
        (LossQuery(creator="Socialnämnden", system="Digframe"), set()),
    ],
    ids=["year-2022", "year-2019", "system-and-process", "process-prefix", "process-group",
         "no-subprocess", "no-partial-code",
         "other-system"],
)  # fmt: skip
def test_questions(filled: str, query: LossQuery, expected: set) -> None:
    assert {(a.record_id, a.match) for a in query_losses(filled, query)} == expected


@pytest.mark.parametrize(
    ("year", "period", "expected"),
    [
        (2022, None, ("2022-01-01", "2022-12-31")),
        (None, "2019/2021", ("2019-01-01", "2021-12-31")),
        (None, "2019-05/2020-02", ("2019-05-01", "2020-02-29")),
        (None, "2019/", ("2019-01-01", None)),
        (None, "/2019", (None, "2019-12-31")),
        (None, "2020", ("2020-01-01", "2020-12-31")),
    ],
)
def test_periods_asked_for(year, period, expected) -> None:
    first, last = parse_when(year, period)
    assert (first and first.isoformat(), last and last.isoformat()) == expected


@pytest.mark.parametrize(
    ("year", "period"), [(None, "2021/2019"), (None, "våren 2020"), (2020, "2020"), (None, "/")]
)
def test_bad_periods_are_refused(year, period) -> None:
    with pytest.raises(RegisterError) as info:
        parse_when(year, period)
    assert info.value.findings[0].param in {"period", "year"}


def test_an_unknown_creator_is_an_error_with_the_closest_names(filled: str) -> None:
    with pytest.raises(RegisterError) as info:
        query_losses(filled, LossQuery(creator="Socialnamnden"))
    assert "did you mean 'Socialnämnden'" in info.value.message


def test_cli_losses_table_json_csv_and_xlsx(filled: str, tmp_path: Path, runner) -> None:
    base = ["register", "--db", filled, "losses", "--creator", "Socialnämnden", "--year", "2022"]
    table = runner.invoke(cli, base)
    assert table.exit_code == 0, table.output
    lines = table.stdout.splitlines()
    assert (
        lines[0].split()[:2] == ["Arkivbildare", "Incident"]
        and "Lönespecifikationer" in table.stdout
    )
    assert "Platina, Socialnämndens" in table.stdout
    as_json = runner.invoke(cli, [*base, "--json"])
    data = json.loads(as_json.stdout)["losses"]
    assert [(d["record_id"], d["match"]) for d in data] == [
        ("lon", "certain"),
        ("okand", "possible"),
        ("efter", "possible"),
    ]
    out_csv, out_xlsx = tmp_path / "svar.csv", tmp_path / "svar.xlsx"
    done = runner.invoke(cli, [*base, "--csv", str(out_csv), "--xlsx", str(out_xlsx), "--json"])
    assert done.exit_code == 0
    rows = list(csv.reader(io.StringIO(out_csv.read_text(encoding="utf-8-sig")), delimiter=";"))
    assert rows[0][:5] == [
        "Arkivbildare",
        "Incident",
        "Diarienummer",
        "Inträffade",
        "Förlorad handling",
    ]
    assert [r[4] for r in rows[1:]] == [
        "Lönespecifikationer",
        "Reseräkningar",
        "Frånvaroanmälningar",
    ]
    sheet = openpyxl.load_workbook(out_xlsx).active
    assert [c.value for c in sheet[1]] == rows[0] and sheet.max_row == 4
    again = runner.invoke(cli, [*base, "--csv", str(out_csv)])
    assert again.exit_code == 1 and "already exists" in again.stderr


def test_cli_losses_errors(filled: str, tmp_path: Path, runner) -> None:
    base = ["register", "--db", filled, "losses"]
    unknown = runner.invoke(cli, [*base, "--creator", "Kulturnämnden", "--json"])
    assert (
        unknown.exit_code == 1
        and json.loads(unknown.stdout)[0]["code"] == "register-unknown-creator"
    )
    both = runner.invoke(cli, [*base, "--year", "2020", "--period", "2020"])
    assert both.exit_code == 1
    suffix = runner.invoke(cli, [*base, "--csv", str(tmp_path / "x.txt")])
    assert suffix.exit_code == 2
    nothing = runner.invoke(cli, [*base, "--system", "Ingenting"])
    assert nothing.exit_code == 0 and nothing.stdout == "" and "no recorded loss" in nothing.stderr


def test_losses_of_a_creator_and_the_html_appendix(filled: str, tmp_path: Path, runner) -> None:
    found = creator_losses(filled, "Kommunstyrelsen")
    assert found.creator.name == "Kommunstyrelsen" and len(found.losses) == 8
    assert {a.incident_id for a in found.losses} == {"incident-ks-2024-1", "incident-ks-2024-2"}
    out = tmp_path / "bilaga.html"
    fixed = ["--created", "2024-03-01T10:00:00+01:00"]
    args = ["register", "--db", filled, "report", "--creator", "Kommunstyrelsen", *fixed]
    result = runner.invoke(cli, [*args, "-o", str(out)])
    assert result.exit_code == 0, result.output
    page = out.read_text(encoding="utf-8")
    assert "Kommunstyrelsen" in page
    assert "Lönespecifikationer" in page and "Platina, Socialnämndens serie G1" in page
    again = runner.invoke(cli, args)
    assert again.stdout == page  # the same bytes on stdout
    assert runner.invoke(cli, [*args, "-o", str(out)]).exit_code == 1  # exists, not replaced
    from lxml import html as lhtml

    assert len(lhtml.fromstring(page.encode()).findall(".//tbody/tr")) == 8


def test_appendix_as_pdf_a(filled: str, tmp_path: Path, runner) -> None:
    out = tmp_path / "bilaga.pdf"
    args = ["register", "--db", filled, "report", "--creator", "Kommunstyrelsen", "-o", str(out)]
    result = runner.invoke(cli, [*args, "--created", "2024-03-01T10:00:00+01:00"])
    assert result.exit_code == 0, result.output
    import pikepdf

    with pikepdf.open(out) as pdf:
        meta = pdf.open_metadata()
        assert meta.pdfa_status == "2B"
