"""Property: every rota the optimizer returns passes the independent validator."""

import dataclasses

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from homecare.domain.rostering import (
    SEQUENTIAL,
    SIMULTANEOUS,
    MatrixTravel,
    Problem,
    ProblemError,
    Visit,
    Worker,
    repair,
    solve,
    validate,
)

SKILLS = ["care", "hoist", "meds"]


@st.composite
def problems(draw):
    n_loc = draw(st.integers(2, 6))
    pts = [(draw(st.integers(0, 30)), draw(st.integers(0, 30))) for _ in range(n_loc)]
    matrix = [[abs(a[0] - b[0]) + abs(a[1] - b[1]) for b in pts] for a in pts]
    workers = []
    for i in range(draw(st.integers(1, 4))):
        start = draw(st.sampled_from([360, 420, 480]))
        end = start + draw(st.integers(120, 600))
        has_break = draw(st.booleans())
        workers.append(
            Worker(
                id=f"w{i}",
                skills=frozenset(draw(st.sets(st.sampled_from(SKILLS), min_size=1))) | {"care"},
                gender=draw(st.sampled_from(["F", "M"])),
                shifts=((start, end),),
                breaks=((start + 120, start + 150),) if has_break else (),
                max_minutes=draw(st.sampled_from([None, 240, 480])),
                start_location=draw(st.sampled_from([None, 0])),
                end_location=draw(st.sampled_from([None, 0])),
                unavailable=draw(st.booleans()) and i > 0,
            )
        )
    visits = []
    for i in range(draw(st.integers(1, 9))):
        earliest = draw(st.integers(360, 900))
        two = draw(st.integers(0, 3)) == 0
        visits.append(
            Visit(
                id=f"v{i}",
                client_id=f"c{i % 4}",
                location=draw(st.integers(0, n_loc - 1)),
                earliest=earliest,
                latest=earliest + draw(st.integers(0, 90)),
                duration=draw(st.sampled_from([15, 30, 45])),
                workers_required=2 if two else 1,
                sync=draw(st.sampled_from([SIMULTANEOUS, SEQUENTIAL])),
                gap=(10, 40),
                skills=frozenset({"care"}),
                part_skills=(frozenset(), frozenset({draw(st.sampled_from(SKILLS))}))
                if two
                else None,
                gender=draw(st.sampled_from([None, None, "F"])),
                trusted=frozenset(draw(st.sets(st.sampled_from([w.id for w in workers])))),
                max_lateness=draw(st.sampled_from([0, 30, None])),
            )
        )
    return Problem(visits=visits, workers=workers, travel=MatrixTravel(matrix))


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow], database=None
)
@given(problems(), st.integers(0, 3))
def test_every_rota_returned_passes_the_validator(problem, seed):
    try:
        sol = solve(problem, time_limit_s=0.05, seed=seed)
    except ProblemError as exc:
        assert exc.reasons  # refused with reasons, never a partial rota
        return
    assert validate(problem, sol) == []
    assert sol.counts["assigned"] + sol.counts["unassigned"] == len(problem.visits)
    assert all(sol.unassigned.values())  # every left-out visit has a reason
    # a repair after the first worker goes sick is valid too
    first = problem.workers[0]
    sick = Problem(
        visits=problem.visits,
        workers=[dataclasses.replace(first, unavailable=True), *problem.workers[1:]],
        travel=problem.travel,
    )
    fixed = repair(sick, sol, time_limit_s=0.05, seed=seed)
    assert validate(sick, fixed) == []
    assert fixed.routes[first.id] == []
