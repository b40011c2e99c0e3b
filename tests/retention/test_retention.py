from __future__ import annotations

from datetime import date

import pytest

from arkivlucka.incident import model as m
from arkivlucka.retention import assess as culling
from arkivlucka.retention.grammar import PeriodSyntaxError, parse_rule
from arkivlucka.retention.schedule import PlanMeta, PlanRow

# --- grammar --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "action", "kind", "years", "base"),
    [
        ("Bevaras", "keep", None, 0, None),
        ("B", "keep", None, 0, None),
        ("bevaras för all framtid", "keep", None, 0, None),
        ("Ingen gallring", "keep", None, 0, None),
        ("Gallras ej", "keep", None, 0, None),
        ("Gallras", "cull", None, 0, None),
        ("G", "cull", None, 0, None),
        ("2 år", "cull", "duration", 2, "period-end"),
        ("2år.", "cull", "duration", 2, "period-end"),
        ("Gallras efter 2 år", "cull", "duration", 2, "period-end"),
        ("efter 10 år", "cull", "duration", 10, "period-end"),
        ("tre år", "cull", "duration", 3, "period-end"),
        ("5 år efter sista anteckning", "cull", "duration", 5, "period-end"),
        ("10 år efter räkenskapsårets utgång", "cull", "duration", 10, "year-end"),
        ("2 år efter avslutat ärende", "cull", "duration", 2, None),
        ("vid inaktualitet", "cull", "inactuality", 0, None),
        ("Gallras vid inaktualitet", "cull", "inactuality", 0, None),
        ("när informationen är inaktuell", "cull", "inactuality", 0, None),
        ("Vid avslut", "cull", "event", 0, None),
        ("omedelbart", "cull", "duration", 0, "period-end"),
        ("", None, None, 0, None),
    ],
)
def test_grammar(text, action, kind, years, base):
    rule = parse_rule(text)
    assert rule.action == action
    if kind is None:
        assert rule.frist is None
    else:
        assert rule.frist is not None
        assert (rule.frist.kind, rule.frist.years, rule.frist.base) == (kind, years, base)


def test_months_and_weeks():
    frist = parse_rule("6 månader").frist
    assert frist and frist.months == 6 and frist.runs_out(date(2023, 1, 31)) == date(2023, 7, 31)
    frist = parse_rule("2 veckor").frist
    assert frist and frist.runs_out(date(2023, 1, 1)) == date(2023, 1, 15)


@pytest.mark.parametrize("text", ["5 år eller tidigare", "blå", "2 kilo", "efter 3 x"])
def test_grammar_refuses(text):
    with pytest.raises(PeriodSyntaxError, match="not a culling period"):
        parse_rule(text)


# --- period arithmetic ----------------------------------------------------------------------

META = PlanMeta(name="Testplan", version="2.1", decided_by="KS", date="2022-03-01", paragraph="45")


def row(action="cull", period: str | None = "2 år") -> PlanRow:
    rule = parse_rule(period or ("Bevaras" if action == "keep" else "Gallras"))
    return PlanRow(
        7, "Tidplaner", code="2.2", process="Projekt", action=rule.action, frist=rule.frist
    )


def record(start=None, end=None) -> m.LostRecord:
    return m.LostRecord("r", "Tidplaner", period=m.Period(start, end))


def day(y, mo, d):
    return m.PartialDate(y, mo, d)


def test_runs_out_on_the_incident_day_is_not_yet_run_out():
    a = culling.assess(record(end=day(2021, 10, 19)), row(), META, "plan_code", date(2023, 10, 19))
    assert a.runs_out == date(2023, 10, 19)
    assert a.expired is False
    assert a.classification == culling.CULLED_BEFORE_DUE
    assert "inte före incidenten" in a.explanation


def test_runs_out_the_day_before_the_incident():
    a = culling.assess(record(end=day(2021, 10, 18)), row(), META, "plan_code", date(2023, 10, 19))
    assert a.runs_out == date(2023, 10, 18)
    assert a.expired is True
    assert a.classification == culling.CULLABLE_BY_PLAN
    assert "hade fått gallras enligt planen" in a.explanation
    assert "redovisas ändå" in a.explanation


def test_record_period_ending_the_day_of_the_incident():
    a = culling.assess(
        record(end=day(2023, 10, 19)), row(period="omedelbart"), META, "plan_code",
        date(2023, 10, 19),
    )  # fmt: skip
    assert a.runs_out == date(2023, 10, 19)
    assert a.expired is False


def test_partial_period_end_counts_from_its_last_day():
    a = culling.assess(
        record(end=m.PartialDate(2021)), row(), META, "plan_code", date(2023, 12, 31)
    )
    assert a.runs_out == date(2023, 12, 31)
    assert a.expired is False
    a = culling.assess(record(end=m.PartialDate(2021)), row(), META, "plan_code", date(2024, 1, 1))
    assert a.expired is True


def test_year_end_base():
    a = culling.assess(
        record(end=m.PartialDate(2021, 3)),
        row(period="10 år efter räkenskapsårets utgång"),
        META,
        "plan_code",
        date(2023, 1, 1),
    )
    assert a.runs_out == date(2031, 12, 31)


def test_open_ended_record_period_cannot_be_computed():
    a = culling.assess(
        record(start=m.PartialDate(2020)), row(), META, "plan_code", date(2023, 10, 19)
    )
    assert a.expired is None and a.runs_out is None
    assert a.classification == culling.DUE_UNKNOWN
    assert "inget angivet slut" in a.explanation
    assert "kan inte beräknas" in a.explanation


def test_vid_inaktualitet_cannot_be_computed():
    a = culling.assess(
        record(end=day(2010, 1, 1)), row(period="vid inaktualitet"), META, "plan_code",
        date(2023, 10, 19),
    )  # fmt: skip
    assert a.expired is None
    assert a.cull is True
    assert "inaktuell" in a.explanation
    assert a.classification == culling.DUE_UNKNOWN


def test_event_relative_period_cannot_be_computed():
    a = culling.assess(
        record(end=day(2010, 1, 1)), row(period="2 år efter avslutat ärende"), META,
        "plan_code", date(2023, 10, 19),
    )  # fmt: skip
    assert a.expired is None
    assert "avslutat ärende" in a.explanation


def test_unknown_incident_time_cannot_be_computed():
    a = culling.assess(record(end=day(2010, 1, 1)), row(), META, "plan_code", None)
    assert a.expired is None
    assert "tidpunkten för incidenten anges inte" in a.explanation


def test_keep_row():
    a = culling.assess(record(), row("keep", None), META, "record_type", date(2023, 10, 19))
    assert a.cull is False and a.expired is None
    assert a.classification == culling.KEPT_RECORDS_LOST
    assert "bevaras" in a.explanation
    for cited in ("Testplan", "version 2.1", "KS 2022-03-01 § 45", "2.2", "Tidplaner"):
        assert cited in a.explanation
