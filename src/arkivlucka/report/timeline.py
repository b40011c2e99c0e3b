"""Report stage, figure: the timeline SVG, drawn from the entries' periods and time points.

One row per lost record type (its lost period), then one row per recovered extract (its
period: the entries do not tie an extract to a record type, so none is assumed), and
vertical marks for when the incident occurred and was discovered. A period bound the entries
do not give is drawn open (dashed, to the edge of the axis) and said so; a record with no
period gets no bar, only the words "period saknas". Every bar carries its data as
attributes (``data-kind``, ``data-start``, ``data-end``, ``data-open``) so it can be checked.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from lxml import etree

from arkivlucka.core.dates import last_day
from arkivlucka.report import model as m

SVG_NS = "http://www.w3.org/2000/svg"
WIDTH, LABEL_W, RIGHT = 680, 230, 16
ROW_H, TOP, AXIS_H = 30, 12, 28
FONT = "DejaVu Sans, sans-serif"
Scale = Callable[[date], float]


@dataclass(frozen=True)
class Bar:
    """One row of the figure: a label and the span it covers (None: the entries do not say)."""

    kind: str  # "lost" or "extract"
    label: str
    start: date | None
    end: date | None  # inclusive last day
    start_text: str | None
    end_text: str | None


def first_day(value: str) -> date:
    """The first day of an ISO partial date (``2022`` → 2022-01-01)."""
    parts = [int(p) for p in value[:10].split("-")]
    return date(parts[0], parts[1] if len(parts) > 1 else 1, parts[2] if len(parts) > 2 else 1)


def _bar(kind: str, label: str, period: m.Period) -> Bar:
    start = first_day(period.start) if period.start else None
    end = last_day(period.end) if period.end else None
    return Bar(kind, label, start, end, period.start, period.end)


def bars(entries: m.Entries) -> list[Bar]:
    """The rows of the figure, lost records first, then recovered extracts, in entry order."""
    rows = [_bar("lost", rec.title, rec.period) for rec in entries.lost]
    rows += [_bar("extract", ex.title, ex.period) for ex in entries.extracts]
    return rows


def _marks(entries: m.Entries) -> list[tuple[str, m.TimePoint]]:
    inc = entries.incident
    return [(k, tp) for k, tp in (("occurred", inc.occurred), ("discovered", inc.discovered)) if tp]


def _span(rows: list[Bar], marks: list[tuple[str, m.TimePoint]]) -> tuple[date, date] | None:
    days = [d for b in rows for d in (b.start, b.end) if d]
    days += [first_day(tp.value) for _, tp in marks]
    if not days:
        return None
    return date(min(days).year, 1, 1), date(max(days).year + 1, 1, 1)


def _wrap(text: str, width: int = 34, lines: int = 2) -> list[str]:
    out: list[str] = []
    for word in text.split():
        if out and len(out[-1]) + 1 + len(word) <= width:
            out[-1] += " " + word
        else:
            out.append(word)
    if len(out) > lines:
        out = [*out[: lines - 1], " ".join(out[lines - 1 :])]
        if len(out[-1]) > width:
            out[-1] = out[-1][: width - 1].rstrip() + "…"
    return out


class _Canvas:
    def __init__(self, height: int, title: str) -> None:
        self.root = etree.Element(
            f"{{{SVG_NS}}}svg", nsmap={None: SVG_NS},  # type: ignore[dict-item]
            attrib={"viewBox": f"0 0 {WIDTH} {height}", "width": f"{WIDTH}", "height": f"{height}",
                    "role": "img", "class": "timeline", "font-family": FONT, "font-size": "9"},
        )  # fmt: skip
        etree.SubElement(self.root, f"{{{SVG_NS}}}title").text = title

    def add(self, tag: str, text: str | None = None, **attrs: object) -> etree._Element:
        el = etree.SubElement(self.root, f"{{{SVG_NS}}}{tag}")
        for key, value in attrs.items():
            el.set(key.replace("_", "-"), str(value))
        if text is not None:
            el.text = text
        return el


def _fmt(x: float) -> str:
    return f"{x:.1f}"


def timeline_svg(entries: m.Entries) -> str:
    """The figure as an SVG document string (deterministic), or "" when nothing can be drawn."""
    rows, marks = bars(entries), _marks(entries)
    span = _span(rows, marks)
    if span is None or not rows:
        return ""
    lo, hi = span
    chart_w = WIDTH - LABEL_W - RIGHT
    total = (hi - lo).days

    def x(day: date) -> float:
        return LABEL_W + chart_w * (day - lo).days / total

    height = TOP + ROW_H * len(rows) + AXIS_H + 36
    c = _Canvas(height, f"Tidslinje: {entries.creator}")
    _axis(c, lo, hi, x, TOP + ROW_H * len(rows))
    for i, row in enumerate(rows):
        _row(c, row, TOP + ROW_H * i, x, hi)
    for kind, tp in marks:
        _mark(c, kind, tp, x, TOP + ROW_H * len(rows))
    _legend(c, height - 20)
    return etree.tostring(c.root, encoding="unicode")


def _axis(c: _Canvas, lo: date, hi: date, x: Scale, bottom: int) -> None:
    years = list(range(lo.year, hi.year + 1))
    step = 1 if len(years) <= 16 else 5
    c.add("line", x1=LABEL_W, x2=WIDTH - RIGHT, y1=bottom, y2=bottom, stroke="#444")
    for year in years:
        if year % step and year != years[-1]:
            continue
        xx = _fmt(x(date(year, 1, 1)))
        c.add("line", x1=xx, x2=xx, y1=TOP, y2=bottom + 4, stroke="#ccc", stroke_width="0.5")
        if year != years[-1]:
            mid = _fmt(x(date(year, 7, 1))) if step == 1 else xx
            c.add("text", str(year), x=mid, y=bottom + 14, text_anchor="middle", fill="#333")


def _row(c: _Canvas, row: Bar, y: int, x: Scale, hi: date) -> None:
    for n, line in enumerate(_wrap(row.label)):
        c.add(
            "text", line, x=4, y=y + 12 + 10 * n, fill="#000" if row.kind == "lost" else "#1d5c2e"
        )
    if row.start is None and row.end is None:
        c.add("text", "period saknas", x=LABEL_W + 4, y=y + 15, fill="#777",
              **{"class": "no-period", "data-kind": row.kind})  # fmt: skip
        return
    x0 = x(row.start) if row.start else LABEL_W
    x1 = x(date.fromordinal(row.end.toordinal() + 1)) if row.end else x(hi)
    open_ends = [side for side, d in (("start", row.start), ("end", row.end)) if d is None]
    lost = row.kind == "lost"
    attrs = {
        "class": f"bar {row.kind}", "data-kind": row.kind, "data-label": row.label,
        "data-start": row.start_text or "", "data-end": row.end_text or "",
        "data-open": " ".join(open_ends),
        "fill": "#c0392b" if lost else "#27ae60", "fill-opacity": "0.45" if open_ends else "0.85",
        "stroke": "#7b241c" if lost else "#1d5c2e",
    }  # fmt: skip
    if open_ends:
        attrs["stroke-dasharray"] = "3 2"
    c.add("rect", x=_fmt(x0), y=y + 6, width=_fmt(max(x1 - x0, 1.5)), height=14, **attrs)
    if open_ends:
        words = " och ".join({"start": "början", "end": "slut"}[s] for s in open_ends)
        c.add("text", f"{words} anges inte", x=_fmt(x0 + 3), y=y + 16, fill="#222",
              font_size="7.5")  # fmt: skip


def _mark(c: _Canvas, kind: str, tp: m.TimePoint, x: Scale, bottom: int) -> None:
    xx = _fmt(x(first_day(tp.value)))
    colour = "#8e1b10" if kind == "occurred" else "#1f4e9c"
    attrs = {"class": f"mark {kind}", "data-kind": kind, "data-at": tp.value,
             "data-precision": tp.precision or "", "stroke": colour, "stroke-width": "1.5"}  # fmt: skip
    if tp.precision != "exakt":
        attrs["stroke-dasharray"] = "4 2"
    c.add("line", x1=xx, x2=xx, y1=TOP - 6, y2=bottom, **attrs)


def _legend(c: _Canvas, y: int) -> None:
    items = [
        ("rect", "#c0392b", "förlorad period"),
        ("rect", "#27ae60", "återvunnet uttag"),
        ("line", "#8e1b10", "inträffade"),
        ("line", "#1f4e9c", "upptäcktes"),
    ]
    xx = LABEL_W
    for shape, colour, text in items:
        if shape == "rect":
            c.add("rect", x=xx, y=y - 8, width=14, height=8, fill=colour)
        else:
            c.add("line", x1=xx + 7, x2=xx + 7, y1=y - 10, y2=y, stroke=colour, stroke_width="1.5")
        c.add("text", text, x=xx + 18, y=y, fill="#333")
        xx += 26 + 6 * len(text)
    c.add("text", "streckat: uppskattad tid, eller en gräns som inte anges", x=LABEL_W, y=y + 13,
          fill="#555")  # fmt: skip
