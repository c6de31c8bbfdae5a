"""Improvement search over routes (placeholder: full re-schedule per move)."""

from __future__ import annotations

import math
import random
import time

from .construct import work_ok
from .engine import Engine


class Search:
    def __init__(self, engine: Engine, routes, left: dict[int, str], *, seed: int = 0):
        self.e = engine
        self.rng = random.Random(seed)
        self.routes = [list(r) for r in routes]
        self.left = dict(left)
        self.start = [0.0] * engine.n
        if not engine.schedule(self.routes, self.start):
            raise AssertionError("the starting routes are infeasible")
        self.cost = self._total(self.routes, self.start, len(self.left))
        self.best_routes = [list(r) for r in self.routes]
        self.best_left = dict(self.left)
        self.best_cost = self.cost
        self.stats = {"iterations": 0}

    def _total(self, routes, start, nleft) -> float:
        e = self.e
        c = e.evaluate(routes, start, nleft)["total"]
        # the search also pays the static costs repair adds (moves)
        extra = sum(
            e.static[t][k] - e.cont[t][k] - e.unusual[t][k] for k, r in enumerate(routes) for t in r
        )
        return c + extra

    def _try(self, routes, nleft):
        e = self.e
        if not all(work_ok(e, k, r) for k, r in enumerate(routes)):
            return None
        start = [0.0] * e.n
        if not e.schedule(routes, start):
            return None
        return self._total(routes, start, nleft), start

    def insert_visit(self, vi: int) -> bool:
        """Put visit vi in its cheapest feasible place(s); False if there is none."""
        e = self.e
        tasks = e.visit_tasks[vi]
        best = None
        options = []
        for t in tasks:
            opts = [(k, i) for k in e.elig[t] for i in range(len(self.routes[k]) + 1)]
            options.append(opts)
        combos = (
            [(o,) for o in options[0]]
            if len(tasks) == 1
            else [(a, b) for a in options[0] for b in options[1] if a[0] != b[0]]
        )
        nleft = len(self.left) - (1 if vi in self.left else 0)
        for combo in combos:
            routes = [list(r) for r in self.routes]
            for t, (k, i) in zip(tasks, combo, strict=True):
                routes[k].insert(i, t)
            got = self._try(routes, nleft)
            if got and (best is None or got[0] < best[0]):
                best = (got[0], routes, got[1])
        if best is None:
            return False
        self.cost, self.routes, self.start = best
        self.left.pop(vi, None)
        return True

    def run(self, *, deadline: float, progress=None) -> None:
        e = self.e
        movable = [vi for vi in range(len(e.visits)) if not e.visits[vi].pinned]
        temp = 1.0
        while time.monotonic() < deadline and movable:
            self.stats["iterations"] += 1
            vi = self.rng.choice(movable)
            if vi in self.left:
                continue
            saved = ([list(r) for r in self.routes], self.start, self.cost)
            tasks = set(e.visit_tasks[vi])
            self.routes = [[t for t in r if t not in tasks] for r in self.routes]
            self.left[vi] = ""
            if not self.insert_visit(vi) or self.cost > saved[2] + temp * -math.log(
                self.rng.random() + 1e-12
            ):
                self.routes, self.start, self.cost = saved
                self.left.pop(vi, None)
            if self.cost < self.best_cost - 1e-9:
                self.best_cost = self.cost
                self.best_routes = [list(r) for r in self.routes]
                self.best_left = dict(self.left)
            temp *= 0.999
            if progress and self.stats["iterations"] % 100 == 0:
                progress(min(1.0, 1 - (deadline - time.monotonic())), self.best_cost)
