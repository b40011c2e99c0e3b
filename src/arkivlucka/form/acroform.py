"""Read-form stage, fillable PDFs: AcroForm field values merged into the page's text.

The values typed into a fillable PDF live in its form fields, not in the page text. Each
widget is placed by its rectangle against the positions of the extracted text pieces: a
text value on its own line after the label to its left (or above it), a checkbox or radio
button as ☒/☐ before the option printed to its right (after the option to its left). A
field that cannot be placed that way is written as "label" + value lines when its tooltip
(/TU) or name (/T) is one of the form's labels; otherwise it is reported, never guessed.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from arkivlucka.core.findings import Finding, warning
from arkivlucka.core.text import shown

CHECKED, UNCHECKED = "☒", "☐"
_PUSHBUTTON, _RADIO = 1 << 16, 1 << 15
_GENERIC_ON = {"yes", "on", "1", "true", "checked", "x", "kryss", "off", "ja"}
_MAX_INHERIT = 32  # /Parent chains deeper than this are treated as broken
_SEGMENTS = re.compile(r"\S(?:.*?\S)?(?=\s{2,}|\s*$)")
_BOX = r"(?:[☐☒☑⊠□]|\[\s*[xX✓✔]?\s*\])"
_LONE_BOX = re.compile(rf"^\s*{_BOX}\s*$")
_BOX_FIRST = re.compile(rf"^\s*{_BOX}\s?")
_BOX_LAST = re.compile(rf"\s?{_BOX}\s*$")


@dataclass
class Widget:
    """One widget annotation of a field, with what the field says."""

    name: str  # the field's full name (/T of it and its parents, joined by '.')
    tooltip: str
    kind: str  # "text", "box" or "choice"
    value: str = ""  # a text or choice value ("" when not filled in)
    checked: bool = False
    on_state: str = ""
    rect: tuple[float, float, float, float] | None = None
    options: list[str] = field(default_factory=list)  # a radio group's on-states
    group: bool = False  # one widget of a radio group


@dataclass
class _Piece:
    text: str
    x: float
    y: float
    size: float
    before: list[str] = field(default_factory=list)
    inline: list[tuple[int, str]] = field(default_factory=list)
    box: str = ""  # the state of the field over a box printed as this piece
    after: list[tuple[float, float, str]] = field(default_factory=list)


def has_fields(reader: Any) -> bool:
    """Whether the PDF is a fillable form: its catalog lists form fields (/AcroForm /Fields)."""
    ref = reader.trailer["/Root"].get("/AcroForm")
    form: Any = ref.get_object() if ref is not None else None
    fields = form.get("/Fields") if hasattr(form, "get") else None
    return bool(fields.get_object()) if fields is not None else False


def merged_text(reader: Any, label_key: Callable[[str], str | None]) -> tuple[str, list[Finding]]:
    """The pages' text with every field's value placed in it, and findings for those not placed.

    ``label_key`` gives the key of a form label (or None), for fields that cannot be placed
    by position but whose tooltip or name is a label.
    """
    pages: list[str] = []
    unplaced: list[Widget] = []
    for page in reader.pages:
        widgets = [w for w in (_widget(a) for a in _page_widgets(page)) if w is not None]
        if not widgets:
            pages.append((page.extract_text() or "").rstrip("\n"))
            continue
        text, left = _place(page, widgets)
        pages.append(text.rstrip("\n"))
        unplaced += left
    lines = "\n".join(pages).split("\n")
    blocks, findings = _by_label(unplaced, label_key)
    keys = [label_key(line) for line in lines] if blocks else []
    tail: list[str] = []
    for key, label, values in blocks:
        if key in keys:  # the label is printed: its value goes right under it
            at = keys.index(key) + 1
            lines[at:at] = values
            keys[at:at] = [None] * len(values)
        else:
            tail += [label, *values, ""]
    return "\n".join(lines + tail), findings


def _page_widgets(page: Any) -> list[Any]:
    annots = page.get("/Annots")
    out = []
    for ref in annots.get_object() if annots is not None else []:
        annot = ref.get_object()
        hidden = hasattr(annot, "get") and int(annot.get("/F", 0)) & 2
        if hasattr(annot, "get") and annot.get("/Subtype") == "/Widget" and not hidden:
            out.append(annot)
    return out


def _inherited(annot: Any, key: str) -> Any:
    node, depth = annot, 0
    while node is not None and depth < _MAX_INHERIT:
        if key in node:
            return node[key]
        parent = node.get("/Parent")
        node = parent.get_object() if parent is not None else None
        depth += 1
    return None


def _full_name(annot: Any) -> str:
    parts: list[str] = []
    node, depth = annot, 0
    while node is not None and depth < _MAX_INHERIT:
        if "/T" in node:
            parts.append(str(node["/T"]))
        parent = node.get("/Parent")
        node = parent.get_object() if parent is not None else None
        depth += 1
    return ".".join(reversed(parts))


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        return ", ".join(_text(v) for v in value)
    value = value.get_object() if hasattr(value, "get_object") else value
    if hasattr(value, "get_data"):  # a rich-text or long value stored as a stream
        return bytes(value.get_data()).decode("utf-8", "replace")
    return str(value).replace("\r\n", "\n").replace("\r", "\n")


def _on_state(annot: Any) -> str:
    ap = annot.get("/AP")
    normal = ap.get_object().get("/N") if ap is not None else None
    normal = normal.get_object() if normal is not None else {}
    if hasattr(normal, "keys"):
        for key in normal:
            if str(key) != "/Off":
                return _name(str(key).lstrip("/"))
    return ""


def _name(name: str) -> str:
    """A PDF name's text, with a Windows-1252 name that pypdf decoded as GBK read back.

    pypdf tries UTF-8, then GBK: ``Misstänkt`` written in Windows-1252 comes out as CJK.
    """
    if any(ord(ch) >= 0x2E80 for ch in name):
        try:
            return name.encode("gbk").decode("cp1252")
        except (UnicodeEncodeError, UnicodeDecodeError):
            return name
    return name


def _widget(annot: Any) -> Widget | None:
    ftype = _inherited(annot, "/FT")
    flags = int(_inherited(annot, "/Ff") or 0)
    name, tooltip = _full_name(annot), _text(_inherited(annot, "/TU")).strip()
    rect = annot.get("/Rect")
    box: tuple[float, float, float, float] | None = None
    if rect is not None and len(rect) == 4:
        x0, y0, x1, y1 = (float(v) for v in rect)
        box = (min(x0, x1), min(y0, y1), max(x0, x1), max(y0, y1))
    if ftype == "/Tx":
        return Widget(name, tooltip, "text", _text(_inherited(annot, "/V")).strip(), rect=box)
    if ftype == "/Ch":
        return Widget(name, tooltip, "choice", _choice(annot), rect=box)
    if ftype != "/Btn" or flags & _PUSHBUTTON:
        return None  # signatures and push buttons hold no answer
    state = annot.get("/AS")
    on = _on_state(annot) or (_name(str(state).lstrip("/")) if state not in (None, "/Off") else "")
    value = _name(str(_inherited(annot, "/V") or "/Off").lstrip("/"))
    checked = _name(str(state).lstrip("/")) == on if state is not None else bool(on) and value == on
    w = Widget(name, tooltip, "box", checked=bool(on) and checked, on_state=on, rect=box)
    parent = annot.get("/Parent")
    if parent is not None and "/T" not in annot:
        kids = parent.get_object().get("/Kids") or []
        w.options = [_on_state(k.get_object()) for k in kids]
        w.group = bool(flags & _RADIO) or len(kids) > 1
    return w


def _choice(annot: Any) -> str:
    value = _inherited(annot, "/V")
    chosen = [_text(v) for v in value] if isinstance(value, list) else [_text(value)]
    labels = {}
    for opt in _inherited(annot, "/Opt") or []:
        opt = opt.get_object() if hasattr(opt, "get_object") else opt
        if isinstance(opt, list) and len(opt) == 2:  # [export value, text shown]
            labels[_text(opt[0])] = _text(opt[1])
    return ", ".join(labels.get(v, v) for v in chosen if v.strip()).strip()


def text_pieces(page: Any) -> tuple[str, list[_Piece]]:
    """A page's text and each text run with its position (empty when positions are unknown)."""
    pieces: list[_Piece] = []

    def visit(text: str, cm: Any, tm: Any, font: Any, size: float) -> None:
        x = tm[4] * cm[0] + tm[5] * cm[2] + cm[4]
        y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
        scale = abs(tm[0] * cm[0]) or 1.0
        pieces.append(_Piece(text, float(x), float(y), float(size or 10) * scale))

    text = page.extract_text(visitor_text=visit) or ""
    return text, pieces


