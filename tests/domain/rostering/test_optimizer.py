"""The rostering optimizer: hard rules, bad input, unassigned reasons, repair, pinned visits."""

import pytest

from homecare.domain.rostering import (
    SEQUENTIAL,
    MatrixTravel,
    Problem,
    ProblemError,
    Stop,
    Visit,
    Weights,
    Worker,
    repair,
    solve,
    validate,
)

# five places 10 minutes apart, the office is 0
GRID = [[0 if i == j else 10 for j in range(6)] for i in range(6)]


def worker(wid, **kw):
    kw.setdefault("skills", frozenset({"care"}))
    kw.setdefault("shifts", ((420, 1020),))
    kw.setdefault("start_location", 0)
    kw.setdefault("end_location", 0)
    return Worker(id=wid, **kw)


def visit(vid, loc, earliest, **kw):
    kw.setdefault("latest", earliest + 30)
    kw.setdefault("duration", 30)
    kw.setdefault("skills", frozenset({"care"}))
    return Visit(id=vid, client_id=f"c-{vid}", location=loc, earliest=earliest, **kw)


def day(visits, workers, **kw):
    return Problem(visits=visits, workers=workers, travel=MatrixTravel(GRID), **kw)


def test_a_day_with_pairs_skills_gender_breaks_is_valid():
    """KENT-3.3.7: both workers of a double-handed visit start together."""
    visits = [
        visit("v1", 1, 480),
        visit("v2", 2, 540, workers_required=2, skills=frozenset({"hoist"})),
        visit("v3", 3, 600, gender="F"),
        visit("v4", 4, 700, workers_required=2, sync=SEQUENTIAL, gap=(15, 30)),
        visit("v5", 5, 720, latest=760),
    ]
    workers = [
        worker("w1", skills=frozenset({"care", "hoist"}), gender="M", breaks=((720, 750),)),
        worker("w2", skills=frozenset({"care", "hoist"}), gender="F"),
        worker("w3", gender="M", max_minutes=200),
    ]
    problem = day(visits, workers)
    sol = solve(problem, time_limit_s=0.5)
    assert validate(problem, sol) == []
    assert sol.unassigned == {}
    who = sol.assignment()
    assert set(who["v2"]) == {"w1", "w2"}
    assert who["v3"] == ("w2", None)
    starts = sol.starts()
    assert starts[("v2", 0)] == starts[("v2", 1)]
    assert 15 <= starts[("v4", 1)] - starts[("v4", 0)] <= 30
    for stop in sol.routes["w1"]:
        assert stop.end <= 720 or stop.start >= 750  # the break
    assert sol.cost["total"] == pytest.approx(
        sum(v for k, v in sol.cost.items() if k in Weights.__dataclass_fields__)
    )


def test_bad_input_gets_every_reason_and_no_rota():
    visits = [
        visit("nobody", 1, 480, skills=frozenset({"peg feeding"})),
        visit("backwards", 2, 600, latest=540),
        visit("zero", 3, 600, duration=0),
    ]
    workers = [worker("w1"), worker("idle", shifts=())]
    with pytest.raises(ProblemError) as exc:
        solve(day(visits, workers), time_limit_s=0.2)
    text = "\n".join(exc.value.reasons)
    assert "backwards" in text and "before it starts" in text
    assert "zero" in text and "duration" in text
    assert "idle" in text and "no time available" in text
    # the structural errors are reported first; fix them and the skills one shows
    with pytest.raises(ProblemError) as exc:
        solve(day(visits[:1], workers[:1]), time_limit_s=0.2)
    assert "nobody" in exc.value.reasons[0] and "peg feeding" in exc.value.reasons[0]


@pytest.mark.parametrize(
    "matrix, words",
    [
        ([[0, None], [5, 0]], "missing"),
        ([[0, -3], [5, 0]], "impossible"),
        ([[0, float("nan")], [5, 0]], "missing"),
        ([[0, 5]], "travel times"),
    ],
)
def test_a_bad_travel_matrix_is_refused(matrix, words):
    problem = Problem(
        visits=[visit("v1", 1, 480)], workers=[worker("w1")], travel=MatrixTravel(matrix)
    )
    with pytest.raises(ProblemError) as exc:
        solve(problem, time_limit_s=0.1)
    assert words in " ".join(exc.value.reasons)


