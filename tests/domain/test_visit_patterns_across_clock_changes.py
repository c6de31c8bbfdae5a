"""Visits generated from a weekly pattern land on the right instant, including
the two nights a year the clocks change (LAN-ST-4.10 blocks, LAN-ST-4.11)."""

from datetime import UTC, date, datetime, time, timedelta

from hypothesis import given
from hypothesis import strategies as st

from homecare.domain.patterns import (
    LONDON,
    PatternLine,
    VisitKind,
    local_to_utc,
    occurrences,
)

SPRING_2026 = date(2026, 3, 29)  # clocks go forward at 01:00 GMT
AUTUMN_2026 = date(2026, 10, 25)  # clocks go back at 02:00 BST


def line(**kw):
    defaults = dict(key="e", weekday=6, start_time=time(8, 0), duration_minutes=30)
    return PatternLine(**{**defaults, **kw})


def test_a_morning_visit_is_at_eight_local_time_in_winter_and_summer():
    winter, summer = date(2026, 1, 4), date(2026, 7, 5)
    [w] = occurrences([line()], winter, winter)
    [s] = occurrences([line()], summer, summer)
    assert w.start == datetime(2026, 1, 4, 8, 0, tzinfo=UTC)
    assert s.start == datetime(2026, 7, 5, 7, 0, tzinfo=UTC)
    assert w.start.astimezone(LONDON).hour == s.start.astimezone(LONDON).hour == 8


def test_a_visit_at_a_time_that_does_not_exist_moves_forward_by_the_gap():
    [occ] = occurrences([line(start_time=time(1, 30))], SPRING_2026, SPRING_2026)
    assert occ.start.astimezone(LONDON).time() == time(2, 30)
    assert occ.minutes == 30


def test_an_ambiguous_time_on_the_autumn_night_means_the_first_one():
    [occ] = occurrences([line(start_time=time(1, 30))], AUTUMN_2026, AUTUMN_2026)
    assert occ.start == datetime(2026, 10, 25, 0, 30, tzinfo=UTC)  # 01:30 BST


def test_an_overnight_block_is_an_hour_shorter_when_the_clocks_go_forward():
    """LAN-ST-4.10: a 22:00–07:00 block crossing the March change lasts 8 real hours."""
    block = line(
        weekday=5,
        kind=VisitKind.OVERNIGHT_BLOCK,
        start_time=time(22, 0),
        end_time=time(7, 0),
        duration_minutes=540,
    )
    [occ] = occurrences([block], SPRING_2026 - timedelta(days=1), SPRING_2026 - timedelta(days=1))
    assert occ.minutes == 8 * 60
    assert occ.end.astimezone(LONDON).time() == time(7, 0)


def test_an_overnight_block_is_an_hour_longer_when_the_clocks_go_back():
    block = line(
        weekday=5,
        kind=VisitKind.OVERNIGHT_BLOCK,
        start_time=time(22, 0),
        end_time=time(7, 0),
        duration_minutes=540,
    )
    night = AUTUMN_2026 - timedelta(days=1)
    [occ] = occurrences([block], night, night)
    assert occ.minutes == 10 * 60


def test_a_visit_lasts_its_minutes_of_real_time_across_the_change():
    [occ] = occurrences(
        [line(start_time=time(0, 45), duration_minutes=60)], AUTUMN_2026, AUTUMN_2026
    )
    assert occ.minutes == 60


def test_each_pattern_line_occurs_once_a_week_on_its_weekday():
    lines = [line(key="mon", weekday=0), line(key="fri", weekday=4)]
    occ = occurrences(lines, date(2026, 11, 2), date(2026, 11, 29))
    assert len(occ) == 8
    assert {o.date.weekday() for o in occ if o.key == "mon"} == {0}
    assert [o.date for o in occ] == sorted(o.date for o in occ)


@given(
    day=st.dates(min_value=date(2024, 1, 1), max_value=date(2030, 12, 31)),
    at=st.times(),
)
def test_local_to_utc_always_gives_a_time_on_that_local_day_at_or_after_the_wall_time(day, at):
    at = at.replace(microsecond=0)
    instant = local_to_utc(day, at)
    local = instant.astimezone(LONDON)
    assert local.date() == day
    assert local.time() >= at
    assert local.time() <= (datetime.combine(day, at) + timedelta(hours=1)).time() or at.hour == 23