def _place(page: Any, widgets: list[Widget]) -> tuple[str, list[Widget]]:
    """The page's text with the widgets placed by position, and the widgets not placed."""
    text, pieces = text_pieces(page)
    if "".join(p.text for p in pieces) != text:  # positions do not map onto the text
        return text, [w for w in widgets if _has_value(w)]
    shown = [p for p in pieces if p.text.strip()]
    left: list[Widget] = []
    for w in sorted(widgets, key=lambda w: (w.rect or (0, 0, 0, 0))[0]):
        if (w.rect is None or not _put(w, shown)) and _has_value(w):
            left.append(w)
    return "".join(_render(p) for p in pieces), left


def _has_value(w: Widget) -> bool:
    return w.checked if w.kind == "box" else bool(w.value)


def _first_line(p: _Piece) -> str:
    return p.text.lstrip("\n").split("\n", 1)[0]


def _width(p: _Piece) -> float:
    return len(_first_line(p).rstrip()) * p.size * 0.5


def _put(w: Widget, shown: list[_Piece]) -> bool:
    assert w.rect is not None
    x0, y0, x1, y1 = w.rect
    top = max(y0, y1 - 24)  # a tall box: its label is beside its top lines
    row = [p for p in shown if top - 3 <= p.y <= y1 + 1]
    if w.kind == "box":
        glyph = CHECKED if w.checked else UNCHECKED
        option = _option_name(w)
        tight = [p for p in row if x0 - 3 <= p.x <= x1 + 6]  # printed right at the box
        if option and not tight and not _printed(option, row):  # the option is in the field
            return _put_value(glyph + option, w.rect, row, shown)
        return _put_box(glyph, w.rect, row)
    if not w.value:
        return True  # nothing filled in: nothing to place
    return _put_value(w.value, w.rect, row, shown)


