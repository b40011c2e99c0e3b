"""Property-based tests (Hypothesis) for every parser arkivlucka owns.

The incident file, form text, CSV/XLSX tables, inventories, METS/PREMIS reading and zip
member names get random and mutated input. The properties: nothing but an
``ArkivluckaError`` is ever raised (no traceback), what is accepted is usable (valid, reads
back), and what is written round-trips. ``make test`` runs a bounded number of examples
(profile ``ci``); ``make fuzz`` runs many more (profile ``fuzz``, see ``conftest.py``).
"""

from __future__ import annotations

import io
import posixpath
import shutil
import unicodedata
import zipfile
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from arkivlucka.core.errors import ArkivluckaError
from arkivlucka.core.findings import Finding
from support.helpers import DATA, SAMPLES, assert_valid

SAMPLE_INCIDENT = (SAMPLES / "digframe" / "incident.yaml").read_bytes()
SAMPLE_FORM = (SAMPLES / "digframe" / "form.txt").read_bytes()
SAMPLE_PLAN = (SAMPLES / "digframe" / "dokumenthanteringsplan.csv").read_bytes()
PRESERVE = (DATA / "inventory" / "preserve.xml").read_bytes()


@st.composite
def mutated(draw: st.DrawFn, original: bytes, max_ops: int = 6) -> bytes:
    """``original`` with a few random edits: bytes deleted, inserted, replaced, duplicated."""
    data = bytearray(original)
    for _ in range(draw(st.integers(1, max_ops))):
        at = draw(st.integers(0, len(data)))
        op = draw(st.sampled_from(["delete", "insert", "replace", "duplicate", "interesting"]))
        size = draw(st.integers(1, 64))
        if op == "delete":
            del data[at : at + size]
        elif op == "insert":
            data[at:at] = draw(st.binary(min_size=1, max_size=16))
        elif op == "replace" and at < len(data):
            data[at] = draw(st.integers(0, 255))
        elif op == "duplicate":
            data[at:at] = data[at : at + size]
        else:
            token = draw(st.sampled_from(INTERESTING))
            data[at:at] = token
    return bytes(data)


INTERESTING = [
    b"\x00",
    b"\x0b",
    b"\xff\xfe",
    b"\xef\xbb\xbf",
    b"\r\n",
    b"\n- ",
    b": ",
    b"&amp;",
    b"&xxe;",
    b"<!DOCTYPE x [<!ENTITY a 'b'>]>",
    b'<xi:include xmlns:xi="http://www.w3.org/2001/XInclude" href="/etc/passwd"/>',
    b"]]>",
    b"<",
    b'"',
    b";",
    b"=HYPERLINK(1)",
    b"\xc3",
    "Å".encode(),
    b"9" * 40,
    b"1970-02-31",
]


def _only_our_errors(call) -> object | None:  # type: ignore[no-untyped-def]
    """Run ``call``; an ``ArkivluckaError`` must carry findings or a message; return the result."""
    try:
        return call()
    except ArkivluckaError as exc:
        assert exc.message
        assert all(isinstance(f, Finding) and f.code and f.message for f in exc.findings)
        return None


# -- the incident file --------------------------------------------------------------------


@given(mutated(SAMPLE_INCIDENT))
def test_incident_file_never_crashes(data: bytes):
    from arkivlucka.incident.load import load_incident_text

    text = data.decode("utf-8", "replace")
    _only_our_errors(lambda: load_incident_text(text, "incident.yaml"))


@given(st.text(max_size=400))
def test_incident_file_from_any_text(text: str):
    from arkivlucka.incident.load import load_incident_text

    _only_our_errors(lambda: load_incident_text(text, "incident.yaml"))
    _only_our_errors(lambda: load_incident_text(text, "incident.json", json_first=True))


# -- form text ----------------------------------------------------------------------------


@given(mutated(SAMPLE_FORM, max_ops=10))
def test_form_text_import_gives_a_loadable_incident_file(data: bytes):
    from arkivlucka.form.pipeline import import_form
    from arkivlucka.incident.yamlread import parse_text

    result = _only_our_errors(lambda: import_form(data, "form.txt"))
    if result is not None:
        text = result.render("yaml")  # type: ignore[attr-defined]
        _only_our_errors(lambda: parse_text(text, "out.yaml"))


