"""The rostering optimizer: plain Python, no Django.

Usage::

    from homecare.domain.rostering import (
        Problem, Visit, Worker, Weights, StraightLineTravel, solve, repair, validate,
        ProblemError,
    )

    visits = [
        Visit(id="v1", client_id="c1", location=(55.95, -3.19), earliest=480, latest=510,
              duration=30, skills=frozenset({"personal_care"}), trusted=frozenset({"w1", "w2"})),
        Visit(id="v2", client_id="c2", location=(55.94, -3.20), earliest=540, latest=570,
              duration=45, workers_required=2, sync="simultaneous",   # a hoist transfer
              skills=frozenset({"moving_handling"})),
    ]
    workers = [
        Worker(id="w1", skills=frozenset({"personal_care", "moving_handling"}),
               shifts=((420, 900),), breaks=((720, 750),), max_minutes=480,
               start_location=(55.96, -3.18), end_location=(55.96, -3.18)),
        Worker(id="w2", skills=frozenset({"moving_handling"}), shifts=((420, 900),)),
    ]
    problem = Problem(visits=visits, workers=workers,
                      travel=StraightLineTravel(road_factor=1.4, speed_kmh=25),
                      weights=Weights(travel=1, lateness=2, continuity=60))
    try:
        sol = solve(problem, time_limit_s=5, seed=0)
    except ProblemError as exc:
        print(exc.reasons)          # one line per problem with the input
    for worker_id, stops in sol.routes.items():
        for stop in stops:          # Stop(visit_id, start, end, part)
            ...
    sol.unassigned                  # {visit id: reason}
    sol.cost, sol.counts            # breakdown and tallies
    assert validate(problem, sol) == []

    # Worker w2 goes off sick: mark them unavailable and repair the day.
    sick = Problem(visits=visits,
                   workers=[workers[0], dataclasses.replace(workers[1], unavailable=True)],
                   travel=problem.travel)
    fixed = repair(sick, sol, time_limit_s=2)   # moves as few other visits as it can

Times are minutes from the day origin (``Problem.day_origin``). Visits carry
``earliest``/``latest`` for the start; ``max_lateness`` (0 = hard end,
``None`` = unlimited) bounds how late. Pinned visits (``pinned`` worker ids,
optionally ``pinned_start``) stay put.
"""

from .model import (
    SEQUENTIAL,
    SIMULTANEOUS,
    Problem,
    ProblemError,
    Solution,
    Stop,
    Visit,
    Weights,
    Worker,
)
from .solver import repair, solve
from .travel import (
    MatrixTravel,
    OsrmTravel,
    StraightLineTravel,
    TravelError,
    ValhallaTravel,
    haversine_km,
)
from .validate import validate

__all__ = [
    "SEQUENTIAL",
    "SIMULTANEOUS",
    "MatrixTravel",
    "OsrmTravel",
    "Problem",
    "ProblemError",
    "Solution",
    "Stop",
    "StraightLineTravel",
    "TravelError",
    "ValhallaTravel",
    "Visit",
    "Weights",
    "Worker",
    "haversine_km",
    "repair",
    "solve",
    "validate",
]
