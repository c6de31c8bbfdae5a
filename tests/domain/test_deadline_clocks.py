"""Deadline clocks are never wrong: calendar hours, operating hours and working
days, in Europe/London, across clock changes and bank holidays."""

from datetime import UTC, date, datetime, time, timedelta, timezone

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from homecare.domain.clocks import (
    Calendar,
    bank_holidays,
    describe_remaining,
    due_at,
    due_times,
    working_days_between,
)
from homecare.domain.patterns import LONDON

OFFICE = Calendar(nation="england", opening=time(8), closing=time(18), days="mon-fri")
EVERY_DAY = Calendar(nation="england", opening=time(8), closing=time(20), days="every_day")


def london(y, m, d, hh=0, mm=0):
    return datetime(y, m, d, hh, mm, tzinfo=LONDON)


def test_two_operating_hours_from_friday_five_pm_end_on_monday_morning():
    """LAN-ST-4.5: 2 hours of receipt during operating hours: a referral at 17:00
    on Friday has one hour on Friday and one on Monday."""
    friday_four = due_at(
        london(2026, 11, 20, 16), 2, "hours", clock="operating_hours", calendar=OFFICE
    )
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
    assert due_at(start, 2, "hours", clock="operating_hours", calendar=england) == london(
        2027, 1, 4, 9
    )
    assert date(2027, 1, 2) not in bank_holidays("england", 2027)
    assert due_at(
        london(2026, 11, 27, 17), 2, "hours", clock="operating_hours", calendar=scotland
    ) == london(2026, 12, 1, 9)  # St Andrew's Day, Mon 30 Nov


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
        due_at(datetime(2026, 1, 1), 2, "hours")  # noqa: DTZ001


def test_operating_hours_must_close_after_they_open():
    with pytest.raises(ValueError, match="close after they open"):
        Calendar(opening=time(18), closing=time(8))


# hypothesis takes naive bounds and adds the zone itself
instants = st.datetimes(
    min_value=datetime(2025, 1, 1),  # noqa: DTZ001
    max_value=datetime(2028, 12, 31),  # noqa: DTZ001
    timezones=st.just(UTC),
)
clocks = st.sampled_from(
    [
        ("calendar", "minutes"),
        ("calendar", "hours"),
        ("calendar", "days"),
        ("operating_hours", "minutes"),
        ("operating_hours", "hours"),
        ("working_days", "hours"),
        ("working_days", "working_days"),
    ]
)
calendars = st.sampled_from([OFFICE, EVERY_DAY, Calendar(nation="scotland")])


@settings(max_examples=300, deadline=None)
@given(start=instants, amount=st.integers(0, 200), clock=clocks, cal=calendars)
def test_a_due_time_is_never_before_its_start(start, amount, clock, cal):
    kind, unit = clock
    assert due_at(start, amount, unit, clock=kind, calendar=cal) >= start


@settings(max_examples=300, deadline=None)
@given(
    start=instants,
    amount=st.integers(0, 100),
    more=st.integers(0, 100),
    clock=clocks,
    cal=calendars,
)
def test_adding_work_never_moves_a_due_time_earlier(start, amount, more, clock, cal):
    kind, unit = clock
    assert due_at(start, amount + more, unit, clock=kind, calendar=cal) >= due_at(
        start, amount, unit, clock=kind, calendar=cal
    )


@settings(max_examples=200, deadline=None)
@given(
    start=instants,
    later=st.integers(0, 60 * 24 * 10),
    amount=st.integers(0, 50),
    clock=clocks,
    cal=calendars,
)
def test_starting_later_never_makes_a_deadline_earlier(start, later, amount, clock, cal):
    kind, unit = clock
    first = due_at(start, amount, unit, clock=kind, calendar=cal)
    second = due_at(start + timedelta(minutes=later), amount, unit, clock=kind, calendar=cal)
    assert second >= first


@given(start=instants, hours=st.integers(0, 500))
def test_calendar_hours_are_exact_elapsed_time(start, hours):
    assert due_at(start, hours, "hours") - start == timedelta(hours=hours)


# Quick paths: the remembered-day answers are the day-by-day walk's answers.

