"""Making room for a visit the repair could not place: one other visit moves (issue 5)."""

from homecare.domain.rostering import (
    MatrixTravel,
    Problem,
    Solution,
    Stop,
    Visit,
    Worker,
    repair,
    validate,
)
from homecare.domain.rostering.engine import Engine
from homecare.domain.rostering.room import make_room, share_polish, team_polish

GRID = [[0 if i == j else 10 for j in range(4)] for i in range(4)]


def _problem():
    """A double-handed hoist visit at 09:00 sharp that only Ann and Bea can do; Bea has
    a single visit at 09:00 that Cal (no hoist) can do as well."""
    workers = [
        Worker(id=w, skills=skills, shifts=((480, 720),), start_location=0, end_location=0)
        for w, skills in (
            ("ann", frozenset({"care", "hoist"})),
            ("bea", frozenset({"care", "hoist"})),
            ("cal", frozenset({"care"})),
        )
    ]
    visits = [
        Visit(
            id="hoist",
            client_id="p1",
            location=1,
            earliest=540,
            latest=540,
            duration=30,
            workers_required=2,
            skills=frozenset({"hoist"}),
        ),
        Visit(
            id="tea",
            client_id="p2",
            location=2,
            earliest=540,
            latest=550,
            duration=30,
            skills=frozenset({"care"}),
        ),
    ]
    return Problem(visits=visits, workers=workers, travel=MatrixTravel(GRID))


def test_a_double_handed_visit_gets_its_pair_when_one_other_visit_moves():
    problem = _problem()
    e = Engine(problem)
    routes = [[], [e.visit_tasks[1][0]], []]  # Bea has the tea visit
    routes, left = make_room(e, routes, {0: ""})
    assert left == {}
    owners = {e.visits[e.tv[t]].id: [] for r in routes for t in r}
    for k, r in enumerate(routes):
        for t in r:
            owners[e.visits[e.tv[t]].id].append(e.workers[k].id)
    assert sorted(owners["hoist"]) == ["ann", "bea"]
    assert owners["tea"] == ["cal"]
    start = [0.0] * e.n
    assert e.schedule(routes, start)
    assert start[e.visit_tasks[0][0]] == start[e.visit_tasks[0][1]] == 540


def test_a_repair_makes_that_room_and_says_one_visit_moved():
    problem = _problem()
    before = Solution(routes={"bea": [Stop("tea", 540, 570)]})
    solution = repair(problem, before, time_limit_s=0.5, room=True)
    assert solution.unassigned == {}
    assert validate(problem, solution) == []
    assert solution.counts["moved"] == 1
    assert {s.visit_id for s in solution.routes["cal"]} == {"tea"}


def test_a_visit_outside_the_trusted_team_goes_to_a_team_member_with_a_gap():
    workers = [
        Worker(id=w, skills=frozenset({"care"}), shifts=((480, 720),), start_location=0)
        for w in ("ann", "bea")
    ]
    visits = [
        Visit(
            id=f"v{i}",
            client_id=f"p{i}",
            location=1 + i,
            earliest=540 + 60 * i,
            latest=550 + 60 * i,
            duration=30,
            trusted=frozenset({"ann"}),
        )
        for i in range(2)
    ]
    e = Engine(Problem(visits=visits, workers=workers, travel=MatrixTravel(GRID)))
    # Bea has both; Ann, their trusted team, has nothing.
    routes = make_room(e, [[], [0, 1]], {})[0]
    routes = team_polish(e, routes)
    assert routes == [[0, 1], []]
    start = [0.0] * e.n
    assert e.schedule(routes, start)


def test_polish_leaves_a_visit_where_the_team_member_has_no_gap():
    workers = [
        Worker(id=w, skills=frozenset({"care"}), shifts=((480, 720),), start_location=0)
        for w in ("ann", "bea")
    ]
    visits = [
        Visit(id="a", client_id="p1", location=1, earliest=540, latest=540, duration=30),
        Visit(
            id="b",
            client_id="p2",
            location=2,
            earliest=545,
            latest=545,
            duration=30,
            trusted=frozenset({"ann"}),
        ),
    ]
    e = Engine(Problem(visits=visits, workers=workers, travel=MatrixTravel(GRID)))
    assert team_polish(e, [[0], [1]]) == [[0], [1]]


def _share_problem(dee_free: bool):
    """Pat (one visit at 09:00) trusts only Ann; Ann has Quin's 09:00 visit; Quin trusts
    Ann and Dee. Cal, a stranger to both, has Pat's visit. Dee has Rob, who trusts only
    her, at 10:30 (free at 09:00) or (``dee_free`` false) at 09:00 too."""
    workers = [
        Worker(id=w, skills=frozenset({"care"}), shifts=((480, 720),), start_location=0)
        for w in ("ann", "cal", "dee")
    ]

    def visit(vid, client, place, at, trusted):
        return Visit(
            id=vid,
            client_id=client,
            location=place,
            earliest=at,
            latest=at + 5,
            duration=60,
            trusted=frozenset(trusted),
        )

    visits = [
        visit("pat", "p", 1, 540, {"ann"}),
        visit("quin", "q", 2, 540, {"ann", "dee"}),
        visit("rob", "r", 3, 630 if dee_free else 540, {"dee"}),
    ]
    e = Engine(Problem(visits=visits, workers=workers, travel=MatrixTravel(GRID)))
    return e, [[1], [0], [2]]  # Ann: Quin; Cal: Pat; Dee: Rob


def _owners(e, routes) -> dict:
    return {e.visits[e.tv[t]].id: e.workers[k].id for k, r in enumerate(routes) for t in r}


def test_a_person_below_the_team_share_gets_their_member_and_the_other_person_theirs():
    e, routes = _share_problem(dee_free=True)
    start = [0.0] * e.n
    assert e.schedule(routes, start)
    routes = share_polish(e, routes, 0.85)
    owners = _owners(e, routes)
    assert owners["pat"] == "ann"
    assert owners["quin"] == "dee"
    assert e.schedule(routes, start)


def test_the_team_share_polish_takes_nobody_else_below_it():
    e, routes = _share_problem(dee_free=False)
    # Dee is with Rob, whose only member she is: Quin would get Cal, a stranger.
    assert share_polish(e, routes, 0.85) == routes
