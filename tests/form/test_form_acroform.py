"""Fillable PDFs (AcroForm): values typed into form fields are read like printed values."""

from __future__ import annotations

import io

import pytest

from arkivlucka.cli import cli
from arkivlucka.form import acroform as form_acro
from arkivlucka.form.parse import label_key
from arkivlucka.form.pipeline import import_form, import_path
from arkivlucka.form.read import read_form
from support.formgen import fillable_pdf_bytes, pdf_bytes
from support.helpers import SAMPLES
from support.seed_blocks import SEED_BLOCKS

SEED = SAMPLES / "digframe" / "form.txt"


@pytest.fixture(scope="module")
def seed():
    return import_path(SEED)


def _flat(value):
    """Values with spacing (and the ellipsis reportlab cannot draw in a field) made plain."""
    if isinstance(value, str):
        return " ".join(value.replace("…", "...").split())
    if isinstance(value, dict):
        return {k: _flat(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_flat(v) for v in value]
    return value


@pytest.mark.parametrize(
    "options",
    [
        pytest.param({}, id="named-after-labels"),
        pytest.param({"names": "meaningless"}, id="Text1-Check2-beside-labels"),
        pytest.param({"names": "meaningless", "radios": True}, id="radio-groups"),
        pytest.param({"names": "meaningless", "tooltips": True}, id="tooltips-and-positions"),
        pytest.param(
            {"names": "meaningless", "tooltips": True, "fields_page": True},
            id="tooltips-only",
        ),
        pytest.param({"fields_page": True}, id="field-names-only"),
    ],
)
def test_fillable_seed_imports_the_same_facts_as_its_text(seed, options):
    pdf = fillable_pdf_bytes(SEED_BLOCKS, **options)
    plain = read_form(pdf_bytes("Förvaltning\nKontaktperson"), "x.pdf")
    assert plain.findings == ()
    result = import_form(pdf, "fillable.pdf")
    assert result.kind == "pdf"
    assert result.warnings == []
    assert _flat(result.data) == _flat(seed.data)


def test_fillable_pdf_values_are_only_in_fields():
    """The test form itself: its page text holds labels and options, not the values."""
    from pypdf import PdfReader

    pdf = fillable_pdf_bytes(SEED_BLOCKS, names="meaningless")
    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages)
    assert "Kontaktperson" in text and "Konstaterad incident" in text
    assert "Kommunledningsförvaltningen" not in text and "☒" not in text
    lines = read_form(pdf, "f.pdf").lines
    assert lines[lines.index("Förvaltning") + 1] == "Kommunledningsförvaltningen"
    assert lines[lines.index("Typ av händelse") + 1 :][:2] == [
        "☒Konstaterad incident",
        "☐Misstänkt incident",
    ]
    assert "Uppskattad tid ☐" in lines and "Exakt tid ☒" in lines  # box after its option


def _swap_kind(blocks):
    out = []
    for block in blocks:
        if isinstance(block, tuple) and block[0] == "Typ av händelse":
            block = ("Typ av händelse", "{ }Konstaterad incident    {x}Misstänkt incident")
        out.append(block)
    return out


@pytest.mark.parametrize("radios", [True, False], ids=["radio-group", "checkboxes"])
def test_kind_from_the_selected_option(radios):
    pdf = fillable_pdf_bytes(_swap_kind(SEED_BLOCKS), names="meaningless", radios=radios)
    result = import_form(pdf, "f.pdf")
    assert result.data["kind"] == "suspected"
    assert result.warnings == []


def test_unfilled_fillable_form_reports_everything_missing():
    result = import_form(fillable_pdf_bytes(SEED_BLOCKS, fill=False), "blank.pdf")
    d = result.data
    for key in ("department", "unit", "reported_by", "kind", "status", "summary", "discovered",
                "occurred", "categories", "consequences", "actions_taken", "actions_planned",
                "scope", "valuation", "culling_notes", "police_report", "personal_data_risk"):  # fmt: skip
        assert key not in d, key
    codes = {(f.code, f.path) for f in result.warnings}
    assert {("field-empty", "department"), ("field-empty", "reported_by.name"),
            ("field-empty", "summary"), ("checkbox-empty", "kind"), ("checkbox-empty", "status"),
            ("date-unparseable", "discovered.at"), ("checkbox-empty", "categories"),
            ("checkbox-empty", "police_report"), ("checkbox-empty", "personal_data_risk"),
            } <= codes  # fmt: skip
    assert not any(f.code == "form-field-unplaced" for f in result.findings)


