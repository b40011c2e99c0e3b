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


_ANY_BOX = re.compile(r"\{(?:legacy:)?([xX ])\}|([☒☐])")
_DATE_IN_LABEL = re.compile(r"^(.*\?)\s*\((.+)\)$")


def _box_items(line: str) -> list[tuple[str, bool, bool]]:
    """A line of boxes as (option, checked, box printed first) items."""
    marks = list(_ANY_BOX.finditer(line))
    texts = _ANY_BOX.split(line)[::3]
    first = not line[: marks[0].start()].strip()
    items = []
    for i, mark in enumerate(marks):
        checked = (mark.group(1) or "") in "xX" if mark.group(1) else mark.group(2) == "☒"
        text = texts[i + 1] if first else texts[i]
        items.append((" ".join(text.split()), checked, first))
    return items


def fillable_pdf_bytes(
    blocks: list,
    *,
    fill: bool = True,
    names: str = "label",
    tooltips: bool = False,
    radios: bool = False,
    fields_page: bool = False,
) -> bytes:
    """A fillable PDF (AcroForm) laid out from seed-style blocks: labels printed, values in fields.

    ``blocks`` are as in ``seed_blocks.SEED_BLOCKS``: a string is printed (boxes in it become
    checkbox fields), a tuple is label, value, label, value… (a value with boxes becomes a
    row of checkboxes, other values text fields). ``names``: "label" names a field after its
    label, "meaningless" Text1, Check2…; ``tooltips`` puts the label in /TU; ``radios`` makes
    each row of boxes after a label one radio group; ``fields_page`` puts every text field
    on a last page without text (so only its tooltip or name can say what it is);
    ``fill=False`` leaves every field empty and every box unchecked.
    """
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfbase.pdfmetrics import stringWidth
    from reportlab.pdfgen import canvas

    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=A4, invariant=1)
    font, size = "Helvetica", 9
    state = {"y": 800.0, "n": 0}
    later: list[tuple[str, str]] = []

    def need(height: float) -> float:
        if state["y"] - height < 40:
            c.showPage()
            state["y"] = 800.0
        c.setFont(font, size)
        y = state["y"]
        state["y"] -= height
        return y

    def fname(kind: str, label: str) -> str:
        state["n"] += 1
        return f"{kind}{state['n']}" if names == "meaningless" else label

    def text_field(label: str, value: str, x: float, y: float, w: float, h: float) -> None:
        extra = {"tooltip": label} if tooltips else {}
        multi = "multiline" if h > 16 else ""
        value = value.replace("…", "...")  # reportlab draws field appearances in Latin-1 only
        c.acroForm.textfield(name=fname("Text", label), value=value if fill else "", x=x, y=y,
                             width=w, height=h, borderWidth=0, fontSize=8, fieldFlags=multi,
                             maxlen=100000, **extra)  # fmt: skip

    def boxes(label: str, line: str, x: float, y: float) -> None:
        items = _box_items(line)
        group = fname("Group", label)
        for option, checked, first in items:
            on = checked and fill
            if first:
                bx, tx = x, x + 12
            else:
                tx, bx = x, x + stringWidth(option, font, size) + 3
            if radios and label and len(items) > 1:
                c.acroForm.radio(name=group, value=option.replace(" ", "_"), selected=on,
                                 x=bx, y=y - 2, size=9, **({"tooltip": label} if tooltips else {}))  # fmt: skip
            else:
                extra = {"tooltip": option} if tooltips else {}
                c.acroForm.checkbox(name=fname("Check", f"{label} {option}".strip()), x=bx,
                                    y=y - 2, size=9, checked=on, buttonStyle="cross", **extra)  # fmt: skip
            c.drawString(tx, y, option)
            x += 12 + stringWidth(option, font, size) + 30

    for block in blocks:
        if isinstance(block, str):
            for line in block.split("\n"):
                y = need(13)
                if _ANY_BOX.search(line):
                    indent = len(line) - len(line.lstrip())
                    boxes("", line.strip(), 40 + 5 * indent, y)
                else:
                    c.drawString(40, y, line)
            continue
        for label, value in zip(block[::2], block[1::2], strict=True):
            dated = _DATE_IN_LABEL.match(label)
            if dated:
                label, date = dated.groups()
                y = need(14)
                c.drawString(40, y, label)
                text_field(label, date, 200, y - 3, 200, 13)
                label = ""
            if _ANY_BOX.search(value):
                y = need(14)
                if label:
                    c.drawString(40, y, label)
                boxes(label, value, 200, y)
            elif fields_page:
                y = need(14)
                c.drawString(40, y, label)
                later.append((label, value))
            elif "\n" not in value and len(value) < 60:
                y = need(14)
                c.drawString(40, y, label)
                text_field(label, value, 200, y - 3, 350, 13)
            else:
                rows = sum(len(textwrap.wrap(p, 110)) or 1 for p in value.split("\n"))
                y = need(14 + rows * 10 + 8)
                c.drawString(40, y, label)
                text_field(label, value, 40, y - 6 - rows * 10, 515, rows * 10 + 2)
    if later:
        c.showPage()
        c.line(40, 820, 555, 820)  # a page with fields and no text
        y = 800.0
        for label, value in later:
            text_field(label, value, 40, y - 40, 515, 40)
            y -= 50
    c.save()
    return buf.getvalue()


# -- the corpus: a form's text rendered the way its name says ----------------------------------
def table_blocks(text: str) -> list:
    """Lines "label | value | ..." as table rows (tuples), other lines as paragraphs."""
    return [tuple(c.strip() for c in ln.split("|")) if "|" in ln else ln for ln in text.split("\n")]


