"""The form corpus: varied forms from imagined municipalities, each with its expected reading.

Each ``tests/data/forms/NAME.txt`` is rendered as its name says (``docx_table_*`` Word tables,
``fillable_*`` AcroForm, ``pdf_*`` text layer, ``scan_png_*`` / ``scan_pdf_*`` degraded
scans read by OCR, else text) and read by ``import``; ``NAME.expected.json`` beside it is
the reviewed reading. Forms with a text layer must read exactly; a scan must read at least
90 % of its fields right and nothing wrong without a warning.
"""

from __future__ import annotations

import json

import pytest

from arkivlucka.form.pipeline import import_form
from support.formgen import corpus_bytes, score
from support.helpers import DATA

FORMS = sorted((DATA / "forms").glob("*.txt"))


def test_corpus_is_varied():
    names = [p.stem for p in FORMS]
    assert len(names) >= 15
    for kind in ("docx_table_", "fillable_", "pdf_", "scan_png_", "scan_pdf_"):
        assert any(n.startswith(kind) for n in names), kind


@pytest.mark.parametrize("form", FORMS, ids=[p.stem for p in FORMS])
def test_corpus_form_reads_as_expected(form):
    data, name = corpus_bytes(form)
    result = import_form(data, name)
    expected = json.loads(form.with_suffix(".expected.json").read_text(encoding="utf-8"))
    right, total, wrong, silent = score(expected, result)
    assert silent == [], f"wrong without a warning: {silent}"
    if form.stem.startswith("scan_"):
        assert result.kind in ("image", "pdf-scan")
        assert right / total >= 0.9, wrong
    else:
        assert wrong == []


def test_corpus_scan_reports_pages_and_ocr_doubts():
    form = DATA / "forms" / "scan_png_marks_rotated_noisy.txt"
    data, name = corpus_bytes(form)
    result = import_form(data, name)
    assert all(src.page == 1 for src in result.provenance.values())
    doubts = [f for f in result.warnings if f.code == "value-uncertain"]
    assert doubts and all(f.line for f in doubts)
