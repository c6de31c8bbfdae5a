"""The problem compiled to flat lists, and the exact schedule of a set of routes.

A *task* is one part of one visit (a double-handed visit has two tasks). A
route is an ordered list of task numbers per worker. ``Engine.schedule``
computes every start time from the routes: each task starts as early as its
window, its worker's availability, the previous task plus travel, and its
partner's synchronisation allow. Synchronised pairs are scheduled together
once both partners are next in their routes (a topological walk); when no
route can move on, the routes wait on each other in a cycle and the set is
infeasible.
"""

from __future__ import annotations

import math

import numpy as np

from .model import SEQUENTIAL, SIMULTANEOUS, Problem, ProblemError
from .travel import TravelError

INF = math.inf
EPS = 1e-6
SINGLE, SIM, LEAD, FOLLOW = 0, 1, 2, 3


def _intervals(worker) -> list[tuple[float, float]]:
    """Shifts minus breaks, sorted and merged."""
    out = []
    for a, b in sorted(worker.shifts):
        pieces = [(a, b)]
        for ba, bb in worker.breaks:
            nxt = []
            for pa, pb in pieces:
                if bb <= pa or ba >= pb:
                    nxt.append((pa, pb))
                    continue
                if ba > pa:
                    nxt.append((pa, ba))
                if bb < pb:
                    nxt.append((bb, pb))
            pieces = nxt
        out.extend(p for p in pieces if p[1] > p[0])
    out.sort()
    merged: list[tuple[float, float]] = []
    for a, b in out:
        if merged and a <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(b, merged[-1][1]))
        else:
            merged.append((a, b))
    return merged


def _check_visit(v, worker_ids) -> list[str]:
    reasons = []
    name = f"visit {v.id}"
    if v.workers_required not in (1, 2):
        reasons.append(f"{name}: needs 1 or 2 workers, not {v.workers_required}")
        return reasons
    if v.latest < v.earliest:
        reasons.append(f"{name}: its window ends ({v.latest}) before it starts ({v.earliest})")
    durations = [v.part_duration(p) for p in range(v.workers_required)]
    if any(d is None or d <= 0 for d in durations):
        reasons.append(f"{name}: duration must be positive")
    if v.max_lateness is not None and v.max_lateness < 0:
        reasons.append(f"{name}: maximum lateness cannot be negative")
    if v.part_skills is not None and len(v.part_skills) != v.workers_required:
        reasons.append(f"{name}: one skill set per worker is needed")
    if v.part_durations is not None and len(v.part_durations) != v.workers_required:
        reasons.append(f"{name}: one duration per worker is needed")
    if v.workers_required == 2:
        if v.sync not in (SIMULTANEOUS, SEQUENTIAL):
            reasons.append(f"{name}: synchronisation must be simultaneous or sequential")
        if v.sync == SEQUENTIAL and not (0 <= v.gap[0] <= v.gap[1]):
            reasons.append(f"{name}: the gap between the two parts must be 0 <= min <= max")
        if v.first not in (0, 1):
            reasons.append(f"{name}: 'first' must be part 0 or 1")
    for wid in v.pinned:
        if wid not in worker_ids:
            reasons.append(f"{name}: pinned to unknown worker {wid}")
    if v.pinned and len(v.pinned) > v.workers_required:
        reasons.append(f"{name}: pinned to more workers than it needs")
    return reasons


def _numeric_square(m, n: int):
    """``m`` as an n x n float array when every entry is a finite number >= 0, else None."""
    try:
        a = np.asarray(m)
    except (TypeError, ValueError):  # ragged
        return None
    if a.shape != (n, n) or a.dtype.kind not in "iuf":
        return None
    a = a.astype(np.float64, copy=False)
    if not np.isfinite(a).all() or (a < 0).any():
        return None
    return a


