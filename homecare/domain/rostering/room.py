"""Make room for a visit nobody could take: move one other visit to another worker.

After a repair's search, a visit can be left without workers although it
would fit if one visit of someone on shift went to a third worker (typically
a double-handed visit whose two workers must start together). For each such
visit this looks, in the workers' gaps at the starts the rota already has,
for a place for the visit, first as it is, then with one single-handed,
unpinned visit of one of its workers moved to another qualified worker's gap.
Every change is checked with the exact schedule (``Engine.schedule``) and the
workers' maximum minutes before it is kept; nothing else moves.
"""

from __future__ import annotations

from .engine import SIM, Engine

#: Candidate changes checked with the exact schedule per visit, at most.
TRIES = 30
#: Passes of ``share_polish`` over the people below the team share.
ROUNDS = 3
#: Minutes either side of a visit's window within which a worker's visits are in its
#: way (travel to and from it).
SLACK = 30


def _windows(e: Engine, k: int, route: list[int], start, t: int, skip: int = -1):
    """(position, lowest start, highest start) where task ``t`` fits in worker k's
    route (without task ``skip``) leaving every other start as it is."""
    r = [x for x in route if x != skip]
    out = []
    for pos in range(len(r) + 1):
        if pos:
            prev = r[pos - 1]
            lo = start[prev] + e.dur[prev] + e.T[e.tloc[prev]][e.tloc[t]]
        else:
            lo = e.day_start[k] + (e.leg(e.wstart[k], e.tloc[t]))
        lo = max(lo, e.te[t])
        hi = e.hard[t]
        if pos < len(r):
            nxt = r[pos]
            hi = min(hi, start[nxt] - e.T[e.tloc[t]][e.tloc[nxt]] - e.dur[t])
        if hi < lo:
            continue
        for a, b in e.intervals[k]:
            s, z = max(lo, a), min(hi, b - e.dur[t])
            if s <= z:
                out.append((pos, s, z))
    return out


def _work_ok(e: Engine, k: int, route: list[int]) -> bool:
    if e.maxmin[k] == float("inf"):
        return True
    return e.route_work(k, route, e.route_travel(k, route)[0]) <= e.maxmin[k] + 1e-6


def _try(e: Engine, routes, changes) -> list | None:
    """``routes`` with ``changes`` ((worker, route)) applied, if the whole day schedules."""
    trial = list(routes)
    for k, r in changes:
        trial[k] = r
        if not _work_ok(e, k, r):
            return None
    start = [0.0] * e.n
    return trial if e.schedule(trial, start) else None


def _without(route, x):
    return [y for y in route if y != x]


def _with(route, pos, t, skip=-1):
    r = _without(route, skip)
    return [*r[:pos], t, *r[pos:]]


def _relocations(e: Engine, routes, start, x: int, avoid: set):
    """Other workers' gaps for task x, nearest start to its present one first."""
    out = []
    for k in e.elig[x]:
        if k in avoid:
            continue
        for pos, lo, hi in _windows(e, k, routes[k], start, x):
            out.append((abs(min(max(start[x], lo), hi) - start[x]), k, pos))
    out.sort()
    return out


def make_room(e: Engine, routes: list[list[int]], left: dict) -> tuple[list[list[int]], dict]:
    """Place what it can of ``left`` (visit index -> reason) by moving at most one other
    visit each; returns the new routes and what is still left."""
    routes = [list(r) for r in routes]
    left = dict(left)
    for vi in sorted(left, key=lambda vi: e.te[e.visit_tasks[vi][0]]):
        start = [0.0] * e.n
        if not e.schedule(routes, start):
            break
        got = _place(e, routes, start, vi)
        if got is not None:
            routes = got
            del left[vi]
    return routes, left


