"""The plain rules of plans, goals and reviews (no database)."""

from datetime import date

import pytest

from homecare.domain.deadlines import end_of_day, start_of_day
from homecare.domain.plans import (
    PlanRefused,
    check_goal,
    check_plan_version,
    check_review_dates,
    cycles,
    pprif_due,
    report_weekdays,
)

TODAY = date(2026, 6, 10)


def test_report_days_spread_from_monday():
    """LAN-ST-9.6: twice weekly -> Monday and Thursday."""
    assert report_weekdays(2) == (0, 3)
    assert report_weekdays(1) == (0,)
    assert report_weekdays(3) == (0, 2, 4)
    assert report_weekdays(7) == tuple(range(7))
    assert report_weekdays(0) == ()


def test_a_repeating_deadline_counts_from_the_last_time_done():
    """KENT-3.11.2 / KENT-3.6.10: the next is due a period after the last one."""
    start = date(2026, 1, 15)
    [only] = cycles(start, [], 12, "months", "cycle")
    assert only.due_at == end_of_day(date(2027, 1, 15)) and only.done_at is None
    done, nxt = cycles(start, [date(2026, 12, 1)], 12, "months", "cycle")
    assert done.done_at == start_of_day(date(2026, 12, 1)) and done.suffix == "cycle:2026-01-15"
    assert nxt.due_at == end_of_day(date(2027, 12, 1)) and nxt.suffix == "cycle:2026-12-01"


def test_pprif_two_weeks_before():
    """KENT-3.11.3."""
    assert pprif_due(date(2026, 7, 1), 2, "weeks") == end_of_day(date(2026, 6, 17))


def _goal(**extra):
    return {
        "outcome": "Independence",
        "specific": "Dress alone",
        "measurable": "Three mornings running",
        "achievable": "With aids",
        "relevant": "Wants to",
        "target_date": date(2026, 7, 1),
        "today": TODAY,
        "package_start": date(2026, 6, 1),
        **extra,
    }


def test_a_smart_goal_passes():
    check_goal(**_goal())


@pytest.mark.parametrize("field", ["measurable", "target_date", "specific", "achievable"])
def test_each_missing_smart_part_is_named(field):
    """KENT-3.1.1."""
    with pytest.raises(PlanRefused) as caught:
        check_goal(**_goal(**{field: None if field == "target_date" else ""}))
    assert list(caught.value.errors) == [field]
    assert "KENT-3.1.1" in caught.value.errors[field][0]


def test_a_review_before_the_start_names_both_dates():
    with pytest.raises(PlanRefused) as caught:
        check_review_dates(package_start=date(2026, 6, 1), today=TODAY, held_on=date(2026, 5, 30))
    [message] = caught.value.errors["held_on"]
    assert "30 May 2026" in message and "01 June 2026" in message


def test_a_plan_for_an_archived_package_is_refused():
    with pytest.raises(PlanRefused) as caught:
        check_plan_version(
            package_archived=True,
            package_status="active",
            form_of_address="Mr Patel",
            outcomes="Stay at home",
            review_date=date(2026, 9, 1),
            actions=[],
            today=TODAY,
        )
    assert "archived" in caught.value.errors[""][0]