def test_a_field_that_cannot_be_placed_is_reported_by_name():
    pdf = fillable_pdf_bytes(SEED_BLOCKS, names="meaningless", fields_page=True)
    result = import_form(pdf, "f.pdf")
    unplaced = [f for f in result.warnings if f.code == "form-field-unplaced"]
    assert len(unplaced) == 10  # the text fields, not the boxes beside their options
    first = unplaced[0]
    assert first.file == "f.pdf" and first.path == "Text50"
    assert "'Kommunledningsförvaltningen'" in first.message
    assert "department" not in result.data  # nothing guessed from an unplaced value


def _small_form(draw) -> bytes:
    from reportlab.pdfgen import canvas

    buf = io.BytesIO()
    c = canvas.Canvas(buf, invariant=1)
    c.setFont("Helvetica", 9)
    draw(c)
    c.save()
    return buf.getvalue()


def _merged(pdf: bytes) -> tuple[list[str], list]:
    from pypdf import PdfReader

    text, findings = form_acro.merged_text(PdfReader(io.BytesIO(pdf)), label_key)
    return text.split("\n"), findings


def test_boxes_inside_one_run_of_options_go_before_their_option():
    def draw(c):
        c.drawString(40, 700, "Typ av händelse")
        c.drawString(160, 700, "Konstaterad incident                    Misstänkt incident")
        c.acroForm.checkbox(name="A", x=148, y=698, size=9, checked=False)
        c.acroForm.checkbox(name="B", x=278, y=698, size=9, checked=True)

    lines, findings = _merged(_small_form(draw))
    assert "☐Konstaterad incident                    ☒Misstänkt incident" in lines
    assert findings == []


def test_a_box_printed_under_the_field_is_replaced_by_its_state():
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    from support.formgen import DEJAVU

    assert DEJAVU.exists(), "DejaVu Sans is needed to draw ☐ into the test PDF"
    pdfmetrics.registerFont(TTFont("DejaVu", str(DEJAVU)))

    def draw(c):
        c.setFont("DejaVu", 9)
        c.drawString(40, 700, "Polisanmäld?")
        c.drawString(150, 700, "☐")  # a box glyph of its own, the option after it
        c.drawString(160, 700, "Ja")
        c.acroForm.checkbox(name="A", x=149, y=698, size=9, checked=False)
        c.drawString(200, 700, "☐")
        c.drawString(210, 700, "Nej")
        c.acroForm.checkbox(name="B", x=199, y=698, size=9, checked=True)
        c.drawString(40, 680, "Exakt tid ☐")  # a box glyph at the end of its option
        c.acroForm.checkbox(name="C", x=85, y=678, size=9, checked=True)

    lines, findings = _merged(_small_form(draw))
    assert lines[:5] == [
        "Polisanmäld?",
        "☐",
        "Ja",
        "☒",
        "Nej",
    ]
    assert lines[5] in ("Exakt tid ☒", "Exakt tid☒")
    assert findings == []


def test_options_known_only_from_the_field_follow_their_label():
    def draw(c):
        c.drawString(40, 700, "Typ av händelse")
        for value, on, x in (
            ("Konstaterad_incident", False, 200),
            ("Misstänkt_incident", True, 300),
        ):
            c.acroForm.radio(name="R1", value=value, selected=on, x=x, y=698, size=9)
        c.drawString(40, 680, "Polisanmäld?")
        c.acroForm.checkbox(name="K1", x=200, y=678, size=9, checked=False, tooltip="Ja")
        c.acroForm.checkbox(name="K2", x=300, y=678, size=9, checked=True, tooltip="Nej")
        c.drawString(40, 660, "Verksamhetskritisk tjänst")  # options printed, tooltips help
        c.acroForm.checkbox(name="K3", x=200, y=658, size=9, checked=True, tooltip="Kryssa i")
        c.drawString(212, 660, "Ja")
        c.acroForm.checkbox(name="K4", x=300, y=658, size=9, checked=False, tooltip="Kryssa i")
        c.drawString(312, 660, "Nej")

    lines, findings = _merged(_small_form(draw))
    assert lines == [
        "Typ av händelse",
        "☐Konstaterad incident",
        "☒Misstänkt incident",
        "Polisanmäld?",
        "☐Ja",
        "☒Nej",
        "Verksamhetskritisk tjänst",
        "☒Ja",
        "☐Nej",
    ]
    assert findings == []


def test_radio_group_and_choice_not_beside_text_are_written_under_their_tooltip():
    def draw(c):
        c.drawString(40, 700, "Typ av händelse")
        c.drawString(40, 680, "Förvaltning")
        for value, on, x in (
            ("Konstaterad_incident", True, 300),
            ("Misstänkt_incident", False, 330),
        ):
            c.acroForm.radio(name="R1", value=value, selected=on, x=x, y=100, size=9,
                             tooltip="Typ av händelse")  # fmt: skip
        c.acroForm.choice(name="C1", value="kf", options=[("Kommunledningsförvaltningen", "kf"),
                          ("Miljöförvaltningen", "mf")], x=300, y=60, width=150, height=14,
                          tooltip="Förvaltning")  # fmt: skip
        c.acroForm.checkbox(name="Check9", x=300, y=30, size=9, checked=True)

    lines, findings = _merged(_small_form(draw))
    at = lines.index("Typ av händelse")
    assert lines[at + 1] == "☒Konstaterad incident  ☐Misstänkt incident"
    assert lines[lines.index("Förvaltning") + 1] == "Kommunledningsförvaltningen"
    assert [(f.code, f.path) for f in findings] == [("form-field-unplaced", "Check9")]