NIGHT = Calendar(nation="england", opening=time(0, 30), closing=time(1, 30), days="every_day")
GAP = Calendar(nation="wales", opening=time(1, 30), closing=time(2, 15), days="every_day")
WHOLE_DAY = Calendar(
    nation="northern_ireland", opening=time(0), closing=time(23, 59, 59, 999999), days="mon-fri"
)
EVERY_CALENDAR = [OFFICE, EVERY_DAY, Calendar(nation="scotland"), NIGHT, GAP, WHOLE_DAY]
EVERY_CLOCK = [
    ("calendar", "minutes"),
    ("calendar", "hours"),
    ("calendar", "days"),
    ("operating_hours", "minutes"),
    ("operating_hours", "hours"),
    ("operating_hours", "days"),
    ("working_days", "minutes"),
    ("working_days", "hours"),
    ("working_days", "days"),
    ("calendar", "working_days"),
    ("operating_hours", "working_days"),
    ("working_days", "working_days"),
]
#: Local days where clocks go wrong: clock changes, year ends, bank holidays.
AWKWARD_DAYS = [
    date(2026, 3, 29),
    date(2026, 10, 25),
    date(2027, 3, 28),
    date(2027, 10, 31),
    date(2026, 12, 31),
    date(2027, 1, 1),
    date(2026, 12, 24),
    date(2026, 12, 28),
    date(2026, 11, 30),
    date(2027, 1, 4),
    date(2026, 11, 20),
    date(2027, 12, 31),
]
awkward_instants = st.builds(
    lambda day, minute, second: (
        datetime.combine(day, time(0), UTC) + timedelta(minutes=minute, seconds=second)
    ),
    st.sampled_from(AWKWARD_DAYS),
    st.integers(-24 * 60, 48 * 60),
    st.sampled_from([0, 0, 1, 59]),
)
zones = st.sampled_from([UTC, LONDON, timezone(timedelta(hours=-5)), timezone(timedelta(hours=9))])
far_instants = st.datetimes(
    min_value=datetime(1900, 1, 1),  # noqa: DTZ001
    max_value=datetime(2300, 12, 31),  # noqa: DTZ001
    timezones=st.just(UTC),
)
any_start = st.builds(
    lambda at, zone: at.astimezone(zone), st.one_of(instants, awkward_instants, far_instants), zones
)
amounts = st.one_of(st.integers(0, 30), st.integers(0, 3000))


def careful_due_at(start, amount, unit, *, clock, calendar):
    """due_at by the day-by-day walks alone, which define the clocks."""
    from homecare.domain import clocks as c

    if unit == "working_days" or (clock == "working_days" and unit == "days"):
        return c._walk_working_days(start, amount, calendar.nation)
    if unit == "days":
        return c._walk_days(start, amount)
    minutes = amount * c.UNITS_ELAPSED[unit]
    if clock == "operating_hours":
        return c._walk_operating_minutes(start, minutes, calendar)
    if clock == "working_days":
        return c._walk_working_minutes(start, minutes, calendar.nation)
    return start.astimezone(UTC) + timedelta(minutes=minutes)


def outcome(compute):
    try:
        return compute()
    except (ValueError, OverflowError) as error:
        return type(error), str(error)


@settings(max_examples=400, deadline=None)
@given(
    start=any_start,
    amount=amounts,
    clock=st.sampled_from(EVERY_CLOCK),
    cal=st.sampled_from(EVERY_CALENDAR),
)
def test_the_quick_path_gives_the_day_by_day_answer(start, amount, clock, cal):
    """Remembered days (and their fall-backs) answer exactly as walking the
    days does, across clock changes, bank holidays, year ends and odd hours."""
    kind, unit = clock
    quick = outcome(lambda: due_at(start, amount, unit, clock=kind, calendar=cal))
    careful = outcome(lambda: careful_due_at(start, amount, unit, clock=kind, calendar=cal))
    assert quick == careful
    if isinstance(quick, datetime):
        assert quick.tzinfo is UTC


@settings(max_examples=200, deadline=None)
@given(start=any_start, days=st.integers(0, 3_000_000))
def test_calendar_days_far_ahead_give_the_day_by_day_answer(start, days):
    """Up to the end of the calendar (year 9999) and past it."""
    quick = outcome(lambda: due_at(start, days, "days"))
    assert quick == outcome(
        lambda: careful_due_at(start, days, "days", clock="calendar", calendar=OFFICE)
    )


@settings(max_examples=100, deadline=None)
@given(
    starts=st.lists(any_start, max_size=25),
    amount=amounts,
    clock=st.sampled_from(EVERY_CLOCK),
    cal=st.sampled_from([*EVERY_CALENDAR, None]),
)
def test_a_batch_of_due_times_matches_one_due_at_per_start(starts, amount, clock, cal):
    kind, unit = clock
    batch = outcome(lambda: due_times(starts, amount, unit, clock=kind, calendar=cal))
    each = outcome(lambda: [due_at(s, amount, unit, clock=kind, calendar=cal) for s in starts])
    assert batch == each


def test_a_batch_refuses_what_one_clock_refuses():
    good = london(2026, 11, 20, 17)
    assert due_times([], 2, "fortnights") == []
    with pytest.raises(ValueError, match="timezone-aware"):
        naive = datetime(2026, 1, 1)  # noqa: DTZ001
        due_times([good, naive], 2, "hours", clock="operating_hours")
    with pytest.raises(ValueError, match="not 'fortnights'"):
        due_times([good], 2, "fortnights")
    with pytest.raises(ValueError, match="Unknown clock"):
        due_times([good], 2, "hours", clock="lunar")
    with pytest.raises(ValueError, match="cannot be negative"):
        due_times([good], -1, "hours")


def test_a_batch_reads_any_iterable_of_starts():
    starts = (london(2026, 11, 20, 17) + timedelta(hours=h) for h in range(3))
    assert due_times(starts, 2, "hours", clock="operating_hours", calendar=OFFICE) == [
        london(2026, 11, 23, 9),
        london(2026, 11, 23, 10),
        london(2026, 11, 23, 10),
    ]