class Engine:
    """Flat lists for the search. Raises ``ProblemError`` with every reason found."""

    def __init__(self, problem: Problem):
        self.problem = problem
        visits, workers = list(problem.visits), list(problem.workers)
        reasons: list[str] = []
        ids = [v.id for v in visits]
        if len(set(ids)) != len(ids):
            reasons.append("two visits share an id")
        wids = [w.id for w in workers]
        if len(set(wids)) != len(wids):
            reasons.append("two workers share an id")
        if not workers:
            reasons.append("there are no workers")
        worker_ids = set(wids)
        for v in visits:
            reasons.extend(_check_visit(v, worker_ids))
        self.intervals = [_intervals(w) for w in workers]
        for w, ints in zip(workers, self.intervals, strict=True):
            if not w.unavailable and not ints:
                reasons.append(f"worker {w.id}: has no time available (no shift outside breaks)")
        if reasons:
            raise ProblemError(reasons)

        # locations
        locs: list = []
        index: dict = {}

        def loc_of(x):
            if x is None:
                return -1
            if x not in index:
                index[x] = len(locs)
                locs.append(x)
            return index[x]

        self.wstart = [loc_of(w.start_location) for w in workers]
        self.wend = [loc_of(w.end_location) for w in workers]
        vloc = [loc_of(v.location) for v in visits]
        self.locations = locs
        self.T_array = self._matrix(problem.travel, locs)
        #: The same minutes as lists of floats, for the pure-Python timing below.
        self.T = self.T_array.tolist()

        # tasks
        self.visits, self.workers = visits, workers
        self.K = len(workers)
        self.visit_tasks: list[list[int]] = []
        tv, tp, dur, loc, te, tl, hard, kind, partner, gmin, gmax = ([] for _ in range(11))
        for vi, v in enumerate(visits):
            first = len(tv)
            n = v.workers_required
            self.visit_tasks.append(list(range(first, first + n)))
            for p in range(n):
                tv.append(vi)
                tp.append(p)
                dur.append(v.part_duration(p))
                loc.append(vloc[vi])
                e, lt = v.earliest, v.latest
                h = INF if v.max_lateness is None else lt + v.max_lateness
                if v.pinned_start is not None:
                    e = max(e, v.pinned_start)
                    h = min(h, v.pinned_start)
                te.append(e)
                tl.append(lt)
                hard.append(h)
                if n == 1:
                    kind.append(SINGLE)
                    partner.append(-1)
                elif v.sync == SIMULTANEOUS:
                    kind.append(SIM)
                    partner.append(first + 1 - p)
                else:
                    kind.append(LEAD if p == v.first else FOLLOW)
                    partner.append(first + 1 - p)
                gmin.append(v.gap[0] if n == 2 else 0)
                gmax.append(v.gap[1] if n == 2 else 0)
        self.tv, self.tp, self.dur, self.tloc = tv, tp, dur, loc
        self.te, self.tl, self.hard, self.kind = te, tl, hard, kind
        self.partner, self.gmin, self.gmax = partner, gmin, gmax
        self.n = len(tv)

        # eligibility and static (continuity) costs, one row per task over the workers
        wt = problem.weights
        K = len(workers)
        windex = {w.id: k for k, w in enumerate(workers)}
        wskills = [frozenset(w.skills) for w in workers]
        able: dict = {}
        self.qualified: list[list[int]] = []
        self.elig: list[list[int]] = []
        cont = np.zeros((self.n, K))
        unus = np.zeros((self.n, K))
        parts: dict = {}  # per person with a trusted team, their visit parts here
        for v in visits:
            if v.trusted:
                parts[v.client_id] = parts.get(v.client_id, 0) + v.workers_required
        for t in range(self.n):
            v = visits[tv[t]]
            need = v.part_skill_set(tp[t])
            key = (need, v.gender)
            qual = able.get(key)
            if qual is None:
                qual = able[key] = [
                    k
                    for k, w in enumerate(workers)
                    if need <= wskills[k] and (v.gender is None or w.gender == v.gender)
                ]
            if v.pinned:
                qual = [k for k in qual if workers[k].id in v.pinned]
            self.qualified.append(qual)
            self.elig.append([k for k in qual if not workers[k].unavailable])
            stranger = wt.continuity
            if v.trusted and wt.continuity_share:
                stranger += wt.continuity_share * 100.0 / parts[v.client_id]
            for row, people, weight in (
                (cont, v.trusted, stranger),
                (unus, v.preferred, wt.unusual),
            ):
                if people and weight:
                    row[t, :] = weight
                    row[t, [windex[x] for x in people if x in windex]] = 0.0
        self.cont = cont.tolist()
        self.unusual = unus.tolist()
        self.static = (cont + unus).tolist()
        for v, tasks in zip(visits, self.visit_tasks, strict=True):
            for t in tasks:
                if not self.qualified[t]:
                    need = ", ".join(sorted(map(str, v.part_skill_set(self.tp[t])))) or "none"
                    who = f" and gender {v.gender}" if v.gender else ""
                    pin = " among its pinned workers" if v.pinned else ""
                    reasons.append(
                        f"visit {v.id}: no worker{pin} has the skills ({need}){who} it needs"
                    )
                    break
        if reasons:
            raise ProblemError(reasons)
        self.pinned_task = [bool(visits[tv[t]].pinned) for t in range(self.n)]
        self.day_start = [ints[0][0] if ints else 0 for ints in self.intervals]
        self.maxmin = [INF if w.max_minutes is None else w.max_minutes for w in workers]
        self.w_travel = wt.travel
        self.w_late = wt.lateness
        self.w_max = wt.max_lateness
        self.w_balance = wt.balance
        self.w_leg = wt.long_leg
        self.allow = problem.travel_allowance
        self.w_unassigned = wt.unassigned

    @staticmethod
    def _matrix(provider, locs) -> np.ndarray:
        if not locs:
            return np.zeros((0, 0))
        try:
            quick = getattr(provider, "matrix_array", None)
            m = quick(locs) if quick is not None else provider.matrix(locs)
        except TravelError as exc:
            raise ProblemError([f"travel times: {exc}"]) from exc
        good = _numeric_square(m, len(locs))
        if good is not None:
            return good
        return np.array(Engine._checked_matrix(m, locs), dtype=np.float64)

    @staticmethod
    def _checked_matrix(m, locs) -> list[list[float]]:
        """Entry by entry, for a matrix that failed the quick check: every reason."""
        reasons = []
        if len(m) != len(locs) or any(len(row) != len(locs) for row in m):
            raise ProblemError(["travel times: the matrix does not cover every location"])
        out = []
        for i, row in enumerate(m):
            line = []
            for j, x in enumerate(row):
                if isinstance(x, np.generic):
                    x = x.item()
                if x is None or not isinstance(x, int | float) or math.isnan(x):
                    reasons.append(f"travel times: missing entry from {locs[i]} to {locs[j]}")
                    x = 0
                elif x < 0 or math.isinf(x):
                    reasons.append(
                        f"travel times: impossible entry {x} from {locs[i]} to {locs[j]}"
                    )
                line.append(float(x))
            out.append(line)
        if reasons:
            raise ProblemError(
                reasons[:20] + ([f"... {len(reasons) - 20} more"] * (len(reasons) > 20))
            )
        return out

    # ---------------------------------------------------------------- timing
    def fit(self, k: int, x: float, d: float) -> float:
        """First start >= x at which a task of length d fits in worker k's time."""
        for a, b in self.intervals[k]:
            s = x if x > a else a
            if s + d <= b + EPS:
                return s
        return INF

    def leg(self, a: int, b: int) -> float:
        if a < 0 or b < 0:
            return 0.0
        return self.T[a][b]

    def pair_start(self, ka, a, ra, kb, b, rb):
        """Starts of partner tasks a (worker ka, ready ra) and b (kb, rb), or None."""
        fit, dur, te = self.fit, self.dur, self.te
        if self.kind[a] == FOLLOW:
            a, b, ka, kb, ra, rb = b, a, kb, ka, rb, ra
        sa = fit(ka, max(ra, te[a]), dur[a])
        if self.kind[a] == SIM:
            for _ in range(64):
                sb = fit(kb, max(rb, te[b], sa), dur[b])
                if sb == INF:
                    return None
                if sb <= sa + EPS:
                    return (a, sa, b, sa)
                sa = fit(ka, sb, dur[a])
                if sa == INF:
                    return None
                if sa <= sb + EPS:
                    return (a, sb, b, sb)
            return None
        gmin, gmax = self.gmin[a], self.gmax[a]
        for _ in range(64):
            if sa == INF:
                return None
            sb = fit(kb, max(rb, te[b], sa + gmin), dur[b])
            if sb == INF:
                return None
            if sb - sa <= gmax + EPS:
                return (a, sa, b, sb)
            sa = fit(ka, sb - gmax, dur[a])
        return None

    def schedule(self, routes: list[list[int]], start: list[float]) -> bool:
        """Fill ``start[t]`` for every routed task; False if infeasible (cycle, hard end)."""
        K = len(routes)
        owner = {}
        for k in range(K):
            for t in routes[k]:
                owner[t] = k
        pos = [0] * K
        tim = list(self.day_start)
        loc = list(self.wstart)
        T, partner, hard, tloc, dur, te = (
            self.T,
            self.partner,
            self.hard,
            self.tloc,
            self.dur,
            self.te,
        )
        left = sum(len(r) for r in routes)
        while left:
            moved = False
            for k in range(K):
                r = routes[k]
                while pos[k] < len(r):
                    t = r[pos[k]]
                    lt = tloc[t]
                    ready = tim[k] + (T[loc[k]][lt] if loc[k] >= 0 else 0.0)
                    p = partner[t]
                    if p < 0:
                        s = self.fit(k, ready if ready > te[t] else te[t], dur[t])
                        if s == INF or s > hard[t] + EPS:
                            return False
                        start[t] = s
                        tim[k] = s + dur[t]
                        loc[k] = lt
                        pos[k] += 1
                        left -= 1
                        moved = True
                        continue
                    kp = owner.get(p)
                    if kp is None or kp == k:
                        return False
                    rp = routes[kp]
                    if pos[kp] >= len(rp) or rp[pos[kp]] != p:
                        break
                    readyp = tim[kp] + (T[loc[kp]][tloc[p]] if loc[kp] >= 0 else 0.0)
                    res = self.pair_start(k, t, ready, kp, p, readyp)
                    if res is None:
                        return False
                    a, sa, b, sb = res
                    if sa > hard[a] + EPS or sb > hard[b] + EPS:
                        return False
                    start[a] = sa
                    start[b] = sb
                    tim[k] = start[t] + dur[t]
                    loc[k] = lt
                    tim[kp] = start[p] + dur[p]
                    loc[kp] = tloc[p]
                    pos[k] += 1
                    pos[kp] += 1
                    left -= 2
                    moved = True
            if not moved:
                return False
        return True

    # ---------------------------------------------------------------- cost
    def route_travel(self, k: int, route: list[int]) -> tuple[float, float]:
        """(travel minutes, weighted long-leg excess) of one route."""
        if not route:
            return 0.0, 0.0
        T, tloc = self.T, self.tloc
        d = self.leg(self.wstart[k], tloc[route[0]])
        excess = 0.0
        allow = self.allow
        for i in range(1, len(route)):
            x = T[tloc[route[i - 1]]][tloc[route[i]]]
            d += x
            if allow is not None and x > allow:
                excess += x - allow
        d += self.leg(tloc[route[-1]], self.wend[k])
        return d, excess

    def route_work(self, k: int, route: list[int], travel: float) -> float:
        return travel + sum(self.dur[t] for t in route)

    def route_cost(self, k: int, route: list[int]) -> float:
        """Travel, long legs and balance of worker k's route, weighted (lateness,
        continuity and fixed costs aside): what moving a visit between routes
        changes besides the visit's own costs."""
        if not route:
            return 0.0
        d, excess = self.route_travel(k, route)
        cost = self.w_travel * d + self.w_leg * excess
        if self.w_balance:
            cost += self.w_balance * (self.route_work(k, route, d) / 60.0) ** 2
        return cost

    def evaluate(self, routes, start, unassigned_visits: int) -> dict:
        """The cost breakdown of scheduled routes (``start`` filled)."""
        D = leg = bal = cont = unus = 0.0
        T = Tmax = 0.0
        for k, r in enumerate(routes):
            d, ex = self.route_travel(k, r)
            D += d
            leg += ex
            if r:
                bal += (self.route_work(k, r, d) / 60.0) ** 2
            for t in r:
                late = start[t] - self.tl[t]
                if late > 0:
                    T += late
                    if late > Tmax:
                        Tmax = late
                cont += self.cont[t][k]
                unus += self.unusual[t][k]
        parts = {
            "travel": self.w_travel * D,
            "lateness": self.w_late * T,
            "max_lateness": self.w_max * Tmax,
            "continuity": cont,
            "unusual": unus,
            "balance": self.w_balance * bal,
            "long_leg": self.w_leg * leg,
            "unassigned": self.w_unassigned * unassigned_visits,
        }
        parts["total"] = sum(parts.values())
        parts["travel_minutes"] = D
        parts["late_minutes"] = T
        parts["max_late_minutes"] = Tmax
        return parts