def _option_name(w: Widget) -> str:
    """The option a box stands for, from its on-state name or else its tooltip, if either says."""
    if w.on_state and w.on_state.lower() not in _GENERIC_ON and not w.on_state.isdigit():
        return _shown(w.on_state)
    return w.tooltip if w.tooltip and not w.group else ""


def _field_words(text: str) -> str:
    return " ".join(text.replace("_", " ").casefold().split())


def _printed(option: str, row: list[_Piece]) -> bool:
    return _field_words(option) in _field_words(" ".join(_first_line(p) for p in row))


def _put_value(
    value: str, rect: tuple[float, float, float, float], row: list[_Piece], shown: list[_Piece]
) -> bool:
    """A value on its own line after the label left of the field, else after the text above."""
    x0, _, x1, y1 = rect
    beside = [p for p in row if p.x < x0]
    if beside:
        p = max(beside, key=lambda p: p.x)
        line = _first_line(p).rstrip()
        if len(_SEGMENTS.findall(line)) > 1 and p.x + _width(p) > x0 + 2:
            at = _char_at(p, x1)  # the label after the field is printed in the same run
            if 0 < at < len(line):
                p.inline.append((at, "\n" + value + "\n"))
                return True
        p.after.append((-y1, x0, value))
        return True
    above = [p for p in shown if y1 + 1 < p.y <= y1 + 40 and p.x <= x1]
    if above:
        min(above, key=lambda p: (p.y, -p.x)).after.append((-y1, x0, value))
        return True
    return False