def _place(e: Engine, routes, start, vi: int):
    tasks = e.visit_tasks[vi]
    tries = 0
    if len(tasks) == 1:
        (t,) = tasks
        for k in e.elig[t]:
            for pos, _, _ in _windows(e, k, routes[k], start, t):
                got = _try(e, routes, [(k, _with(routes[k], pos, t))])
                if got is not None:
                    return got
        for k in e.elig[t]:
            for x in _blockers(e, routes[k], start, t):
                for pos, _, _ in _windows(e, k, routes[k], start, t, skip=x):
                    for _, k2, pos2 in _relocations(e, routes, start, x, {k})[:3]:
                        tries += 1
                        if tries > TRIES:
                            return None
                        got = _try(
                            e,
                            routes,
                            [
                                (k, _with(routes[k], pos, t, skip=x)),
                                (k2, _with(routes[k2], pos2, x)),
                            ],
                        )
                        if got is not None:
                            return got
        return None
    a, b = tasks
    if e.kind[a] != SIM:
        return None
    # Each worker's windows for the visit as the routes stand, and with one visit moved.
    both = sorted(set(e.elig[a]) & set(e.elig[b]))
    free = {k: _windows(e, k, routes[k], start, a) for k in both}
    freed = {}
    for k in both:
        for x in _blockers(e, routes[k], start, a):
            for w in _windows(e, k, routes[k], start, a, skip=x):
                freed.setdefault(k, []).append((x, w))
    options = []
    for ka, wins_a in free.items():
        for kb, wins_b in free.items():
            if kb <= ka:
                continue
            for pa, la, ha in wins_a:
                for pb, lb, hb in wins_b:
                    s = max(la, lb)
                    if s <= min(ha, hb):
                        options.append((0, s, ka, pa, kb, pb, -1, -1, -1))
    if not options:
        for ka, opts in freed.items():
            for x, (pa, la, ha) in opts:
                for kb, wins_b in free.items():
                    if kb == ka:
                        continue
                    for pb, lb, hb in wins_b:
                        s = max(la, lb)
                        if s <= min(ha, hb):
                            options.append((1, abs(s - e.te[a]), ka, pa, kb, pb, x, 0, 0))
    options.sort(key=lambda o: (o[0], o[1]))
    for moved, _, ka, pa, kb, pb, x, _, _ in options:
        if tries > TRIES:
            return None
        if not moved:
            tries += 1
            changes = [(ka, _with(routes[ka], pa, a)), (kb, _with(routes[kb], pb, b))]
            got = _try(e, routes, changes)
            if got is not None:
                return got
            continue
        for _, k2, pos2 in _relocations(e, routes, start, x, {ka, kb})[:3]:
            tries += 1
            changes = [
                (ka, _with(routes[ka], pa, a, skip=x)),
                (kb, _with(routes[kb], pb, b)),
                (k2, _with(routes[k2], pos2, x)),
            ]
            got = _try(e, routes, changes)
            if got is not None:
                return got
    return None


def _blockers(e: Engine, route: list[int], start, t: int) -> list[int]:
    """Single-handed, unpinned tasks of a route that overlap task t's window (with an
    hour either side for travel)."""
    lo, hi = e.te[t] - 60, e.hard[t] + e.dur[t] + 60
    return [
        x
        for x in route
        if e.partner[x] < 0 and not e.pinned_task[x] and start[x] < hi and lo < start[x] + e.dur[x]
    ]


def team_polish(e: Engine, routes: list[list[int]]) -> list[list[int]]:
    """Each single-handed visit done outside the person's trusted team goes to a team
    member with a gap for it (no lateness) when that lowers the day's cost: what the
    team saves against the extra travel of both routes. Checked with the exact
    schedule; nothing else moves."""
    routes = [list(r) for r in routes]
    start = [0.0] * e.n
    if not e.schedule(routes, start):
        return routes
    for k in range(e.K):
        for t in list(routes[k]):
            if e.partner[t] >= 0 or e.pinned_task[t] or e.cont[t][k] <= 0:
                continue
            best = None
            without = _without(routes[k], t)
            here = e.route_cost(k, without) - e.route_cost(k, routes[k])
            for k2 in e.elig[t]:
                if k2 == k or e.cont[t][k2] > 0:
                    continue
                for pos, lo, _ in _windows(e, k2, routes[k2], start, t):
                    if lo > e.tl[t]:
                        continue
                    r2 = _with(routes[k2], pos, t)
                    there = e.route_cost(k2, r2) - e.route_cost(k2, routes[k2])
                    delta = here + there + e.static[t][k2] - e.static[t][k]
                    if delta < -1e-9 and (best is None or delta < best[0]):
                        best = (delta, k2, r2)
            if best is None:
                continue
            got = _try(e, routes, [(k, without), (best[1], best[2])])
            if got is not None:
                routes = got
                e.schedule(routes, start)
    return routes