def scan_pages(
    text: str, *, dpi: int = 150, rotate: float = 1.0, noise: float = 0.02, seed: int = 7
) -> list:
    """The form printed on A4 pages and scanned: grey images at ``dpi``, rotated, noisy.

    The text is drawn in DejaVu Sans 10 pt with ☒/☐ glyphs; ``noise`` is the share of
    pixels flipped to a random grey; a fixed ``seed`` makes the scan the same every run.
    """
    import random

    from PIL import Image, ImageDraw, ImageFont

    rng = random.Random(seed)
    width, height = round(8.27 * dpi), round(11.69 * dpi)
    font = ImageFont.truetype(str(DEJAVU), round(10 / 72 * dpi))
    step = round(14 / 72 * dpi)
    margin = round(0.7 * dpi)
    pages, page, y = [], None, 0
    for line in text.split("\n"):
        for part in textwrap.wrap(line, 95, break_long_words=False) or [""]:
            if page is None or y > height - margin:
                page = Image.new("L", (width, height), 255)
                pages.append(page)
                y = margin
            ImageDraw.Draw(page).text((margin, y), part, font=font, fill=0)
            y += step
    out = []
    for page in pages:
        page = page.rotate(rotate, resample=Image.Resampling.BICUBIC, fillcolor=255)
        px = page.load()
        for _ in range(int(width * height * noise)):
            x, yy = rng.randrange(width), rng.randrange(height)
            px[x, yy] = rng.randrange(80, 256)
        out.append(page)
    return out


def png_bytes(pages: list) -> bytes:
    """The first page as PNG (a one-page scan); several pages as a multi-page TIFF."""
    buf = io.BytesIO()
    if len(pages) == 1:
        pages[0].save(buf, format="PNG")
    else:
        pages[0].save(buf, format="TIFF", save_all=True, append_images=pages[1:])
    return buf.getvalue()


def image_pdf_bytes(pages: list, dpi: int = 150) -> bytes:
    """The pages as a PDF of images only (no text layer), as a scanner writes it."""
    buf = io.BytesIO()
    pages[0].save(buf, format="PDF", save_all=True, append_images=pages[1:], resolution=dpi)
    return buf.getvalue()


def corpus_bytes(path: Path) -> tuple[bytes, str]:
    """A corpus form as the file its name says: ``docx_table_*`` (Word tables),
    ``fillable_*`` (AcroForm), ``pdf_*`` (text layer), ``scan_png_*`` / ``scan_pdf_*``
    (rendered, degraded scans: 150 dpi and 1° unless the name says ``_300dpi``, ``_2deg``,
    ``_m1p5deg`` for -1.5°), else the text itself. Returns the bytes and a file name."""
    text = path.read_text(encoding="utf-8")
    name = path.stem
    if name.startswith("docx_"):
        return docx_bytes(table_blocks(text)), f"{name}.docx"
    if name.startswith("fillable_"):
        return fillable_pdf_bytes(table_blocks(text)), f"{name}.pdf"
    if name.startswith("pdf_"):
        return pdf_bytes(text), f"{name}.pdf"
    if name.startswith(("scan_png_", "scan_pdf_")):
        dpi = re.search(r"_(\d+)dpi", name)
        tilt = re.search(r"_(m?)(\d+(?:p\d+)?)deg", name)
        rotate = (
            float(tilt.group(2).replace("p", ".")) * (-1 if tilt.group(1) else 1) if tilt else 1.0
        )
        pages = scan_pages(text, dpi=int(dpi.group(1)) if dpi else 150, rotate=rotate)
        if name.startswith("scan_png_"):
            return png_bytes(pages), f"{name}.png"
        return image_pdf_bytes(pages, int(dpi.group(1)) if dpi else 150), f"{name}.pdf"
    return text.encode("utf-8"), path.name


def leaves(data, prefix: str = "") -> dict[str, object]:
    """Every field of incident data by its path (``reported_by.name``, ``lost_records[0].title``);
    a list of texts (``categories``) is one field."""
    out: dict[str, object] = {}
    if isinstance(data, dict):
        for key, value in data.items():
            out.update(leaves(value, f"{prefix}.{key}" if prefix else key))
    elif isinstance(data, list) and data and all(isinstance(v, dict) for v in data):
        for i, value in enumerate(data):
            out.update(leaves(value, f"{prefix}[{i}]"))
    else:
        out[prefix] = _text(data) if isinstance(data, str) else data
    return out


def _text(value: str) -> str:
    """A text as compared: white space folded, dash kinds alike, no final full stop — the
    marks a scan's OCR drops or swaps without changing what the form says."""
    return re.sub(r"[–—]", "-", " ".join(value.split())).rstrip(".")


def score(expected: dict, result) -> tuple[int, int, list[str], list[str]]:
    """Fields right, fields in all, the paths read wrong, and those wrong with no warning.

    Texts are compared as ``_text`` gives them.
    A field is warned when a warning's path is the field, a part of it or holds it
    (``consequences`` warns ``consequences.restored``), or, for proposals, when the
    section has a warning.
    """
    want, got = leaves(expected), leaves(result.data)
    paths = sorted(set(want) | set(got))
    wrong = [p for p in paths if want.get(p) != got.get(p)]
    warned = {f.path for f in result.warnings if f.path}

    def is_warned(path: str) -> bool:
        base = path.split("[")[0]
        return any(
            w in (path, base) or path.startswith(w + ".") or w.startswith(path + ".")
            for w in warned
        )

    silent = [p for p in wrong if not is_warned(p)]
    return len(paths) - len(wrong), len(paths), wrong, silent
