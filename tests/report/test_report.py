"""report: every fact of the entries in the PDF and HTML, PDF/A, fonts, determinism, pages."""

from __future__ import annotations

import html
import os
import re
import subprocess
import sys
from pathlib import Path

import pikepdf
import pytest
from lxml import etree

from arkivlucka.core.context import RunContext
from arkivlucka.entries.describe import describe
from arkivlucka.report import labels
from arkivlucka.report.read import load_entries
from arkivlucka.report.render import render_report, write_report
from support.report_helpers import (
    CTX,
    digframe_entries,
    many_types_incident,
    pdf_text,
    squeeze,
    tool,
)

A = "urn:arkivlucka:arkivredovisning:1.0"
# Elements whose value is a code: the report shows the Swedish words of labels.TABLES.
CODED = {
    "Typ": "kind", "Status": "status", "StorningITjansten": "disruption",
    "RiskForPersonuppgifter": "personal_data", "Forlustklassning": "loss_class",
}  # fmt: skip
BOOLEAN = {"Verksamhetskritisk", "Aterstallt", "Polisanmald"}
TIMEPOINT = {"Intraffade", "Upptacktes"}
# Attributes that are facts shown as they stand; the others are handled below.
VERBATIM_ATTRS = {"PostID", "ID", "HandlingID", "Kod", "Falt", "Version"}
NOT_FACTS = {"Schemaversion"}  # the schema's version, not a fact of the loss


def expected_facts(entry: Path) -> list[tuple[str, str]]:
    """(where, text the report must contain) for every element and attribute of an entry."""
    facts: list[tuple[str, str]] = []
    for el in etree.parse(str(entry)).iter():
        name = etree.QName(el).localname
        where = f"{entry.name}:{name}"
        parent = etree.QName(el.getparent()).localname if el.getparent() is not None else ""
        for attr, value in el.attrib.items():
            if attr in VERBATIM_ATTRS:
                facts.append((f"{where}@{attr}", value))
            elif attr == "Klassning":
                facts.append((f"{where}@{attr}", labels.label("culling_basis", value)))
            elif attr == "Matchning":
                facts.append((f"{where}@{attr}", labels.label("matching", value)))
            elif attr in ("Gallras", "FristUtgangen", "Precision"):
                pass  # shown with their element (Gallras, FristUtgangen) or time point
            else:
                assert attr in NOT_FACTS, f"unhandled attribute {where}@{attr}"
        text = (el.text or "").strip()
        if not text:
            continue
        if name in CODED:
            facts.append((where, labels.label(CODED[name], text)))
        elif name == "Omfattning" and parent in ("ForloradHandling", "Lucka"):
            facts.append((where, labels.label("extent", text)))
        elif name in BOOLEAN:
            facts.append((where, "ja" if text == "true" else "nej"))
        elif name in TIMEPOINT:
            facts.append((where, labels.timepoint(text, el.get("Precision"))))
        elif name == "Skapad":
            facts.append((where, labels.created(text)))
        else:
            facts.append((where, text))
    return facts


@pytest.fixture(scope="module")
def entries_dir(tmp_path_factory) -> Path:
    return digframe_entries(tmp_path_factory.mktemp("entries"))


