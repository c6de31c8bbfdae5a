"""Ruin-and-recreate with simulated annealing, over routes with synchronised visits.

Each iteration removes a few related visits (near in place and time, runs
of consecutive visits from nearby routes, one half of a double-handed pair,
or a random handful), puts them back one by one in their cheapest places
(``kernels.insert_visit``: every candidate timed exactly, double-handed
visits placed as a pair so both workers' times are set together), and keeps
the result by the annealing rule. The temperature falls from a fraction of
the average cost per visit to almost nothing over the time limit.
"""

from __future__ import annotations

import heapq
import math
import random
import time

import numpy as np

from . import kernels as kn
from .engine import Engine

NEIGHBOURS = 40
#: Exactly timed candidates per insertion (after sorting by lower bound).
MAX_EVALS = 50
#: Best places per half considered when pairing up a double-handed visit.
PAIR_TOP = 16
#: Annealing temperature at the start and at the end, per average cost of a visit.
TEMP_START = 0.3
TEMP_END = 0.002
#: Largest number of visits taken out in one iteration.
RUIN_MAX = 12
#: Share of iterations that take out one worker's whole route (which lets the
#: search hand a day's work to a different worker, or to nobody).
ROUTE_RUIN = 0.05


class Search:
    def __init__(self, engine: Engine, routes, left: dict[int, str], *, seed: int = 0):
        e = self.e = engine
        self.rng = random.Random(seed)
        kn.seed_rng(seed)
        self.S = kn.pack(e)
        n, K = e.n, e.K
        self.R = np.zeros((K, n + 1), np.int64)
        self.rlen = np.zeros(K, np.int64)
        for k, r in enumerate(routes):
            self.R[k, : len(r)] = r
            self.rlen[k] = len(r)
        self.route_of = np.full(max(n, 1), -1, np.int64)
        self.pos_of = np.full(max(n, 1), -1, np.int64)
        kn.reindex(self.R, self.rlen, self.route_of, self.pos_of)
        self.start = np.zeros(max(n, 1))
        if not kn.schedule(self.R, self.rlen, self.route_of, self.start, self.S):
            raise AssertionError("the starting routes are infeasible")
        self.base = kn.total(self.R, self.rlen, self.start, self.S)
        self.left = dict(left)
        self.best_cost = self.cost
        self.best_routes = self.routes
        self.best_left = dict(self.left)
        self.stats = {"iterations": 0, "accepted": 0, "improved": 0}
        self.movable = [vi for vi in range(len(e.visits)) if not e.visits[vi].pinned]
        self._neigh = None
        self._pairs = None

    @property
    def cost(self) -> float:
        return self.base + self.e.w_unassigned * len(self.left)

    @property
    def routes(self) -> list[list[int]]:
        return [self.R[k, : self.rlen[k]].tolist() for k in range(self.e.K)]

    def _snapshot(self):
        return (
            self.R.copy(),
            self.rlen.copy(),
            self.route_of.copy(),
            self.pos_of.copy(),
            self.start.copy(),
            self.base,
            dict(self.left),
        )

    def _restore(self, snap):
        self.R, self.rlen, self.route_of, self.pos_of, self.start, self.base, self.left = snap

    # ------------------------------------------------------------ moves
    def remove_tasks(self, tasks) -> bool:
        arr = np.array(sorted(tasks), dtype=np.int64)
        ok = kn.remove_tasks(self.R, self.rlen, self.route_of, self.pos_of, arr, self.start, self.S)
        if ok:
            self.base = kn.total(self.R, self.rlen, self.start, self.S)
        return ok

    def insert_visit(self, vi: int, *, blink: float = 0.0, only=None) -> bool:
        """Put visit vi (or just task ``only`` of it) where it costs least; False if nowhere."""
        tasks = self.e.visit_tasks[vi]
        if only is not None:
            a, b = only, -1
        else:
            a, b = tasks[0], (tasks[1] if len(tasks) == 2 else -1)
        c = kn.insert_visit(
            a,
            b,
            self.R,
            self.rlen,
            self.route_of,
            self.pos_of,
            self.start,
            self.S,
            self.base,
            blink,
            MAX_EVALS,
            PAIR_TOP,
        )
        if c == math.inf:
            return False
        self.base = c
        self.left.pop(vi, None)
        return True

    # ------------------------------------------------------------ ruin
    def _neighbours_of(self, i: int) -> list[int]:
        """The visits nearest visit i in place and time (worked out on first use)."""
        if self._neigh is None:
            e = self.e
            first = [e.visit_tasks[vi][0] for vi in range(len(e.visits))]
            self._mid = [(e.te[t] + e.tl[t]) / 2 for t in first]
            self._loc = [e.tloc[t] for t in first]
            self._free = [vi for vi in range(len(e.visits)) if not e.visits[vi].pinned]
            self._neigh = {}
        got = self._neigh.get(i)
        if got is None:
            row_t = self.e.T[self._loc[i]]
            loc, mid, mi = self._loc, self._mid, self._mid[i]
            got = heapq.nsmallest(
                NEIGHBOURS,
                (j for j in self._free if j != i),
                key=lambda j: row_t[loc[j]] + 0.5 * abs(mid[j] - mi),
            )
            self._neigh[i] = got
        return got

    def _ruin(self, q: int):
        """(visits to take out whole, single tasks to take out) for one iteration."""
        e = self.e
        rng = self.rng
        left = self.left
        if len(left) >= len(self.movable):
            return [], []
        seed = rng.choice(self.movable)
        while seed in left:
            seed = rng.choice(self.movable)
        mode = rng.random()
        out = {seed}
        if rng.random() < ROUTE_RUIN:
            k = int(self.route_of[e.visit_tasks[seed][0]])
            if k >= 0:
                for x in self.R[k, : self.rlen[k]].tolist():
                    if not e.visits[e.tv[x]].pinned:
                        out.add(e.tv[x])
                return list(out), []
        if mode < 0.1:
            if self._pairs is None:
                self._pairs = [vi for vi in self.movable if len(e.visit_tasks[vi]) == 2]
            halves = [vi for vi in self._pairs if vi not in left]
            if halves:
                vi = rng.choice(halves)
                return [], [rng.choice(e.visit_tasks[vi])]
        if mode < 0.55:
            for j in self._neighbours_of(seed):
                if len(out) >= q:
                    break
                if j not in self.left and rng.random() < 0.8:
                    out.add(j)
        elif mode < 0.85:
            seen = set()
            for j in [seed, *self._neighbours_of(seed)]:
                if len(out) >= q:
                    break
                t = e.visit_tasks[j][0]
                k = int(self.route_of[t])
                if k < 0 or k in seen:
                    continue
                seen.add(k)
                n = int(self.rlen[k])
                length = rng.randint(1, max(1, min(n, q - len(out) + 1, 6)))
                i = int(self.pos_of[t])
                lo = max(0, min(i - rng.randint(0, length - 1), n - length))
                for x in self.R[k, lo : lo + length].tolist():
                    vi = e.tv[x]
                    if not e.visits[vi].pinned:
                        out.add(vi)
        else:
            free = len(self.movable) - len(left)
            while len(out) < q and len(out) < free:
                vi = rng.choice(self.movable)
                if vi not in left:
                    out.add(vi)
        return list(out), []

    def _order(self, vis: list[int]) -> list[int]:
        e = self.e
        rng = self.rng
        x = rng.random()
        if x < 0.4:
            rng.shuffle(vis)
        elif x < 0.7:
            vis.sort(key=lambda vi: e.te[e.visit_tasks[vi][0]] + rng.random() * 10)
        elif x < 0.9:
            rng.shuffle(vis)
            vis.sort(key=lambda vi: -len(e.visit_tasks[vi]))
        else:
            vis.sort(key=lambda vi: e.tl[e.visit_tasks[vi][0]] - e.te[e.visit_tasks[vi][0]])
        return vis

    # ------------------------------------------------------------ main loop
    def _save_best(self):
        self.best_cost = self.cost
        self.best_routes = self.routes
        self.best_left = dict(self.left)

    def run(self, *, deadline: float, progress=None, max_iterations: int | None = None) -> None:
        rng = self.rng
        e = self.e
        t0 = time.monotonic()
        span = max(1e-3, deadline - t0)
        if self.left:
            for vi in sorted(self.left):
                self.insert_visit(vi)
            if self.cost < self.best_cost:
                self._save_best()
        V = max(1, len(self.movable))
        per_visit = max(self.base, 1.0) / V
        temp0, temp1 = TEMP_START * per_visit, TEMP_END * per_visit
        temp = temp0
        qmax = max(2, min(RUIN_MAX, V // 4))
        last_report = t0
        it = 0
        while self.movable and (max_iterations is None or it < max_iterations):
            it += 1
            if it % 4 == 0 or it < 4:
                now = time.monotonic()
                if now >= deadline:
                    break
                frac = (now - t0) / span
                if max_iterations is not None:
                    frac = it / max_iterations
                temp = temp0 * (temp1 / temp0) ** frac
                if progress and now - last_report > 1.0:
                    last_report = now
                    progress(min(1.0, frac), self.best_cost)
            snap = self._snapshot()
            old = self.cost
            vis, halves = self._ruin(rng.randint(1, qmax))
            rem = [t for vi in vis for t in e.visit_tasks[vi]] + halves
            if not rem:
                continue
            extra = [vi for vi in self.left if vi not in vis]
            if extra:
                vis += rng.sample(extra, min(2, len(extra)))
            order = self._order(vis)
            ins_a = [t for t in halves] + [e.visit_tasks[vi][0] for vi in order]
            ins_b = [-1] * len(halves) + [
                e.visit_tasks[vi][1] if len(e.visit_tasks[vi]) == 2 else -1 for vi in order
            ]
            failed = np.zeros(len(ins_a), np.int64)
            base = kn.rr_step(
                np.array(rem, np.int64),
                np.array(ins_a, np.int64),
                np.array(ins_b, np.int64),
                self.R,
                self.rlen,
                self.route_of,
                self.pos_of,
                self.start,
                self.S,
                0.01,
                MAX_EVALS,
                PAIR_TOP,
                failed,
            )
            if base == math.inf:
                self._restore(snap)
                continue
            self.base = base
            ok = not failed[: len(halves)].any()
            for i, vi in enumerate(order):
                if failed[len(halves) + i]:
                    self.left[vi] = self.left.get(vi) or ""
                else:
                    self.left.pop(vi, None)
            if ok and (
                self.cost < old - 1e-9 or self.cost <= old - temp * math.log(1 - rng.random())
            ):
                self.stats["accepted"] += 1
                if self.cost < self.best_cost - 1e-9:
                    self.stats["improved"] += 1
                    self._save_best()
            else:
                self._restore(snap)
        self.stats["iterations"] += it