def _put_box(glyph: str, rect: tuple[float, float, float, float], row: list[_Piece]) -> bool:
    """The glyph before the option to the box's right or after the one to its left (nearer)."""
    x0, _, x1, _ = rect
    for p in row:
        if x0 - 3 <= p.x <= x1 and _LONE_BOX.match(_first_line(p)):
            p.box = glyph  # the box is printed too: the field's state replaces it
            return True
    right: list[tuple[float, float, _Piece]] = []
    left: list[tuple[float, float, _Piece]] = []
    for p in row:
        end = p.x + _width(p)
        if p.x < x0 and end > x1 + 2 and len(_SEGMENTS.findall(_first_line(p))) > 1:
            p.inline.append((_char_at(p, x1), glyph))  # options in one run, the box among them
            return True
        if x1 - 2 <= p.x <= x1 + 40:
            right.append((p.x - x1, p.x, p))
        elif p.x < x0 and x0 - end <= 40:
            left.append((max(x0 - end, 0.0), -p.x, p))
    # the option right after the box wins unless the text before it is clearly nearer
    # (text widths are estimated, so a box close to its right-hand option goes there)
    near_right = min(right, key=lambda t: t[:2]) if right else None
    near_left = min(left, key=lambda t: t[:2]) if left else None
    if near_right and (not near_left or near_right[0] <= max(6.0, near_left[0])):
        near_right[2].before.append(glyph)
    elif near_left:
        p = near_left[2]
        p.inline.append((len(_first_line(p).rstrip()), " " + glyph))
    else:
        return False
    return True


def _char_at(p: _Piece, x: float) -> int:
    """Where in the piece's first line the option after a box at ``x`` starts (estimated)."""
    line = _first_line(p)
    estimate = (x - p.x) / (p.size * 0.5)
    starts = [m.start() for m in _SEGMENTS.finditer(line)] or [0]
    return min([*starts, len(line.rstrip())], key=lambda s: abs(s - estimate))


def _render(p: _Piece) -> str:
    if not (p.before or p.inline or p.after or p.box):
        return p.text
    lead = len(p.text) - len(p.text.lstrip("\n"))
    body = p.text[lead:]
    line, nl, rest = body.partition("\n")
    if p.box:
        line = p.box
    for at, glyph in sorted(p.inline, reverse=True):
        if glyph.strip() not in (CHECKED, UNCHECKED):  # a value between two labels
            line = line[:at].rstrip() + glyph + line[at:]
            continue
        if at >= len(line.rstrip()):  # after the option: a box printed there is replaced
            line = _BOX_LAST.sub("", line.rstrip())
        line = line[:at] + glyph + _BOX_FIRST.sub("", line[at:], count=1)
    pad = len(line) - len(line.lstrip())
    if p.before:  # before the option: a box printed there is replaced
        line = line[:pad] + "".join(p.before) + _BOX_FIRST.sub("", line[pad:])
    out = p.text[:lead] + line + nl + rest
    if p.after:
        values = "\n".join(v for _, _, v in sorted(p.after))
        out = (out if out.endswith("\n") else out + "\n") + values + "\n"
    return out


def _by_label(
    widgets: list[Widget], label_key: Callable[[str], str | None]
) -> tuple[list[tuple[str, str, list[str]]], list[Finding]]:
    """(label key, label, value lines) for fields named by a label; findings for the rest."""
    blocks: list[tuple[str, str, list[str]]] = []
    findings: list[Finding] = []
    done: set[str] = set()
    for w in widgets:
        if w.name in done:
            continue
        names = [w.tooltip, w.name.rsplit(".", 1)[-1], w.name]
        label = next((n for n in names if n and label_key(n)), None)
        key = label_key(label) if label else None
        if key and w.kind != "box":
            blocks.append((key, label or "", w.value.split("\n")))
            continue
        opts = [o for o in w.options if o]
        if key and w.group and opts and not all(o.lower() in _GENERIC_ON for o in opts):
            done.add(w.name)
            boxes = [(CHECKED if o == w.on_state else UNCHECKED) + _shown(o) for o in opts]
            blocks.append((key, label or "", ["  ".join(boxes)]))
            continue
        what = "checked" if w.kind == "box" else f"'{shown(' '.join(w.value.split()))}'"
        findings.append(
            warning(
                "form-field-unplaced",
                f"form field '{w.name}' ({what}) could not be placed: it is not beside any "
                "text of the page, and neither its tooltip nor its name is a label of the "
                "form; copy its value in by hand",
                path=w.name,
            )
        )
    return blocks, findings


def _shown(state: str) -> str:
    """An on-state name as the option it stands for (``Ej_återställt`` → ``Ej återställt``)."""
    return " ".join(state.replace("_", " ").split())
