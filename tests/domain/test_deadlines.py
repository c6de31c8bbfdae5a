"""Deadlines sort into overdue / due today / due this week / later by the days
of Europe/London."""

from datetime import UTC, date, datetime

import pytest

from homecare.domain.deadlines import (
    Deadline,
    add_months,
    after,
    before,
    bucket_of,
    classify,
    describe,
    end_of_day,
    local_day,
)


def _d(due, key="k", done=None, title="Plan"):
    return Deadline(
        key=key,
        kind="plan.smart",
        title=title,
        due_at=due,
        refs=("KENT-3.6.5",),
        clause="The SMART action plan is completed at the first visit, at the latest the second.",
        individual_id=1,
        package_id=2,
        provider_id=3,
        council_id=4,
        url="/plans/2/",
        done_at=done,
    )


NOW = datetime(2026, 6, 10, 9, 0, tzinfo=UTC)  # 10:00 in London (BST), a Wednesday


def test_each_bucket_by_london_days():
    due = {
        "past": datetime(2026, 6, 10, 8, 59, tzinfo=UTC),
        "tonight": datetime(2026, 6, 10, 22, 59, tzinfo=UTC),  # 23:59 BST, still today
        "midnight": datetime(2026, 6, 10, 23, 0, tzinfo=UTC),  # the end of the 10th (BST)
        "after_midnight": datetime(2026, 6, 10, 23, 1, tzinfo=UTC),
        "seventh_day": datetime(2026, 6, 17, 23, 0, tzinfo=UTC),
        "eighth_day": datetime(2026, 6, 17, 23, 1, tzinfo=UTC),
    }
    out = classify([_d(at, key=k) for k, at in due.items()], NOW)
    assert [d.key for d in out.overdue] == ["past"]
    assert [d.key for d in out.today] == ["tonight", "midnight"]
    assert [d.key for d in out.this_week] == ["after_midnight", "seventh_day"]
    assert [d.key for d in out.later] == ["eighth_day"]
    assert out.counts() == {"overdue": 1, "today": 2, "this_week": 2, "later": 1}
    assert len(out) == 6
    for bucket in ("overdue", "today", "this_week", "later"):
        for d in getattr(out, bucket):
            assert bucket_of(d, NOW) == bucket


def test_due_exactly_now_is_overdue():
    assert bucket_of(_d(NOW), NOW) == "overdue"


def test_a_done_deadline_clears():
    out = classify([_d(NOW, done=NOW)], NOW)
    assert len(out) == 0


def test_done_late_is_recorded_as_late():
    d = _d(datetime(2026, 6, 1, tzinfo=UTC), done=NOW)
    assert d.was_late and not d.is_open


def test_each_bucket_is_sorted_by_due_time():
    a = _d(datetime(2026, 6, 12, 9, tzinfo=UTC), key="a")
    b = _d(datetime(2026, 6, 11, 9, tzinfo=UTC), key="b")
    assert [d.key for d in classify([a, b], NOW).this_week] == ["b", "a"]


def test_winter_days_end_at_utc_midnight():
    now = datetime(2026, 12, 1, 12, tzinfo=UTC)
    assert local_day(now) == date(2026, 12, 1)
    assert end_of_day(date(2026, 12, 1)) == datetime(2026, 12, 2, tzinfo=UTC)
    assert bucket_of(_d(datetime(2026, 12, 1, 23, 59, tzinfo=UTC)), now) == "today"


def test_naive_times_are_refused():
    with pytest.raises(ValueError):
        _d(datetime(2026, 6, 1))  # noqa: DTZ001
    with pytest.raises(ValueError):
        classify([], datetime(2026, 6, 1))  # noqa: DTZ001


def test_refs_must_be_a_tuple_of_ids():
    with pytest.raises(TypeError):
        Deadline(**{**_d(NOW).__dict__, "refs": "KENT-3.6.5"})


def test_calendar_arithmetic():
    assert add_months(date(2026, 1, 31), 1) == date(2026, 2, 28)
    assert add_months(date(2027, 11, 30), 3) == date(2028, 2, 29)
    assert add_months(date(2026, 3, 15), -3) == date(2025, 12, 15)
    assert after(date(2026, 1, 5), 12, "months") == date(2027, 1, 5)
    assert after(date(2026, 1, 5), 8, "weeks") == date(2026, 3, 2)
    assert after(date(2026, 1, 5), 5, "days") == date(2026, 1, 10)
    assert before(date(2026, 3, 2), 2, "weeks") == date(2026, 2, 16)
    with pytest.raises(ValueError):
        after(date(2026, 1, 5), 1, "working_days")


def test_describe_reads_as_words():
    assert describe(_d(datetime(2026, 6, 7, 9, tzinfo=UTC)), NOW) == "3 days overdue"
    assert describe(_d(datetime(2026, 6, 10, 13, tzinfo=UTC)), NOW) == "due in 4 hours"
    assert describe(_d(datetime(2026, 6, 10, 9, 1, tzinfo=UTC)), NOW) == "due in 1 minute"