@given(st.text(min_size=1, max_size=600))
def test_form_from_any_text(text: str):
    from arkivlucka.form.pipeline import import_form

    _only_our_errors(lambda: import_form(text.encode("utf-8", "surrogatepass"), "form.txt"))


# -- CSV/XLSX tables ----------------------------------------------------------------------

CELL = st.text(
    st.characters(blacklist_categories=("Cs", "Cc"), blacklist_characters="\ufeff"),
    max_size=20,
).filter(lambda s: s == s.strip())


@given(
    st.lists(st.lists(CELL, min_size=3, max_size=3), min_size=1, max_size=8),
    st.sampled_from([".csv", ".xlsx"]),
)
def test_table_round_trip(tmp_path: Path, rows: list[list[str]], suffix: str):
    from arkivlucka.files.tables import read_table, table_bytes

    headers = ["Klass", "Rubrik", "Anmärkning"]
    rows = [r for r in rows if any(r)]
    path = tmp_path / f"t{suffix}"
    path.write_bytes(table_bytes(headers, rows, suffix))
    columns = {"Klass": ["Klass"], "Rubrik": ["Rubrik"], "Anmärkning": ["Anmärkning"]}
    table, _ = read_table(path, columns)
    nfc = [[unicodedata.normalize("NFC", c) for c in r] for r in rows]  # cells are read as NFC
    assert [[row.get(h) or "" for h in headers] for row in table.rows] == nfc


@given(mutated(SAMPLE_PLAN, max_ops=8))
def test_plan_csv_never_crashes(tmp_path: Path, data: bytes):
    from arkivlucka.retention.check import check_plan_file
    from arkivlucka.retention.schedule import read_plan

    path = tmp_path / "plan.csv"
    path.write_bytes(data)
    _only_our_errors(lambda: read_plan(path))
    _only_our_errors(lambda: check_plan_file(path))


def _xlsx() -> bytes:
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["Referenskod", "Rubrik", "Volym", "Tid"])
    for n in range(6):
        sheet.append([f"F{n}", f"Serie {n}", n + 1, "2020-2021"])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


XLSX = _xlsx()


@given(mutated(XLSX, max_ops=4))
def test_damaged_xlsx_never_crashes(tmp_path: Path, data: bytes):
    from arkivlucka.inventory.sheet import ImportOptions, read_inventory_table

    path = tmp_path / "inv.xlsx"
    path.write_bytes(data)
    _only_our_errors(lambda: read_inventory_table(path, ImportOptions("Kommunstyrelsen")))


@given(st.binary(max_size=300), st.sampled_from(["Referenskod;Rubrik;Volym\n", ""]))
def test_inventory_csv_from_any_bytes(tmp_path: Path, body: bytes, header: str):
    from datetime import UTC, datetime

    from arkivlucka.core.context import RunContext
    from arkivlucka.inventory.pipeline import import_spreadsheet
    from arkivlucka.inventory.sheet import ImportOptions

    path = tmp_path / "inv.csv"
    path.write_bytes(header.encode() + body)
    out = tmp_path / "inv.xml"
    ctx = RunContext(datetime(2024, 3, 1, tzinfo=UTC), "t")
    done = _only_our_errors(
        lambda: import_spreadsheet(path, out, ImportOptions("K"), ctx, overwrite=True)
    )
    if done is not None:
        assert_valid(out)


# -- inventories --------------------------------------------------------------------------


@given(mutated(PRESERVE))
def test_inventory_reading_never_crashes_and_accepted_is_valid(data: bytes):
    from arkivlucka.inventory.model import build_xml, read_xml
    from arkivlucka.inventory.xmlfile import parse_inventory, serialise_new

    tree = _only_our_errors(lambda: parse_inventory(data, "inv.xml"))
    if tree is not None:
        inv = read_xml(tree.getroot())  # type: ignore[attr-defined]
        assert_valid(serialise_new(build_xml(inv, None, None)))