def _team_counts(e: Engine, routes, members) -> tuple[dict, dict]:
    """Per person with a trusted team: their visit parts in ``routes`` done by it, and
    all their parts there."""
    by: dict = {}
    of: dict = {}
    for k, r in enumerate(routes):
        for t in r:
            if members[t] is None:
                continue
            c = e.visits[e.tv[t]].client_id
            of[c] = of.get(c, 0) + 1
            by[c] = by.get(c, 0) + (k in members[t])
    return by, of


def _below(by: dict, of: dict, target: float) -> set:
    return {c for c, n in of.items() if by.get(c, 0) < target * n - 1e-9}


def share_polish(
    e: Engine, routes: list[list[int]], target: float, *, seconds: float = 3.0
) -> list[list[int]]:
    """People whose share of visit parts by their trusted team is below ``target``
    (KENT-8.1): a part of theirs done by a stranger goes to a member of their team,
    into a gap of the member's day or in place of the member's visits then, which go
    to other workers (their own people's team members first). A change is kept when
    fewer people are then below the target (the cheapest such change for the part);
    every change is checked with the exact schedule and the workers' maximum
    minutes. Gives up after ``seconds``."""
    import time

    deadline = time.monotonic() + seconds
    routes = [list(r) for r in routes]
    members: list = []
    for t in range(e.n):
        v = e.visits[e.tv[t]]
        members.append(
            frozenset(k for k in e.qualified[t] if e.workers[k].id in v.trusted)
            if v.trusted
            else None
        )
    by, of = _team_counts(e, routes, members)
    below = _below(by, of, target)
    if not below:
        return routes
    start = [0.0] * e.n
    if not e.schedule(routes, start):
        return routes
    for _ in range(ROUNDS):  # a person fixed can free the way for another
        was = len(below)
        for c in sorted(below, key=lambda c: (by.get(c, 0) / of[c], str(c))):
            while c in below and time.monotonic() < deadline:
                got = _share_move(e, routes, start, c, below, members, target, deadline)
                if got is None:
                    break
                routes, below = got
                e.schedule(routes, start)
                by, of = _team_counts(e, routes, members)
        if len(below) == was or not below:
            break
    return routes


def _share_move(e: Engine, routes, start, c, below: set, members, target: float, deadline):
    """The cheapest change that gives person ``c`` a team member for a part a stranger
    does and leaves fewer people below ``target``: (routes, the people then below), or
    None."""
    best = None
    owner = {t: k for k, r in enumerate(routes) for t in r}
    by, of = _team_counts(e, routes, members)
    spare = {p for p, n in of.items() if by.get(p, 0) - 1 >= target * n - 1e-9}
    for t, k in owner.items():
        if members[t] is None or k in members[t] or e.pinned_task[t]:
            continue
        if e.visits[e.tv[t]].client_id != c:
            continue
        for m in sorted(members[t] & set(e.elig[t])):
            if m == owner.get(e.partner[t], -1):
                continue
            for trial in _to_member(e, routes, start, t, k, m, members, spare, deadline):
                now = _below(*_team_counts(e, trial, members), target)
                if len(now) >= len(below):
                    continue
                st = [0.0] * e.n
                e.schedule(trial, st)
                total = e.evaluate(trial, st, 0)["total"]
                if best is None or (len(now), total) < (len(best[1]), best[2]):
                    best = (trial, now, total)
    return None if best is None else best[:2]


