"""Visits start at their ordered time when the rota allows, not at the window's start."""

from homecare.domain.rostering.solver import solve
from homecare.domain.rostering.validate import validate
from homecare.rostering.day import load_day
from homecare.rostering.optimise import build_problem, settle


def test_settled_starts_are_valid_and_nearer_the_ordered_time(rota):
    day = load_day(rota["provider"], rota["tomorrow"])
    problem, *_ = build_problem(day)
    solution = solve(problem, time_limit_s=0.5)
    ordered = {v.id: v.start for v in day.visits}
    settled = settle(problem, solution, ordered)
    assert validate(problem, settled) == []
    before = {vid: s for (vid, _), s in solution.starts().items()}
    after = {vid: s for (vid, _), s in settled.starts().items()}
    assert all(before[k] <= after[k] <= max(before[k], ordered[k]) for k in after)
    assert sum(abs(after[k] - ordered[k]) for k in after) < sum(
        abs(before[k] - ordered[k]) for k in before
    )
