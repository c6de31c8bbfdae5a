"""Deadline clocks are never wrong: calendar hours, operating hours and working
days, in Europe/London, across clock changes and bank holidays."""

from datetime import UTC, date, datetime, time, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from homecare.domain.clocks import (
    Calendar,
    bank_holidays,
    describe_remaining,
    due_at,
    working_days_between,
)
from homecare.domain.patterns import LONDON

OFFICE = Calendar(nation="england", opening=time(8), closing=time(18), days="mon-fri")
EVERY_DAY = Calendar(nation="england", opening=time(8), closing=time(20), days="every_day")


def london(y, m, d, hh=0, mm=0):
    return datetime(y, m, d, hh, mm).replace(tzinfo=LONDON)


def test_two_operating_hours_from_friday_five_pm_end_on_monday_morning():
    """LAN-ST-4.5: 2 hours of receipt during operating hours: a referral at 17:00
    on Friday has one hour on Friday and one on Monday."""
    friday_four = due_at(london(2026, 11, 20, 16), 2, "hours", clock="operating_hours", calendar=OFFICE)
    assert friday_four == london(2026, 11, 20, 18)
    due = due_at(london(2026, 11, 20, 17), 2, "hours", clock="operating_hours", calendar=OFFICE)
    assert due == london(2026, 11, 23, 9)


def test_an_out_of_hours_referral_starts_its_clock_at_the_next_opening():
    due = due_at(london(2026, 11, 24, 22), 2, "hours", clock="operating_hours", calendar=OFFICE)
    assert due == london(2026, 11, 25, 10)


def test_operating_hours_skip_bank_holidays_of_the_right_nation():
    """Christmas 2026: Boxing Day is observed on Monday 28th in both nations;
    Scotland also closes on 2 January, England does not."""
    england = Calendar(nation="england")
    scotland = Calendar(nation="scotland")
    start = london(2026, 12, 31, 17)
    assert due_at(start, 2, "hours", clock="operating_hours", calendar=england) == london(2027, 1, 4, 9)
    assert date(2027, 1, 2) not in bank_holidays("england", 2027)
    assert due_at(london(2026, 11, 27, 17), 2, "hours", clock="operating_hours",
                  calendar=scotland) == london(2026, 12, 1, 9)  # St Andrew's Day, Mon 30 Nov


def test_seventy_two_calendar_hours_are_real_hours_across_the_autumn_change():
    """LAN-HC-3.6: 72 hours of publication; the clocks go back on 25 October 2026."""
    start = london(2026, 10, 24, 12)
    due = due_at(start, 72, "hours")
    assert due - start.astimezone(UTC) == timedelta(hours=72)
    assert due.astimezone(LONDON).hour == 11  # wall clock shows an hour less


def test_the_spring_change_is_exact():
    start = london(2026, 3, 28, 12)
    due = due_at(start, 24, "hours")
    assert due == datetime(2026, 3, 29, 12, tzinfo=UTC)
    assert due.astimezone(LONDON).hour == 13


def test_operating_hours_on_the_day_the_clocks_change_count_real_time():
    due = due_at(london(2026, 3, 29, 7), 2, "hours", clock="operating_hours", calendar=EVERY_DAY)
    assert due == london(2026, 3, 29, 10)


def test_ten_working_days_notice_skips_weekends_and_bank_holidays():
    """KENT-3.10.1: 10 working days' notice, weekends and bank holidays excluded."""
    due = due_at(london(2026, 12, 18, 9), 10, "working_days")
    # 21, 22, 23, 24, 29, 30, 31 Dec, 4, 5, 6 Jan (25, 28 Dec and 1 Jan are holidays)
    assert due == london(2027, 1, 6, 9)
    assert working_days_between(date(2026, 12, 18), date(2027, 1, 6), "england") == 10


def test_a_notice_given_on_a_saturday_counts_from_monday():
    due = due_at(london(2026, 11, 21, 11), 1, "working_days")
    assert due == london(2026, 11, 24, 0)


def test_days_are_calendar_days_at_the_same_wall_time():
    """LAN-HC-3.7: start within 5 days after the response window ends."""
    assert due_at(london(2026, 10, 23, 9), 5, "days") == london(2026, 10, 28, 9)


def test_remaining_time_reads_naturally():
    due = datetime(2026, 11, 20, 18, tzinfo=UTC)
    assert describe_remaining(due, due - timedelta(minutes=65)) == "1 h 05 min left"
    assert describe_remaining(due, due + timedelta(minutes=25)) == "25 min overdue"
    assert describe_remaining(due, due - timedelta(days=2, hours=3)) == "2 d 3 h left"


def test_a_naive_start_is_refused():
    with pytest.raises(ValueError, match="timezone-aware"):
        due_at(datetime(2026, 1, 1), 2, "hours")


def test_operating_hours_must_close_after_they_open():
    with pytest.raises(ValueError, match="close after they open"):
        Calendar(opening=time(18), closing=time(8))


instants = st.datetimes(
    min_value=datetime(2025, 1, 1), max_value=datetime(2028, 12, 31), timezones=st.just(UTC)
)
clocks = st.sampled_from([
    ("calendar", "minutes"), ("calendar", "hours"), ("calendar", "days"),
    ("operating_hours", "minutes"), ("operating_hours", "hours"),
    ("working_days", "hours"), ("working_days", "working_days"),
])
calendars = st.sampled_from([OFFICE, EVERY_DAY, Calendar(nation="scotland")])


@settings(max_examples=300, deadline=None)
@given(start=instants, amount=st.integers(0, 200), clock=clocks, cal=calendars)
def test_a_due_time_is_never_before_its_start(start, amount, clock, cal):
    kind, unit = clock
    assert due_at(start, amount, unit, clock=kind, calendar=cal) >= start


@settings(max_examples=300, deadline=None)
@given(start=instants, amount=st.integers(0, 100), more=st.integers(0, 100), clock=clocks,
       cal=calendars)
def test_adding_work_never_moves_a_due_time_earlier(start, amount, more, clock, cal):
    kind, unit = clock
    assert due_at(start, amount + more, unit, clock=kind, calendar=cal) >= due_at(
        start, amount, unit, clock=kind, calendar=cal
    )


@settings(max_examples=200, deadline=None)
@given(start=instants, later=st.integers(0, 60 * 24 * 10), amount=st.integers(0, 50),
       clock=clocks, cal=calendars)
def test_starting_later_never_makes_a_deadline_earlier(start, later, amount, clock, cal):
    kind, unit = clock
    first = due_at(start, amount, unit, clock=kind, calendar=cal)
    second = due_at(start + timedelta(minutes=later), amount, unit, clock=kind, calendar=cal)
    assert second >= first


@given(start=instants, hours=st.integers(0, 500))
def test_calendar_hours_are_exact_elapsed_time(start, hours):
    assert due_at(start, hours, "hours") - start == timedelta(hours=hours)
