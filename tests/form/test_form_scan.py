"""Scanned forms: OCR with Tesseract, boxes found on the image, and clear messages when missing."""

from __future__ import annotations

import stat

import pytest

from arkivlucka.core.errors import FormError
from arkivlucka.form.ocr import ocr_pages
from arkivlucka.form.pipeline import import_form
from support.formgen import image_pdf_bytes, png_bytes, scan_pages

LINE = "Återställning: ☐ Återställt ☒ Delvis återställt ☐ Ej återställt"


@pytest.mark.parametrize(
    ("dpi", "rotate"), [(150, 0.0), (150, 1.0), (200, -2.0), (300, 1.0), (300, 2.0)]
)
def test_boxes_are_found_on_the_image(dpi, rotate):
    pages = scan_pages(f"{LINE}\n\nVerksamhetskritisk tjänst: ☒ Ja ☐ Nej", dpi=dpi, rotate=rotate)
    lines = [ln.text for ln in ocr_pages(pages, "scan.png") if ln.text.strip()]
    assert lines[0].count("☒") == 1 and lines[0].count("☐") == 2
    assert lines[0].index("☒") < lines[0].index("Delvis") < lines[0].index("☐", lines[0].index("☒"))
    assert "☒ Ja" in lines[1] and "☐ Nej" in lines[1]


def test_scan_text_keeps_page_of_each_line():
    text = "\n".join(f"Rad {n} med text" for n in range(90))  # two A4 pages at 14 pt
    lines = ocr_pages(scan_pages(text, noise=0.0), "scan.png")
    pages = {ln.page for ln in lines if ln.text.startswith("Rad")}
    assert pages == {1, 2}


def _form_scan(kind: str) -> bytes:
    from support.helpers import DATA

    text = (DATA / "forms" / "numbered_sections.txt").read_text(encoding="utf-8")
    pages = scan_pages(text)
    return png_bytes(pages) if kind == "png" else image_pdf_bytes(pages)


@pytest.mark.parametrize("kind", ["png", "pdf"])
def test_missing_tesseract_says_how_to_install_it(kind, tmp_path):
    with pytest.raises(FormError) as info:
        import_form(_form_scan(kind), f"scan.{kind}", tesseract=str(tmp_path / "no-tesseract"))
    (finding,) = info.value.findings
    assert finding.code == "ocr-missing"
    assert "apt-get install tesseract-ocr tesseract-ocr-swe" in finding.message


def test_tesseract_without_swedish_says_how_to_install_it(tmp_path):
    fake = tmp_path / "tesseract"
    fake.write_text("#!/bin/sh\necho 'List of available languages (1):'\necho eng\n")
    fake.chmod(fake.stat().st_mode | stat.S_IEXEC)
    with pytest.raises(FormError) as info:
        import_form(_form_scan("png"), "scan.png", tesseract=str(fake))
    assert "Swedish" in info.value.findings[0].message
    assert "tesseract-ocr-swe" in info.value.findings[0].message


def test_missing_tesseract_via_environment(tmp_path, monkeypatch):
    monkeypatch.setenv("ARKIVLUCKA_TESSERACT", str(tmp_path / "gone"))
    with pytest.raises(FormError) as info:
        import_form(_form_scan("png"), "scan.png")
    assert info.value.findings[0].code == "ocr-missing"


def test_cli_reads_a_scan_and_prints_where_each_value_came_from(tmp_path):
    from click.testing import CliRunner

    from arkivlucka.cli import cli

    scan = tmp_path / "scan.png"
    scan.write_bytes(_form_scan("png"))
    result = CliRunner().invoke(cli, ["import", str(scan), "-o", str(tmp_path / "i.yaml")])
    assert result.exit_code == 0, result.stderr
    assert "fields read:" in result.stderr
    summary = result.stderr.split("fields read:")[1]
    assert "department" in summary and "p. 1, l." in summary
    written = (tmp_path / "i.yaml").read_text(encoding="utf-8")
    assert "# read from p. 1, l. " in written
    assert "department: Kultur- och fritidsförvaltningen" in written
