"""Bad pattern lines are refused with a reason a coordinator understands."""

from datetime import time

from homecare.domain.patterns import VisitKind, can_transition, validate_line

LIMITS = dict(overnight_min_minutes=8 * 60, day_block_min_minutes=2 * 60)


def check(**kw):
    args = dict(
        kind=VisitKind.VISIT,
        start_time=time(8),
        end_time=time(8, 30),
        duration_minutes=30,
        workers_required=1,
    )
    return validate_line(**{**args, **kw}, **LIMITS)


def test_a_plain_visit_is_fine():
    assert check() == {}


def test_a_visit_that_ends_before_it_starts_is_refused():
    errors = check(start_time=time(9), end_time=time(8, 30), duration_minutes=-30)
    assert "before it starts" in errors["end_time"]


def test_three_workers_is_refused():
    assert "two when double-handed" in check(workers_required=3)["workers_required"]


def test_an_overnight_block_under_eight_hours_is_refused():
    """LAN-ST-4.10: an overnight block is at least 8 hours."""
    errors = check(kind=VisitKind.OVERNIGHT_BLOCK, start_time=time(23), end_time=time(6))
    assert "at least 8 hours" in errors["end_time"]
    assert check(kind=VisitKind.OVERNIGHT_BLOCK, start_time=time(22), end_time=time(7)) == {}


def test_a_day_block_under_two_hours_is_refused():
    """LAN-ST-4.10: a day block is at least 2 hours."""
    errors = check(kind=VisitKind.DAY_BLOCK, start_time=time(10), end_time=time(11))
    assert "at least 2 hours" in errors["end_time"]


def test_a_block_needs_an_end_time():
    assert (
        check(kind=VisitKind.DAY_BLOCK, end_time=None)["end_time"] == "A block needs an end time."
    )


def test_package_statuses_move_only_along_the_allowed_paths():
    assert can_transition("proposed", "active")
    assert can_transition("active", "suspended")
    assert can_transition("suspended", "active")
    assert not can_transition("closed", "active")
    assert not can_transition("proposed", "suspended")