@given(mutated(PRESERVE, max_ops=3))
def test_merge_into_a_damaged_inventory_loses_nothing(tmp_path: Path, data: bytes):
    from arkivlucka.inventory.merge import merge_file
    from support.inventory_helpers import make_entry

    entry = tmp_path / "e.xml"
    if not entry.exists():
        make_entry(entry, [{"id": "a", "klass": "2.2", "start": "2020"}])
    target = tmp_path / "inv.xml"
    target.write_bytes(data)
    for left in tmp_path.glob("inv.xml.*"):
        left.unlink()
    report = _only_our_errors(lambda: merge_file(entry, target))
    if report is None or not report.changed:  # type: ignore[attr-defined]
        assert target.read_bytes() == data
    else:
        assert_valid(target.read_bytes())
        assert (tmp_path / "inv.xml.bak").read_bytes() == data
    assert sorted(p.name for p in tmp_path.iterdir()) in (
        ["e.xml", "inv.xml"],
        ["e.xml", "inv.xml", "inv.xml.bak"],
    )


# -- METS/PREMIS reading ------------------------------------------------------------------


@pytest.fixture(scope="module")
def built_package(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from click.testing import CliRunner

    from support.package_fixtures import run_package

    root = tmp_path_factory.mktemp("fuzzpkg")
    runner = CliRunner()
    from arkivlucka.cli import cli

    entries = root / "entries"
    incident = SAMPLES / "digframe" / "incident.yaml"
    assert runner.invoke(cli, ["describe", str(incident), "-o", str(entries), "-q"]).exit_code == 0
    out = root / "sip"
    result = run_package(runner, incident, entries, out)
    assert result.exit_code == 0, result.stderr
    return out


@pytest.mark.parametrize(
    "rel", ["METS.xml", "metadata/preservation/premis.xml", "representations/rep1/METS.xml"]
)
@given(data=st.data())
def test_verify_reads_damaged_mets_and_premis_without_crashing(
    built_package: Path, tmp_path: Path, rel: str, data: st.DataObject
):
    from arkivlucka.delivery.verify import verify_package

    copy = tmp_path / "sip"
    if not copy.exists():
        shutil.copytree(built_package, copy)
    original = (built_package / rel).read_bytes()
    damaged = data.draw(mutated(original))
    (copy / rel).write_bytes(damaged)
    result = verify_package(copy)
    if damaged != original:
        assert result.findings  # a changed METS/PREMIS never passes unnoticed
    (copy / rel).write_bytes(original)


# -- zip member names ---------------------------------------------------------------------

NAME = st.text(st.characters(blacklist_categories=("Cs",)), min_size=1, max_size=30)


@given(NAME)
def test_member_problem_keeps_every_accepted_name_inside(name: str):
    from arkivlucka.files.zipsafe import member_problem

    if member_problem(name) is None:
        unified = name.replace("\\", "/")
        assert not unified.startswith("/")
        assert ".." not in unified.split("/")
        assert "\x00" not in name
        assert not posixpath.normpath("root/" + unified).startswith("..")


@given(st.lists(st.binary(min_size=1, max_size=20), min_size=1, max_size=5), st.booleans())
def test_zip_with_any_member_name_bytes_never_crashes(
    tmp_path: Path, names: list[bytes], utf8_flag: bool
):
    from arkivlucka.delivery.verify import verify_package

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as zf:
        for n, _ in enumerate(names):
            zf.writestr(f"sip/n{n:03d}.txt", b"x")
    data = buffer.getvalue()
    for n, raw in enumerate(names):  # same-length swap keeps the directory consistent
        placeholder = f"sip/n{n:03d}.txt".encode()
        name = (raw * 11)[: len(placeholder)]
        data = data.replace(placeholder, name)
    if utf8_flag:
        data = data.replace(
            b"PK\x01\x02\x14\x00\x14\x00\x00\x00", b"PK\x01\x02\x14\x00\x14\x00\x00\x08"
        )
    path = tmp_path / "sip.zip"
    path.write_bytes(data)
    result = verify_package(path)
    assert result.findings  # not a package: always reported, never a traceback
