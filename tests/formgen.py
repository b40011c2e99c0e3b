"""Test helpers: write a form's text as .pdf (reportlab) or .docx (python-docx) in the session."""

from __future__ import annotations

import io
import re
import textwrap
from pathlib import Path

DEJAVU = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")


def pdf_bytes(text: str, *, wrap: int = 90, boxes_as_glyphs: bool | None = None) -> bytes:
    """The text drawn line by line on A4 pages; long lines wrapped like a real form's cells.

    With DejaVu Sans present the checkboxes are drawn as ☒/☐; otherwise (or when asked) as
    [X]/[ ] in Helvetica, which the reader reads the same.
    """
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    glyphs = DEJAVU.exists() if boxes_as_glyphs is None else boxes_as_glyphs
    font = "Helvetica"
    if glyphs:
        from reportlab.pdfbase import pdfmetrics
        from reportlab.pdfbase.ttfonts import TTFont

        pdfmetrics.registerFont(TTFont("DejaVu", str(DEJAVU)))
        font = "DejaVu"
    else:
        text = text.replace("☒", "[X]").replace("☐", "[ ]")
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=A4, invariant=1)
    y = 800.0
    c.setFont(font, 9)
    for line in text.split("\n"):
        for part in textwrap.wrap(line, wrap, break_long_words=False) or [""]:
            if y < 40:
                c.showPage()
                c.setFont(font, 9)
                y = 800.0
            c.drawString(40, y, part)
            y -= 12
    c.save()
    return buf.getvalue()


W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
W14 = "http://schemas.microsoft.com/office/word/2010/wordml"
BOX_TOKEN = re.compile(r"\{(x| |X)\}|\{legacy:(x| )\}")


def _box_xml(checked: bool, shown: str | None = None) -> str:
    """A Word content-control checkbox; ``shown`` is the glyph displayed (may be stale)."""
    glyph = shown or ("☒" if checked else "☐")
    return (
        f'<w:sdt xmlns:w="{W}" xmlns:w14="{W14}"><w:sdtPr><w14:checkbox>'
        f'<w14:checked w14:val="{int(checked)}"/>'
        '<w14:checkedState w14:val="2612" w14:font="MS Gothic"/>'
        '<w14:uncheckedState w14:val="2610" w14:font="MS Gothic"/>'
        f"</w14:checkbox></w:sdtPr><w:sdtContent><w:r><w:t>{glyph}</w:t></w:r>"
        "</w:sdtContent></w:sdt>"
    )


def _legacy_xml(checked: bool) -> str:
    """A legacy form-field checkbox (FORMCHECKBOX) run."""
    return (
        f'<w:r xmlns:w="{W}"><w:fldChar w:fldCharType="begin"><w:ffData><w:name w:val="K"/>'
        f'<w:checkBox><w:sizeAuto/><w:default w:val="{int(checked)}"/></w:checkBox>'
        "</w:ffData></w:fldChar></w:r>"
    )


def _fill(paragraph, text: str) -> None:
    """Add ``text`` to a python-docx paragraph; {x}/{ } become content-control checkboxes,
    {X} a checked one that still shows ☐, {legacy:x}/{legacy: } legacy checkbox fields."""
    from docx.oxml import parse_xml

    pos = 0
    for mt in BOX_TOKEN.finditer(text):
        if mt.start() > pos:
            paragraph.add_run(text[pos : mt.start()])
        if mt.group(2) is not None:
            paragraph._p.append(parse_xml(_legacy_xml(mt.group(2) == "x")))
        else:
            checked = mt.group(1) in "xX"
            paragraph._p.append(parse_xml(_box_xml(checked, "☐" if mt.group(1) == "X" else None)))
        pos = mt.end()
    if pos < len(text):
        paragraph.add_run(text[pos:])


def docx_bytes(blocks: list[str | tuple[str, ...]]) -> bytes:
    """A Word document: a str is a paragraph, a tuple of strings is a table row of cells
    (consecutive rows make one table); a cell's newlines make separate paragraphs."""
    import docx

    document = docx.Document()
    table = None
    for block in blocks:
        if isinstance(block, str):
            table = None
            for para in block.split("\n"):
                _fill(document.add_paragraph(), para)
            continue
        if table is None or len(table.columns) != len(block):
            table = document.add_table(rows=0, cols=len(block))
        cells = table.add_row().cells
        for cell, text in zip(cells, block, strict=True):
            first, *rest = text.split("\n")
            _fill(cell.paragraphs[0], first)
            for para in rest:
                _fill(cell.add_paragraph(), para)
    buf = io.BytesIO()
    document.save(buf)
    return buf.getvalue()