@pytest.fixture(scope="module")
def pdf(entries_dir, tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("report") / "kommunstyrelsen.pdf"
    write_report(entries_dir, "Kommunstyrelsen", out, CTX)
    return out


def all_facts(entries_dir: Path, folder_name: str = "kommunstyrelsen") -> list[tuple[str, str]]:
    folder = entries_dir / folder_name
    facts = expected_facts(folder / "arkivbeskrivning.xml")
    facts += expected_facts(folder / "arkivforteckning.xml")
    assert len(facts) > 100  # the sample has that many facts; the walk must not come up short
    return facts


def test_pdf_text_holds_every_fact_of_the_entries(entries_dir, pdf):
    text = squeeze(pdf_text(pdf))
    missing = [(where, fact) for where, fact in all_facts(entries_dir) if squeeze(fact) not in text]
    assert not missing, missing[:10]


def test_every_fact_of_other_entries_too(tmp_path):
    """More record types, series, extract references, a registry number, names: all shown."""
    incident = many_types_incident(tmp_path / "incident.yaml")
    named = RunContext(created=CTX.created, tool_version="2.0", include_names=True)
    describe(incident, tmp_path / "entries", named)
    out = write_report(tmp_path / "entries", "Socialnämnden", tmp_path / "r.pdf", CTX)
    facts = all_facts(tmp_path / "entries", "socialnamnden")
    assert ("arkivbeskrivning.xml:Namn", "Tova Halldén") in facts
    assert ("arkivbeskrivning.xml:Referens", "KS 2024/112") in facts
    text = squeeze(pdf_text(out))
    assert not [(where, fact) for where, fact in facts if squeeze(fact) not in text]


def test_html_holds_every_fact_of_the_entries(entries_dir):
    page = render_report(load_entries(entries_dir, "Kommunstyrelsen"), CTX, "html").decode()
    text = squeeze(html.unescape(re.sub(r"<[^>]+>", " ", page)))
    missing = [(where, fact) for where, fact in all_facts(entries_dir) if squeeze(fact) not in text]
    assert not missing, missing[:10]


def test_missing_facts_are_shown_as_missing_not_filled_in(pdf):
    text = pdf_text(pdf)
    # The sample has no registry number, no period for two records, no supplier for Stratsys.
    assert re.search(r"Diarienummer \[ uppgift saknas \]", text)
    assert text.count("period saknas") >= 2
    row = "Stratsys system som Digframe var sammankopplat med och som avslutades [ uppgift saknas ]"
    assert squeeze(row) in squeeze(text)


def test_pdf_declares_pdfa_2b_and_embeds_every_font(pdf):
    with pikepdf.open(pdf) as doc:
        meta = doc.open_metadata()
        assert meta["pdfaid:part"] == "2"
        assert meta["pdfaid:conformance"] == "B"
        assert meta["xmp:CreateDate"].startswith("2024-03-01T09:00:00")
        assert re.fullmatch(rb"[0-9a-f]{32}", bytes(doc.trailer.ID[0]))  # from a hash, not random
        fonts = {}
        for page in doc.pages:
            for name, font in page.resources.get("/Font", {}).items():
                fonts[(str(font.get("/BaseFont")), name)] = font
        assert fonts
        for (base, _), font in fonts.items():
            descendants = font.get("/DescendantFonts")
            desc = (descendants[0] if descendants else font).get("/FontDescriptor")
            assert desc is not None, base
            assert any(k in desc for k in ("/FontFile", "/FontFile2", "/FontFile3")), base
        assert any("DejaVu-Sans" in base for base, _ in fonts)


def test_pdffonts_lists_every_font_as_embedded(pdf):
    out = subprocess.run([tool("pdffonts"), str(pdf)], check=True, capture_output=True, text=True)
    rows = out.stdout.splitlines()[2:]
    assert rows
    for row in rows:
        emb = row.split()[-5]  # name type encoding emb sub uni object ID
        assert emb == "yes", row


def test_html_is_byte_identical_across_runs(entries_dir, tmp_path):
    for name in ("a.html", "b.html"):
        write_report(entries_dir, "kommunstyrelsen", tmp_path / name, CTX)
    assert (tmp_path / "a.html").read_bytes() == (tmp_path / "b.html").read_bytes()


def test_pdf_is_byte_identical_across_runs(entries_dir, pdf, tmp_path):
    again = write_report(entries_dir, "Kommunstyrelsen", tmp_path / "again.pdf", CTX)
    assert again.read_bytes() == pdf.read_bytes()


def test_html_escapes_what_the_entries_say(entries_dir, tmp_path):
    folder = entries_dir / "kommunstyrelsen"
    target = tmp_path / "kommunstyrelsen"
    target.mkdir()
    for name in ("arkivbeskrivning.xml", "arkivforteckning.xml"):
        data = (folder / name).read_bytes()
        data = data.replace(
            b"<Namn>Digframe</Namn>", b"<Namn>&lt;script&gt;x()&lt;/script&gt;</Namn>"
        )
        (target / name).write_bytes(data)
    page = render_report(load_entries(tmp_path, "Kommunstyrelsen"), CTX, "html").decode()
    assert "<script>" not in page
    assert "&lt;script&gt;x()&lt;/script&gt;" in page


def test_page_images_for_a_person_to_look_at(pdf, tmp_path):
    subprocess.run([tool("pdftoppm"), "-r", "50", "-png", str(pdf), str(tmp_path / "page")],
                   check=True)  # fmt: skip
    pages = sorted(tmp_path.glob("page-*.png"))
    with pikepdf.open(pdf) as doc:
        assert len(pages) == len(doc.pages) >= 2
    for page in pages:
        assert page.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
        assert page.stat().st_size > 5_000  # a page with content, not a blank one


def test_pdf_has_what_pdfa_requires_besides_the_xmp_claim(pdf):
    with pikepdf.open(pdf) as doc:
        assert not doc.is_encrypted
        assert doc.pdf_version >= "1.4"
        (intent,) = doc.Root.OutputIntents
        assert intent.S == "/GTS_PDFA1"
        assert len(intent.DestOutputProfile.read_bytes()) > 1000  # an ICC profile, embedded
        assert len(doc.trailer.ID) == 2
        meta = doc.open_metadata()
        # The information dictionary and the XMP must agree (ISO 19005-2, 6.6.3).
        assert str(doc.docinfo.CreationDate).startswith("D:20240301090000")
        assert meta["xmp:CreateDate"] == meta["xmp:ModifyDate"]
        assert meta["dc:title"] == str(doc.docinfo.Title)
        assert "/JavaScript" not in doc.Root.get("/Names", {})
        assert "/OpenAction" not in doc.Root


def test_pdf_is_byte_identical_across_processes(entries_dir, tmp_path):
    made = []
    for seed in ("1", "2"):
        out = tmp_path / f"seed{seed}.pdf"
        args = [sys.executable, "-m", "arkivlucka", "report", str(entries_dir), "--creator",
                "Kommunstyrelsen", "-o", str(out), "--created", "2024-03-01T10:00:00+01:00",
                "--tool-version", "0.1.0"]  # fmt: skip
        env = {**os.environ, "PYTHONHASHSEED": seed}
        subprocess.run(args, check=True, capture_output=True, env=env)
        made.append(out.read_bytes())
    assert made[0] == made[1]


def test_unknown_codes_are_shown_as_they_stand():
    assert labels.label("extent", "delvis") == "delvis förlorad"
    assert labels.label("extent", "nästan allt") == "nästan allt"
    assert labels.label("loss_class", None) is None
    assert labels.timepoint("2023-10-19") == "2023-10-19"
    assert labels.created("2024-03-01T09:00:00Z") == "2024-03-01 kl. 09:00 (UTC)"


def test_rendering_a_pdf_leaves_no_font_folder_behind(tmp_path, monkeypatch):
    """WeasyPrint copies the fonts to a temporary folder that only a finaliser would remove."""
    import gc
    import tempfile

    from arkivlucka.report.render import html_to_pdf

    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    gc.disable()  # no collection may do it for us
    try:
        pdf = html_to_pdf(b"<!DOCTYPE html><html lang='sv'><body><p>Gallring</p></body></html>")
        assert pdf.startswith(b"%PDF-")
        assert list(tmp_path.iterdir()) == []
    finally:
        gc.enable()


def test_without_a_folder_to_remove_the_finaliser_is_run(tmp_path, monkeypatch):
    """A WeasyPrint that keeps its folder otherwise: a collection runs its finaliser at once."""
    import gc
    import tempfile

    from arkivlucka.report import render

    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    monkeypatch.setattr(render, "_drop_font_folder", lambda fonts: False)
    gc.disable()
    try:
        render.html_to_pdf(b"<!DOCTYPE html><html lang='sv'><body><p>Gallring</p></body></html>")
        assert list(tmp_path.iterdir()) == []
    finally:
        gc.enable()
