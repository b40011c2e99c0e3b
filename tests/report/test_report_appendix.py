"""report appendix: all losses of a records creator across incidents, from hand-built lines."""

from __future__ import annotations

import html
import re
from dataclasses import fields

import pikepdf
import pytest

from arkivlucka.core.errors import ArkivluckaError
from arkivlucka.report import labels
from arkivlucka.report.model import LossLine
from arkivlucka.report.render import render_losses_appendix
from support.report_helpers import CTX, pdf_text, squeeze

LINES = [
    LossLine(incident_id="incident-digframe", registry_number="KS 2024/112",
             title="Nyttokalkyleringar", record_type="Utredningar, kartläggningar",
             period="efter 2019", extent="delvis", system="Digframe", process="2.2",
             plan_code="2.2.4", classification="gallring-utan-beslut-av-bevarandehandlingar",
             recovered="Insamlat uttag 2019–2021", kept_in="W3D3, kommunstyrelsens serie"),
    LossLine(incident_id="incident-personec", title="Lönespecifikationer 2021",
             period="januari–mars 2021", extent="helt", system="Personec", process="3.1"),
    LossLine(incident_id="incident-digframe", registry_number="KS 2024/112",
             title="Tidplaner för digitaliseringsprojekt", extent="okand"),
]  # fmt: skip


def text_of(page: bytes) -> str:
    return html.unescape(re.sub(r"<[^>]+>", " ", page.decode()))


def expected(line: LossLine) -> list[str]:
    out = []
    for f in fields(line):
        value = getattr(line, f.name)
        if value is None:
            continue
        table = {"extent": "extent", "classification": "loss_class"}.get(f.name)
        out.append(labels.label(table, value) if table else value)
    return out


def test_every_value_of_every_line_is_in_the_appendix():
    text = squeeze(text_of(render_losses_appendix("Kommunstyrelsen", LINES, CTX, "html")))
    for line in LINES:
        for value in expected(line):
            assert squeeze(value) in text, (line.title, value)


def test_lines_are_grouped_by_incident_in_first_seen_order():
    page = text_of(render_losses_appendix("Kommunstyrelsen", LINES, CTX, "html"))
    heads = re.findall(r"Incident (incident-\S+)", page)
    assert heads == ["incident-digframe", "incident-personec"]
    digframe = page[page.index("incident-digframe") : page.index("incident-personec")]
    assert "Tidplaner för digitaliseringsprojekt" in digframe and "Nyttokalkyleringar" in digframe
    assert "2 incidenter och 3 förlorade handlingsslag" in " ".join(page.split())


def test_what_a_line_does_not_give_is_shown_as_missing():
    page = " ".join(text_of(render_losses_appendix("Kommunstyrelsen", LINES, CTX, "html")).split())
    personec = page[page.index("Incident incident-personec") :]
    assert personec.startswith("Incident incident-personec Diarienummer: uppgift saknas")
    assert "inget återvunnet anges" in personec
    assert "plankod uppgift saknas" in personec


def test_an_empty_register_says_so():
    page = text_of(render_losses_appendix("Socialnämnden", [], CTX, "html"))
    assert "Registret redovisar inga förluster för arkivbildaren." in page


def test_html_is_byte_identical_and_pdf_is_pdfa(tmp_path):
    first = render_losses_appendix("Kommunstyrelsen", LINES, CTX, "html")
    assert first == render_losses_appendix("Kommunstyrelsen", list(LINES), CTX, "html")
    pdf = tmp_path / "bilaga.pdf"
    pdf.write_bytes(render_losses_appendix("Kommunstyrelsen", LINES, CTX, "pdf"))
    with pikepdf.open(pdf) as doc:
        meta = doc.open_metadata()
        assert (meta["pdfaid:part"], meta["pdfaid:conformance"]) == ("2", "B")
    text = squeeze(pdf_text(pdf))
    for line in LINES:
        for value in expected(line):
            assert squeeze(value) in text, (line.title, value)


def test_an_unknown_format_is_refused():
    with pytest.raises(ArkivluckaError, match="unknown report format"):
        render_losses_appendix("Kommunstyrelsen", LINES, CTX, "docx")  # type: ignore[arg-type]
