"""A first rota: visits in time order, each given to the cheapest free worker(s).

This is the "greedy earliest-start" rota a coordinator would recognise: every
visit is appended to the end of the day of whichever qualified worker can do
it at the lowest cost (travel, lateness, continuity). It is fast (one pass,
every worker looked at once per visit) and always respects the hard rules;
visits it cannot place get a reason.
"""

from __future__ import annotations

from .engine import INF, Engine

#: How many best single candidates per part are paired up for a double-handed visit.
PAIR_CANDIDATES = 8


def _late(s: float, hard: float) -> bool:
    """True when a start is past its hard end, or there is no start at all (INF)."""
    return s == INF or s > hard + 1e-6


def unplaceable_reason(engine: Engine, vi: int) -> str:
    """Why a visit could not be given to anyone (for the report)."""
    tasks = engine.visit_tasks[vi]
    v = engine.visits[vi]
    for t in tasks:
        if not engine.elig[t]:
            return "no qualified worker is available (all are off sick or unavailable)"
    if len(tasks) == 2:
        a, b = tasks
        if (
            set(engine.elig[a]) | set(engine.elig[b])
            and len(set(engine.elig[a]) | set(engine.elig[b])) < 2
        ):
            return "needs two different qualified workers and only one is available"
    for t in tasks:
        if all(
            _late(engine.fit(k, engine.te[t], engine.dur[t]), engine.hard[t])
            for k in engine.elig[t]
        ):
            return "window impossible: no qualified worker's shift covers its window"
    if v.pinned:
        return "the pinned worker is not free at that time"
    return "no qualified worker is free in its window"


def greedy(engine: Engine, *, fixed: list[list[int]] | None = None):
    """Routes (list of task lists per worker) and the visits left out {vi: reason}."""
    e = engine
    K = e.K
    routes: list[list[int]] = [list(r) for r in fixed] if fixed else [[] for _ in range(K)]
    tim = list(e.day_start)
    loc = list(e.wstart)
    work = [0.0] * K
    done = {t for r in routes for t in r}
    if fixed:
        start = [0.0] * e.n
        if not e.schedule(routes, start):
            raise ValueError("the fixed routes are infeasible")
        for k, r in enumerate(routes):
            if r:
                tim[k] = start[r[-1]] + e.dur[r[-1]]
                loc[k] = e.tloc[r[-1]]
                work[k] = e.route_work(k, r, e.route_travel(k, r)[0])
    order = sorted(
        (vi for vi in range(len(e.visits)) if not any(t in done for t in e.visit_tasks[vi])),
        key=lambda vi: (e.te[e.visit_tasks[vi][0]], e.tl[e.visit_tasks[vi][0]]),
    )
    left: dict[int, str] = {}
    wt, wl = e.w_travel, e.w_late

    def single(t):
        out = []
        lt = e.tloc[t]
        for k in e.elig[t]:
            lg = e.leg(loc[k], lt)
            ready = tim[k] + lg
            s = e.fit(k, max(ready, e.te[t]), e.dur[t])
            if _late(s, e.hard[t]):
                continue
            if work[k] + lg + e.dur[t] + e.leg(lt, e.wend[k]) > e.maxmin[k]:
                continue
            late = max(0.0, s - e.tl[t])
            cost = wt * lg + wl * late + e.static[t][k] + 0.05 * (s - tim[k])
            out.append((cost, k, ready, lg))
        out.sort()
        return out

    for vi in order:
        tasks = e.visit_tasks[vi]
        if len(tasks) == 1:
            t = tasks[0]
            cands = single(t)
            if not cands:
                left[vi] = unplaceable_reason(e, vi)
                continue
            _, k, ready, lg = cands[0]
            s = e.fit(k, max(ready, e.te[t]), e.dur[t])
            routes[k].append(t)
            tim[k] = s + e.dur[t]
            loc[k] = e.tloc[t]
            work[k] += lg + e.dur[t]
            continue
        a, b = tasks
        ca, cb = single(a)[:PAIR_CANDIDATES], single(b)[:PAIR_CANDIDATES]
        best = None
        for _, ka, ra, la in ca:
            for _, kb, rb, lb in cb:
                if ka == kb:
                    continue
                res = e.pair_start(ka, a, ra, kb, b, rb)
                if res is None:
                    continue
                x, sx, y, sy = res
                if _late(sx, e.hard[x]) or _late(sy, e.hard[y]):
                    continue
                sa, sb = (sx, sy) if x == a else (sy, sx)
                late = max(0.0, sa - e.tl[a]) + max(0.0, sb - e.tl[b])
                cost = (
                    wt * (la + lb)
                    + wl * late
                    + e.static[a][ka]
                    + e.static[b][kb]
                    + 0.05 * (sa - tim[ka] + sb - tim[kb])
                )
                if best is None or cost < best[0]:
                    best = (cost, ka, kb, sa, sb, la, lb)
        if best is None:
            left[vi] = unplaceable_reason(e, vi)
            continue
        _, ka, kb, sa, sb, la, lb = best
        for k, t, s, lg in ((ka, a, sa, la), (kb, b, sb, lb)):
            routes[k].append(t)
            tim[k] = s + e.dur[t]
            loc[k] = e.tloc[t]
            work[k] += lg + e.dur[t]
    return routes, left


def work_ok(engine: Engine, k: int, route: list[int]) -> bool:
    if engine.maxmin[k] == INF:
        return True
    return engine.route_work(k, route, engine.route_travel(k, route)[0]) <= engine.maxmin[k] + 1e-6