def test_visits_that_cannot_be_placed_are_reported_with_a_reason():
    visits = [
        visit("sick-only", 1, 480, skills=frozenset({"stoma"})),
        visit("night", 2, 1300, latest=1310),
        visit("fine", 3, 500),
    ]
    workers = [worker("w1"), worker("w2", skills=frozenset({"stoma"}), unavailable=True)]
    problem = day(visits, workers)
    sol = solve(problem, time_limit_s=0.3)
    assert validate(problem, sol) == []
    assert "off sick" in sol.unassigned["sick-only"]
    assert "window impossible" in sol.unassigned["night"]
    assert sol.assignment()["fine"] == ("w1", None)
    assert sol.counts["unassigned"] == 2
    assert sol.cost["unassigned"] == 2 * Weights().unassigned


def test_the_validator_catches_broken_rotas():
    visits = [visit("v1", 1, 600), visit("v2", 2, 480, workers_required=2)]
    workers = [worker("w1"), worker("w2"), worker("w3", skills=frozenset())]
    problem = day(visits, workers)
    sol = solve(problem, time_limit_s=0.3)
    assert validate(problem, sol) == []
    routes = {k: list(v) for k, v in sol.routes.items()}

    def broken(**changes):
        from homecare.domain.rostering import Solution

        r = {k: list(v) for k, v in routes.items()}
        r.update(changes)
        return validate(problem, Solution(routes=r, unassigned={}))

    pair = [(w, s) for w, stops in routes.items() for s in stops if s.visit_id == "v2"]
    w, s = pair[0]
    late = [Stop(x.visit_id, x.start + 5, x.end + 5, x.part) if x == s else x for x in routes[w]]
    assert any("not together" in m for m in broken(**{w: late}))
    assert any("lacks the skills" in m for m in broken(w3=[Stop("v1", 600, 630, 0)]))
    early = [Stop(x.visit_id, 400, 430, x.part) for x in routes[w] if x == s]
    assert any("before" in m for m in broken(**{w: early}))
    assert any("neither rostered" in m for m in broken(**{k: [] for k in routes}))


def test_pinned_visits_stay_put():
    visits = [
        visit("p", 1, 480, pinned=("w2",), pinned_start=500),
        visit("q", 1, 540),
    ]
    workers = [worker("w1"), worker("w2")]
    problem = day(visits, workers)
    sol = solve(problem, time_limit_s=0.3)
    assert validate(problem, sol) == []
    assert sol.routes["w2"][0] == Stop("p", 500, 530, 0)


def test_continuity_prefers_the_trusted_team():
    """KENT-8.1: the person's trusted team does their visits when it can."""
    visits = [visit(f"v{i}", 1 + i % 5, 480 + 60 * i, trusted=frozenset({"w2"})) for i in range(6)]
    workers = [worker("w1"), worker("w2"), worker("w3")]
    sol = solve(day(visits, workers), time_limit_s=0.5)
    assert sol.counts["by_trusted"] == sol.counts["with_team"] == 6


def test_repair_after_a_worker_goes_sick_moves_nobody_else():
    visits = [visit(f"v{i}", 1 + i % 5, 480 + 40 * i, latest=480 + 40 * i + 60) for i in range(12)]
    visits.append(visit("pair", 3, 700, workers_required=2))
    workers = [worker(f"w{i}") for i in range(4)]
    problem = day(visits, workers)
    before = solve(problem, time_limit_s=0.5)
    assert validate(problem, before) == []
    sick = next(w for w, stops in before.routes.items() if stops)
    workers2 = [Worker(id=w.id, unavailable=True) if w.id == sick else w for w in workers]
    problem2 = day(visits, workers2)
    after = repair(problem2, before, time_limit_s=0.5)
    assert validate(problem2, after) == []
    assert after.routes[sick] == []
    assert after.unassigned == {}
    was = before.assignment()
    now = after.assignment()
    for vid, pair in was.items():
        if sick not in pair:
            assert now[vid] == pair, vid  # unaffected workers keep their visits
    assert after.counts["moved"] == sum(1 for pair in was.values() if sick in pair)
    assert after.stats["seconds"] < 5


def test_repair_takes_a_new_visit_and_a_cancellation():
    visits = [visit(f"v{i}", 1 + i % 5, 480 + 45 * i) for i in range(8)]
    workers = [worker("w1"), worker("w2")]
    before = solve(day(visits, workers), time_limit_s=0.3)
    changed = [*visits[1:], visit("new", 2, 900)]
    problem = day(changed, workers)
    after = repair(problem, before, time_limit_s=0.3)
    assert validate(problem, after) == []
    assert "new" in after.assignment()
    assert "v0" not in after.assignment()