def test_fields_between_labels_printed_in_one_run():
    def draw(c):
        c.drawString(40, 700, "Kontaktperson                                                E-post")
        c.acroForm.textfield(name="T1", value="Anna Berg", x=110, y=697, width=150, height=13)
        c.acroForm.textfield(name="T2", value="anna@norrvik.se", x=330, y=697, width=150,
                             height=13)  # fmt: skip

    lines, findings = _merged(_small_form(draw))
    assert lines == ["Kontaktperson", "Anna Berg", "E-post", "anna@norrvik.se"]
    assert findings == []


def test_label_above_a_text_field_and_unfilled_or_hidden_fields_add_nothing():
    def draw(c):
        c.drawString(40, 700, "Vidtagna åtgärder")
        c.acroForm.textfield(name="T1", value="Rad ett\nRad två", x=40, y=650, width=400,
                             height=44, fieldFlags="multiline")  # fmt: skip
        c.drawString(40, 620, "Planerade åtgärder")
        c.acroForm.textfield(name="T2", value="", x=40, y=580, width=400, height=34)
        c.acroForm.textfield(name="T3", value="dold", x=40, y=540, width=400, height=34,
                             annotationFlags="hidden")  # fmt: skip

    lines, findings = _merged(_small_form(draw))
    assert lines == ["Vidtagna åtgärder", "Rad ett", "Rad två", "Planerade åtgärder"]
    assert findings == []


def test_pdf_without_fields_reads_as_before():
    from pypdf import PdfReader

    pdf = pdf_bytes(SEED.read_text(encoding="utf-8"))
    reader = PdfReader(io.BytesIO(pdf))
    assert not form_acro.has_fields(reader)
    plain = "\n".join((p.extract_text() or "").rstrip("\n") for p in reader.pages)
    form = read_form(pdf, "seed.pdf")
    from arkivlucka.form.read import normalise_lines

    assert form.lines == normalise_lines(plain) and form.findings == ()


def test_damaged_fields_fall_back_to_the_printed_text(monkeypatch):
    def broken(reader, key):
        raise ValueError("bad /Kids")

    monkeypatch.setattr(form_acro, "merged_text", broken)
    result = import_form(fillable_pdf_bytes(SEED_BLOCKS), "f.pdf")
    assert [f.code for f in result.warnings][:1] == ["form-fields-unreadable"]
    assert "bad /Kids" in result.warnings[0].message
    assert "department" not in result.data


def test_cli_imports_a_fillable_pdf_and_strict_fails_on_unplaced_fields(runner, tmp_path):
    good = tmp_path / "ifylld.pdf"
    good.write_bytes(fillable_pdf_bytes(SEED_BLOCKS, names="meaningless"))
    result = runner.invoke(cli, ["import", str(good)])
    assert result.exit_code == 0, result.stderr
    assert "department: Kommunledningsförvaltningen" in result.stdout
    assert "kind: confirmed" in result.stdout
    assert "warning" not in result.stderr
    lost = tmp_path / "lost.pdf"
    lost.write_bytes(fillable_pdf_bytes(SEED_BLOCKS, names="meaningless", fields_page=True))
    result = runner.invoke(cli, ["import", str(lost), "--strict", "-o", str(tmp_path / "o.yaml")])
    assert result.exit_code == 1
    assert f"{lost}: warning: form field 'Text50'" in result.stderr
    assert "[form-field-unplaced]" in result.stderr
    assert result.stdout == ""


def test_when_text_positions_do_not_map_fields_go_under_their_labels(monkeypatch, seed):
    real = form_acro.text_pieces
    monkeypatch.setattr(form_acro, "text_pieces", lambda page: (real(page)[0], []))
    result = import_form(fillable_pdf_bytes(SEED_BLOCKS, radios=True), "f.pdf")
    d = result.data
    assert (d["department"], d["reported_by"]) == (
        seed.data["department"],
        seed.data["reported_by"],
    )
    assert _flat(d["summary"]) == _flat(seed.data["summary"])
    assert (d["kind"], d["status"], d["police_report"]) == ("confirmed", "closed", False)
    unplaced = {f.path for f in result.warnings if f.code == "form-field-unplaced"}
    # lone checkboxes (categories) have no label to go under: reported, not guessed
    assert "Informationsförlust" in unplaced and "categories" not in d
