"""inventory export --format apeead: the Archives Portal Europe EAD 2002 profile, schema-valid."""

from __future__ import annotations

import shutil
from datetime import UTC, datetime
from pathlib import Path

import pytest
from click.testing import CliRunner
from lxml import etree

from arkivlucka.cli import cli
from arkivlucka.core.context import RunContext
from arkivlucka.core.errors import InputError
from arkivlucka.inventory.apeead import apeead_bytes
from arkivlucka.inventory.merge import merge_file
from arkivlucka.inventory.model import Group, Inventory, Span, Unit
from support.helpers import DATA, SAMPLES, assert_valid
from support.inventory_helpers import make_entry

NS = {"e": "urn:isbn:1-931666-22-9"}
CTX = RunContext(created=datetime(2024, 3, 1, 9, 0, tzinfo=UTC), tool_version="9.9.9")


def _export(runner: CliRunner, inv: Path, out: Path, *extra: str) -> etree._Element:
    args = ["inventory", "export", str(inv), "-o", str(out), "--format", "apeead"]
    result = runner.invoke(cli, [*args, "--created", "2024-03-01T10:00:00Z", *extra])
    assert result.exit_code == 0, result.output
    assert_valid(out)
    return etree.parse(str(out)).getroot()


def test_sample_inventory_as_apeead(runner: CliRunner, tmp_path: Path) -> None:
    root = _export(runner, SAMPLES / "digframe" / "arkivforteckning.xml", tmp_path / "ape.xml", "--agency-code", "SE-TRB")  # fmt: skip
    eadid = root.find("e:eadheader/e:eadid", NS)
    assert eadid is not None and eadid.get("mainagencycode") == "SE-TRB"
    assert eadid.get("countrycode") == "SE"
    assert root.find("e:archdesc", NS).get("level") == "fonds"  # type: ignore[union-attr]
    origination = root.find("e:archdesc/e:did/e:origination[@label='Arkivbildare']", NS)
    assert (
        origination is not None
        and origination.findtext("e:corpname", namespaces=NS) == "Kommunstyrelsen"
    )
    levels = {c.get("level") for c in root.iter("{urn:isbn:1-931666-22-9}c")}
    assert {"otherlevel", "class", "series"} <= levels
    units = root.xpath("//e:c[@level='otherlevel']", namespaces=NS)
    assert units and all(u.get("otherlevel") == "volym" for u in units)


def test_ranges_normalised_and_nested_classes_nested() -> None:
    inv = Inventory(
        creator="Socialnämnden",
        groups=[
            Group("Klass", "2", title="Stöd", period=Span("2019", "2021")),
            Group("Klass", "2.2", title="Utreda", parent="2", children=[
                Unit("1", title="Utredningar", period=Span("2019-01-01", "2019-12-31")),
                Unit("2", title="Utredningar", period=Span("2020", None, "från 2020")),
            ]),
        ],
    )  # fmt: skip
    data = apeead_bytes(inv, CTX, "SE-X1")
    assert_valid(data)
    root = etree.fromstring(data)
    outer = root.xpath("//e:c[e:did/e:unitid='2']", namespaces=NS)[0]
    assert outer.xpath("e:did/e:unitdate/@normal", namespaces=NS) == ["2019/2021"]
    inner = outer.xpath("e:c[e:did/e:unitid='2.2']", namespaces=NS)
    assert inner, "2.2 is nested in 2"
    dates = inner[0].xpath("e:c/e:did/e:unitdate", namespaces=NS)
    assert dates[0].get("normal") == "2019-01-01/2019-12-31"
    assert dates[1].get("normal") is None and dates[1].text == "från 2020"  # one end: no normal


def test_losses_in_appraisal(runner: CliRunner, tmp_path: Path) -> None:
    inv = tmp_path / "inv.xml"
    shutil.copyfile(DATA / "inventory" / "preserve.xml", inv)
    entry = make_entry(
        tmp_path / "e.xml",
        [{"id": "objekt", "klass": "2.2", "start": "2022", "end": "2023"}, {"id": "okand", "klass": "9.9"}],
    )  # fmt: skip
    merge_file(entry, inv)
    root = _export(runner, inv, tmp_path / "ape.xml", "--agency-code", "SE-TRB")
    klass = root.xpath("//e:c[e:did/e:unitid='2.2']", namespaces=NS)[0]
    assert klass.xpath("e:appraisal/e:p/text()", namespaces=NS) == ["Lucka: objekt förlorade vid incident. (2022–2023)"]  # fmt: skip
    top = root.xpath("/e:ead/e:archdesc/e:appraisal/e:p/text()", namespaces=NS)
    assert top == ["Lucka: okand förlorade vid incident."]


@pytest.mark.parametrize(("extra", "said"), [((), "needs the repository's agency code"), (("--agency-code", "Trelleborg"), "is not an agency code")])  # fmt: skip
def test_without_a_valid_agency_code_refused(runner: CliRunner, tmp_path: Path, extra: tuple[str, ...], said: str) -> None:  # fmt: skip
    out = tmp_path / "ape.xml"
    args = ["inventory", "export", str(SAMPLES / "digframe" / "arkivforteckning.xml"), "-o", str(out), "--format", "apeead"]  # fmt: skip
    result = runner.invoke(cli, [*args, *extra])
    assert result.exit_code == 1
    assert said in result.stderr and "--agency-code" in result.stderr
    assert not out.exists()


def test_library_refuses_too() -> None:
    with pytest.raises(InputError):
        apeead_bytes(Inventory(creator="X"), CTX, None)