def _to_member(e: Engine, routes, start, t: int, k: int, m: int, members, spare, deadline):
    """Rotas with task ``t`` moved from worker ``k`` to worker ``m``: into a gap of m's
    day, else in place of one (or all) of m's tasks about then, each of which goes to
    another worker's gap (a team member of its own person first)."""
    import time

    for pos, _, _ in _windows(e, m, routes[m], start, t)[:2]:
        got = _try(e, routes, [(k, _without(routes[k], t)), (m, _with(routes[m], pos, t))])
        if got is not None:
            yield got
            return
    lo, hi = e.te[t] - SLACK, e.hard[t] + e.dur[t] + SLACK
    blockers = [
        x for x in routes[m] if not e.pinned_task[x] and start[x] < hi and lo < start[x] + e.dur[x]
    ]
    sets = [[x] for x in blockers] + [blockers[i : i + 2] for i in range(len(blockers) - 1)]
    if len(blockers) > 2:
        sets.append(blockers)
    for out in sets:
        if time.monotonic() > deadline:
            return
        rest = [x for x in routes[m] if x not in out]
        for pos, _, _ in _windows(e, m, rest, start, t)[:2]:
            trial = list(routes)
            trial[k] = _without(routes[k], t)
            trial[m] = [*rest[:pos], t, *rest[pos:]]
            st = [0.0] * e.n
            if not e.schedule(trial, st):  # (a half of a pair out: the starts as they were)
                st = start
            placed = _rehome(e, trial, st, out, m, members, spare, deadline)
            if placed is not None:
                yield placed
                break


def _rehome(e: Engine, routes, start, tasks, avoid: int, members, spare, deadline, deep=2):
    """``routes`` with each of ``tasks`` (out of every route) put in another worker's
    gap, a team member of its person first, else (``deep``) in place of one visit of
    such a member, which goes to a gap of its own; None if one finds no place."""
    for x in sorted(tasks, key=lambda x: e.partner[x] < 0):
        team = members[x] or frozenset()
        partner_owner = next((k for k, r in enumerate(routes) if e.partner[x] in r), -1)
        options = sorted(
            _relocations(e, routes, start, x, {avoid, partner_owner}),
            key=lambda o: (o[1] not in team, o[0]),
        )
        if team and e.visits[e.tv[x]].client_id not in spare:  # a stranger takes them below
            options = [o for o in options if o[1] in team]
        done = None
        for _, k2, pos2 in options[:6]:
            done = _try(e, routes, [(k2, _with(routes[k2], pos2, x))])
            if done is not None:
                break
        if done is None and deep:
            done = _displace(
                e, routes, start, x, team - {avoid, partner_owner}, members, spare, deadline, deep
            )
        if done is None:
            return None
        routes = done
        e.schedule(routes, start)
    return routes


def _displace(e: Engine, routes, start, x: int, team, members, spare, deadline, deep: int):
    """``routes`` with task ``x`` given to a member of ``team`` in place of one of their
    tasks about then, which goes to another worker's gap; None if none works."""
    import time

    lo, hi = e.te[x] - SLACK, e.hard[x] + e.dur[x] + SLACK
    for k2 in sorted(set(e.elig[x]) & team):
        for y in routes[k2]:
            if time.monotonic() > deadline:
                return None
            if (
                e.pinned_task[y]
                or e.partner[y] >= 0
                or not (start[y] < hi and lo < start[y] + e.dur[y])
            ):
                continue
            rest = _without(routes[k2], y)
            for pos, _, _ in _windows(e, k2, rest, start, x)[:1]:
                trial = list(routes)
                trial[k2] = [*rest[:pos], x, *rest[pos:]]
                st = [0.0] * e.n
                if not e.schedule(trial, st):
                    continue
                got = _rehome(e, trial, st, [y], k2, members, spare, deadline, deep - 1)
                if got is not None:
                    return got
    return None
