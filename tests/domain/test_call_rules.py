"""The call rules at the exact minutes (homecare.domain.calls)."""

from datetime import UTC, datetime, timedelta

import pytest

from homecare.domain import calls
from homecare.domain.rulebook import load_rulebook

ORDERED = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
KENT = calls.CallRules.from_rulebook(load_rulebook("kent"))
LAN_HC = calls.CallRules.from_rulebook(load_rulebook("lan-hc"))


def at(minutes: float) -> datetime:
    return ORDERED + timedelta(minutes=minutes)


def test_rules_come_from_the_rulebooks():
    assert (KENT.late_minutes, KENT.missed_minutes, KENT.travel_allowance_minutes) == (45, 120, 0)
    assert LAN_HC.travel_allowance_minutes == 10
    assert KENT.arrival_together is True


@pytest.mark.parametrize(
    ("minutes", "verdict"),
    [
        (0, "on_time"),
        (44, "on_time"),
        (44.99, "on_time"),
        (45, "late"),
        (46, "late"),
        (120, "late"),
        (120.02, "missed"),
        (121, "missed"),
        (-44, "on_time"),
        (-45, "early"),
        (-90, "early"),
    ],
)
def test_a_start_is_judged_at_the_exact_minute(minutes, verdict):
    """KENT-3.9.4: late or early from 45 minutes or more either way; KENT-3.9.5:
    missed when started more than 2 hours after the ordered time."""
    assert calls.judge_start(ORDERED, at(minutes), KENT) == verdict


@pytest.mark.parametrize(
    ("minutes", "state"),
    [
        (-1, "planned"),
        (0, "due"),
        (44, "due"),
        (44.99, "due"),
        (45, "late"),
        (119, "late"),
        (119.99, "late"),
        (120, "missed"),
    ],
)
def test_a_call_nobody_starts_turns_due_late_then_missed(minutes, state):
    """KENT-3.9.4 and KENT-3.9.5: late at +45 min, missed at +2 h, not a minute before."""
    assert calls.waiting_state(ORDERED, at(minutes), KENT) == state


def test_the_next_alert_is_the_next_threshold():
    end = at(30)
    assert calls.next_alert("planned", ordered=ORDERED, planned_end=end, rules=KENT) == ORDERED
    assert calls.next_alert("due", ordered=ORDERED, planned_end=end, rules=KENT) == at(45)
    assert calls.next_alert("late", ordered=ORDERED, planned_end=end, rules=KENT) == at(120)
    assert calls.next_alert("in_progress", ordered=ORDERED, planned_end=end, rules=KENT) == at(75)
    for final in ("completed", "missed", "cancelled"):
        assert calls.next_alert(final, ordered=ORDERED, planned_end=end, rules=KENT) is None


def test_a_double_handed_call_starts_when_the_second_worker_is_in():
    """KENT-3.3.7: the first worker to arrive does not start alone."""
    assert calls.start_of_care([at(-5)], workers_required=2, rules=KENT) is None
    assert calls.start_of_care([at(50), at(-5)], workers_required=2, rules=KENT) == at(50)
    assert calls.judge_start(ORDERED, at(50), KENT) == "late"


def test_without_arrival_together_the_first_arrival_starts_the_call():
    rules = calls.CallRules(late_minutes=45, missed_minutes=120, arrival_together=False)
    assert calls.start_of_care([at(50), at(-5)], workers_required=2, rules=rules) == at(-5)
    assert calls.start_of_care([at(3)], workers_required=1, rules=KENT) == at(3)
    assert calls.start_of_care([], workers_required=1, rules=KENT) is None


@pytest.mark.parametrize(
    ("ordered", "delivered", "short"),
    [(30, 30, False), (30, 20, False), (30, 19, True), (60, 50, False), (60, 49, True)],
)
def test_a_call_cut_short_by_up_to_the_travel_allowance_is_not_short(ordered, delivered, short):
    """LAN-HC-4.1: up to 10 minutes of each visit is travel: a 30-minute visit gives
    at least 20 minutes of support, a 60-minute visit at least 50."""
    assert (
        calls.is_short(ordered_minutes=ordered, delivered_minutes=delivered, rules=LAN_HC) is short
    )


def test_without_travel_allowance_any_cut_is_short():
    assert calls.is_short(ordered_minutes=30, delivered_minutes=29, rules=KENT) is True
    assert calls.is_short(ordered_minutes=30, delivered_minutes=30, rules=KENT) is False


def test_refusals_in_a_row_count_from_the_latest_visit_back():
    """KENT-3.8.1: refusal of support three or more times in consecutive visits."""
    assert calls.refusals_in_a_row([True, True, True, False, True]) == 3
    assert calls.refusals_in_a_row([False, True, True]) == 0
    assert calls.refusals_in_a_row([]) == 0


def test_board_counts_every_state():
    counts = calls.board_counts(["late", "late", "missed", "planned"])
    assert counts["late"] == 2 and counts["missed"] == 1 and counts["completed"] == 0


def test_a_started_call_is_expected_out_its_length_plus_the_threshold_after_it_started():
    due = calls.checkout_due(started=at(50), ordered=ORDERED, planned_end=at(30), rules=KENT)
    assert due == at(50 + 30 + 45)
