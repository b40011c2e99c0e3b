"""report timeline: bars per record type and extract, open ends, marks, read back from the SVG."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from lxml import etree

from arkivlucka.entries.describe import describe
from arkivlucka.report.read import load_entries
from arkivlucka.report.render import report_html
from arkivlucka.report.timeline import first_day, last_day, timeline_svg
from support.helpers import assert_valid
from support.report_helpers import CTX, many_types_incident

SVG = {"s": "http://www.w3.org/2000/svg"}


@pytest.fixture(scope="module")
def entries_dir(tmp_path_factory) -> Path:
    base = tmp_path_factory.mktemp("timeline")
    describe(many_types_incident(base / "incident.yaml"), base / "entries", CTX)
    for xml in (base / "entries").rglob("*.xml"):
        assert_valid(xml)
    return base / "entries"


@pytest.fixture(scope="module")
def entries(entries_dir):
    return load_entries(entries_dir, "Kommunstyrelsen")


@pytest.fixture(scope="module")
def svg(entries) -> etree._Element:
    return etree.fromstring(timeline_svg(entries).encode())


def bars(svg: etree._Element, kind: str) -> list[etree._Element]:
    return svg.findall(f"s:rect[@data-kind='{kind}']", SVG)


def span(bar: etree._Element) -> tuple[float, float]:
    x = float(bar.get("x"))
    return x, x + float(bar.get("width"))


def scale(svg: etree._Element):
    """Day → x, recovered from two bars whose both ends the entries give."""
    closed = [b for b in svg.findall("s:rect[@data-open='']", SVG) if b.get("data-start")]
    (a, b) = closed[:2]
    da, db = first_day(a.get("data-start")), first_day(b.get("data-start"))
    xa, xb = float(a.get("x")), float(b.get("x"))
    per_day = (xb - xa) / (db - da).days
    return lambda d: xa + (d - da).days * per_day


@pytest.mark.parametrize(
    ("value", "first", "last"),
    [
        ("2022", date(2022, 1, 1), date(2022, 12, 31)),
        ("2024-02", date(2024, 2, 1), date(2024, 2, 29)),
        ("2023-10-19", date(2023, 10, 19), date(2023, 10, 19)),
    ],
)
def test_partial_dates_cover_their_whole_unit(value, first, last):
    assert (first_day(value), last_day(value)) == (first, last)


def test_one_bar_per_record_type_with_a_period_and_one_per_extract(entries, svg):
    with_period = [r for r in entries.lost if not r.period.empty]
    assert [b.get("data-label") for b in bars(svg, "lost")] == [r.title for r in with_period]
    assert [b.get("data-label") for b in bars(svg, "extract")] == [
        x.title for x in entries.extracts
    ]
    assert len(bars(svg, "extract")) == 3
    no_period = svg.findall("s:text[@class='no-period']", SVG)
    assert len(no_period) == len(entries.lost) - len(with_period) == 2


def test_bars_sit_where_their_periods_are(entries, svg):
    x = scale(svg)
    for bar in bars(svg, "lost") + bars(svg, "extract"):
        x0, x1 = span(bar)
        if bar.get("data-start"):
            assert x0 == pytest.approx(x(first_day(bar.get("data-start"))), abs=0.2)
        if bar.get("data-end"):
            end = last_day(bar.get("data-end"))
            assert x1 == pytest.approx(x(date.fromordinal(end.toordinal() + 1)), abs=0.2)
    by_label = {b.get("data-label"): b for b in bars(svg, "lost")}
    protokoll = span(by_label["Protokoll från styrgruppen"])
    uttag = span(
        next(b for b in bars(svg, "extract") if b.get("data-label") == "Uttag av protokoll")
    )
    assert protokoll[0] == pytest.approx(uttag[0], abs=0.2)  # both start March 2021
    assert uttag[1] < protokoll[1]  # the extract covers only part of the lost period


def test_open_ends_are_drawn_open_and_said_so(svg):
    opened = [b for b in svg.findall("s:rect", SVG) if b.get("data-open")]
    open_bars = {b.get("data-label"): b.get("data-open") for b in opened}
    assert open_bars["Nyttokalkyleringar"] == "end"  # "efter 2019": no end given
    assert open_bars["Avtal"] == "start"  # only an end date given
    assert len(opened) == 3  # and the extract "till och med den 19 oktober 2023"
    for bar in opened:
        assert bar.get("stroke-dasharray")
        assert (bar.get("data-start") == "") == ("start" in bar.get("data-open"))
        assert (bar.get("data-end") == "") == ("end" in bar.get("data-open"))
    texts = [t.text for t in svg.findall("s:text", SVG)]
    assert "slut anges inte" in texts and "början anges inte" in texts


def test_occurred_and_discovered_marks_with_their_precision(entries, svg):
    x = scale(svg)
    marks = {m.get("data-kind"): m for m in svg.findall("s:line[@data-kind]", SVG)}
    inc = entries.incident
    for kind, tp in (("occurred", inc.occurred), ("discovered", inc.discovered)):
        mark = marks[kind]
        assert mark.get("data-at") == tp.value
        assert float(mark.get("x1")) == pytest.approx(x(first_day(tp.value)), abs=0.2)
    assert marks["occurred"].get("stroke-dasharray")  # estimated time: dashed
    assert marks["discovered"].get("stroke-dasharray") is None  # exact time: solid
    assert float(marks["occurred"].get("x1")) < float(marks["discovered"].get("x1"))


def test_each_records_creator_gets_its_own_report_with_the_same_timeline(entries_dir, entries):
    other = load_entries(entries_dir, "Socialnämnden")
    assert other.creator == "Socialnämnden"
    mine, theirs = timeline_svg(entries), timeline_svg(other)
    assert theirs.replace("Socialnämnden", "X") == mine.replace("Kommunstyrelsen", "X")
    assert b"<svg" in report_html(other, CTX)


def test_no_timeline_is_drawn_without_any_date(entries):
    from dataclasses import replace

    from arkivlucka.report import model as m

    bare = replace(
        entries,
        incident=replace(entries.incident, occurred=None, discovered=None),
        lost=tuple(replace(r, period=m.Period()) for r in entries.lost),
        extracts=(),
    )
    assert timeline_svg(bare) == ""
    assert "Tidslinjen kan inte ritas" in report_html(bare, CTX).decode()
