"""The search times a candidate insertion incrementally (only the routes it can
reach); that must give exactly the cost and feasibility of timing every route.

Checked on every place of every visit of published instances with
double-handed visits (simultaneous and sequential), and on random problems
with shifts, breaks, maximum minutes and lateness limits.
"""

import math
import random

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from benchmarks.hhcrsp.data import data_dir, read_json, to_problem
from homecare.domain.rostering import ProblemError
from homecare.domain.rostering import kernels as kn
from homecare.domain.rostering.construct import greedy
from homecare.domain.rostering.engine import Engine
from homecare.domain.rostering.search import Search

from .test_optimizer_properties import problems

FOLDER = data_dir()


def _full(s: Search, tmp) -> float:
    if not kn.schedule(s.R, s.rlen, s.route_of, tmp, s.S):
        return math.inf
    return kn.total(s.R, s.rlen, tmp, s.S)


def _compare_every_place(search: Search, rng: random.Random, visits: int) -> int:
    """Take visits out one at a time and compare both timings on their places."""
    e, S = search.e, search.S
    n, K = e.n, e.K
    compared = 0
    placed = [vi for vi in range(len(e.visits)) if not e.visits[vi].pinned]
    for vi in rng.sample(placed, min(visits, len(placed))):
        tasks = e.visit_tasks[vi]
        if any(search.route_of[t] < 0 for t in tasks):
            continue
        if not search.remove_tasks(tasks):
            continue
        base = kn.total(search.R, search.rlen, search.start, S)
        tmax = kn.current_tmax(search.R, search.rlen, search.start, S)
        tmp = search.start.copy()
        fk = np.empty(K, np.int64)
        wk = np.empty(2 * (n + K) + 4, np.int64)
        if len(tasks) == 1:
            a, b = tasks[0], -1
            combos = [((k, j), None) for k in e.elig[a] for j in range(int(search.rlen[k]) + 1)]
        else:
            a, b = tasks
            pa = [(k, j) for k in e.elig[a] for j in range(int(search.rlen[k]) + 1)]
            pb = [(k, j) for k in e.elig[b] for j in range(int(search.rlen[k]) + 1)]
            combos = [(x, y) for x in pa for y in pb if x[0] != y[0]]
            combos = rng.sample(combos, min(60, len(combos)))
        for (ka, ja), second in combos:
            rca = kn.route_cost(ka, search.R, search.rlen, S)[0]
            kb, jb, rcb = -1, -1, 0.0
            if second is not None:
                kb, jb = second
                rcb = kn.route_cost(kb, search.R, search.rlen, S)[0]
            kn._ins(search.R, search.rlen, search.route_of, ka, ja, a)
            if kb >= 0:
                kn._ins(search.R, search.rlen, search.route_of, kb, jb, b)
            want = _full(search, tmp.copy())
            got = kn._eval(
                search.R, search.rlen, search.route_of, search.pos_of, search.start, tmp,
                S, base, tmax, ka, ja, rca, kb, jb, rcb, fk, wk,
            )  # fmt: skip
            if kb < 0 and e.partner[a] < 0:
                local, done = kn._local_cost(
                    ka, ja, search.R, search.rlen, search.start, S, base, tmax, rca
                )
                if done:
                    assert local == pytest.approx(want, abs=1e-6), (vi, ka, ja)
            assert got == pytest.approx(want, abs=1e-6), (vi, ka, ja, kb, jb)
            compared += 1
            if kb >= 0:
                kn._del(search.R, search.rlen, search.route_of, kb, jb)
            kn._del(search.R, search.rlen, search.route_of, ka, ja)
        assert search.insert_visit(vi)
        assert search.base == pytest.approx(_full(search, search.start.copy()), abs=1e-6)
    return compared


@pytest.mark.skipif(FOLDER is None, reason="HHCRSP data folder not found")
@pytest.mark.parametrize("name", ["InstanzCPLEX_HCSRP_25_2", "InstanzCPLEX_HCSRP_75_3"])
def test_incremental_timing_equals_timing_every_route(name):
    path = FOLDER / "instances/mankowska" / f"{name}.json"
    engine = Engine(to_problem(read_json(path)))
    routes, left = greedy(engine)
    search = Search(engine, routes, left, seed=1)
    search.run(deadline=math.inf, max_iterations=300)
    routes = search.best_routes
    search = Search(engine, routes, search.best_left, seed=1)
    assert _compare_every_place(search, random.Random(7), visits=25) > 500


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(problems(), st.integers(0, 3))
def test_incremental_timing_on_random_days(problem, seed):
    try:
        engine = Engine(problem)
    except ProblemError:
        return
    routes, left = greedy(engine)
    search = Search(engine, routes, left, seed=seed)
    _compare_every_place(search, random.Random(seed), visits=9)
