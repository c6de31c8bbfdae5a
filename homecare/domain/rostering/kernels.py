"""The search's inner loop, compiled with numba (``cache=True``: compiled once per machine).

State is arrays: ``R[k, :rlen[k]]`` is worker k's route (task numbers),
``route_of``/``pos_of`` index it, ``start`` holds every routed task's start.
``S`` is the tuple of problem arrays built by ``pack`` (see there).

Every candidate is timed exactly: ``schedule`` walks all routes at once
(a pair is timed when both partners are next in their routes; when no route
can move on, the routes wait on each other in a cycle and the candidate is
refused), then ``route_cost``/``total`` price it. Candidates are tried in
order of a lower bound (travel, fixed costs, and lateness from today's
times, which an insertion can only push later), so few are timed.
"""

from __future__ import annotations

from functools import partial

import numpy as np
from numba import njit

INF = np.inf
SIM, LEAD, FOLLOW = 1, 2, 3
TOL = 1e-6


def pack(e):
    """The problem arrays for the kernels, from an ``Engine``."""
    L = max(1, len(e.T))
    T = np.zeros((L, L))
    quick = getattr(e, "T_array", None)
    if quick is not None and quick.shape == (len(e.T), len(e.T)):
        T[: len(e.T), : len(e.T)] = quick
    else:
        for i, row in enumerate(e.T):
            T[i, : len(row)] = row
    ivs, ive, ivo = [], [], [0]
    for ints in e.intervals:
        for a, b in ints:
            ivs.append(a)
            ive.append(b)
        ivo.append(len(ivs))
    n, K = e.n, e.K
    static = np.zeros((max(n, 1), K))
    for t in range(n):
        static[t, :] = e.static[t]
    eo, el = [0], []
    for t in range(n):
        el.extend(e.elig[t])
        eo.append(len(el))
    allow = -1.0 if e.allow is None else float(e.allow)
    W = np.array(
        [e.w_travel, e.w_late, e.w_max, e.w_balance, e.w_leg, allow, e.w_unassigned],
        dtype=np.float64,
    )
    f = partial(np.array, dtype=np.float64)
    i = partial(np.array, dtype=np.int64)
    return (
        T,
        i(e.tloc),
        f(e.dur),
        f(e.te),
        f(e.tl),
        f(e.hard),
        i(e.kind),
        i(e.partner),
        f(e.gmin),
        f(e.gmax),
        i(e.wstart),
        i(e.wend),
        f(e.day_start),
        f(e.maxmin),
        f(ivs),
        f(ive),
        i(ivo),
        static,
        i(eo),
        i(el),
        W,
    )


@njit(cache=True)
def seed_rng(seed):
    np.random.seed(seed)


@njit(cache=True)
def fit(k, x, d, ivs, ive, ivo):
    for i in range(ivo[k], ivo[k + 1]):
        a = ivs[i]
        s = x if x > a else a
        if s + d <= ive[i] + TOL:
            return s
    return INF


@njit(cache=True)
def pair_start(ka, a, ra, kb, b, rb, S):
    """(ok, start of a, start of b) for partners a (worker ka, ready ra) and b."""
    kind, te, dur, gmin, gmax = S[6], S[3], S[2], S[8], S[9]
    ivs, ive, ivo = S[14], S[15], S[16]
    swapped = False
    if kind[a] == FOLLOW:
        a, b, ka, kb, ra, rb = b, a, kb, ka, rb, ra
        swapped = True
    x = ra if ra > te[a] else te[a]
    sa = fit(ka, x, dur[a], ivs, ive, ivo)
    ok = False
    sb = INF
    if kind[a] == SIM:
        for _ in range(64):
            if sa == INF:
                break
            y = max(rb, te[b], sa)
            sb = fit(kb, y, dur[b], ivs, ive, ivo)
            if sb == INF:
                break
            if sb <= sa + TOL:
                sb = sa
                ok = True
                break
            sa = fit(ka, sb, dur[a], ivs, ive, ivo)
            if sa <= sb + TOL:
                sa = sb
                ok = True
                break
    else:
        g0, g1 = gmin[a], gmax[a]
        for _ in range(64):
            if sa == INF:
                break
            y = max(rb, te[b], sa + g0)
            sb = fit(kb, y, dur[b], ivs, ive, ivo)
            if sb == INF:
                break
            if sb - sa <= g1 + TOL:
                ok = True
                break
            sa = fit(ka, sb - g1, dur[a], ivs, ive, ivo)
    if swapped:
        return ok, sb, sa
    return ok, sa, sb


@njit(cache=True)
def schedule(R, rlen, route_of, start, S):
    """Fill ``start`` for every routed task; False when infeasible (cycle or too late).

    Each route is walked until it reaches a double-handed task whose partner is
    not yet next in its own route; it waits there, and is taken up again when
    the partner's route arrives. Routes still waiting at the end wait on each
    other: a cycle.
    """
    T, tloc, dur, te, hard, partner = S[0], S[1], S[2], S[3], S[5], S[7]
    wstart, day_start = S[10], S[12]
    ivs, ive, ivo = S[14], S[15], S[16]
    K = rlen.shape[0]
    pos = np.zeros(K, np.int64)
    tim = day_start.copy()
    loc = wstart.copy()
    stack = np.empty(K + start.shape[0] + 1, np.int64)
    top = 0
    for k in range(K - 1, -1, -1):
        if rlen[k] > 0:
            stack[top] = k
            top += 1
    done = 0
    total_tasks = 0
    for k in range(K):
        total_tasks += rlen[k]
    while top > 0:
        top -= 1
        k = stack[top]
        while pos[k] < rlen[k]:
            t = R[k, pos[k]]
            lt = tloc[t]
            ready = tim[k]
            if loc[k] >= 0:
                ready += T[loc[k], lt]
            p = partner[t]
            if p < 0:
                x = ready if ready > te[t] else te[t]
                s = fit(k, x, dur[t], ivs, ive, ivo)
                if s == INF or s > hard[t] + TOL:
                    return False
                start[t] = s
                tim[k] = s + dur[t]
                loc[k] = lt
                pos[k] += 1
                done += 1
                continue
            kp = route_of[p]
            if kp < 0 or kp == k:
                return False
            if pos[kp] >= rlen[kp] or R[kp, pos[kp]] != p:
                break  # wait for the partner's route to get there
            readyp = tim[kp]
            if loc[kp] >= 0:
                readyp += T[loc[kp], tloc[p]]
            ok, st, sp = pair_start(k, t, ready, kp, p, readyp, S)
            if not ok or st > hard[t] + TOL or sp > hard[p] + TOL:
                return False
            start[t] = st
            start[p] = sp
            tim[k] = st + dur[t]
            loc[k] = lt
            tim[kp] = sp + dur[p]
            loc[kp] = tloc[p]
            pos[k] += 1
            pos[kp] += 1
            done += 2
            # the partner's route was waiting here: take it up again
            stack[top] = kp
            top += 1
    return done == total_tasks


@njit(cache=True)
def route_cost(k, R, rlen, S):
    """(weighted cost of route k without lateness, work minutes)."""
    n = rlen[k]
    if n == 0:
        return 0.0, 0.0
    T, tloc, dur = S[0], S[1], S[2]
    wstart, wend, static, W = S[10], S[11], S[17], S[20]
    allow = W[5]
    d = 0.0
    ex = 0.0
    st = 0.0
    work = 0.0
    prev = wstart[k]
    for i in range(n):
        t = R[k, i]
        lt = tloc[t]
        if prev >= 0:
            x = T[prev, lt]
            d += x
            if i > 0 and allow >= 0 and x > allow:
                ex += x - allow
        prev = lt
        work += dur[t]
        st += static[t, k]
    if wend[k] >= 0:
        d += T[prev, wend[k]]
    work += d
    c = W[0] * d + st
    if W[3] != 0.0:
        c += W[3] * (work / 60.0) ** 2
    if W[4] != 0.0:
        c += W[4] * ex
    return c, work


@njit(cache=True)
def total(R, rlen, start, S):
    """Cost of scheduled routes without the unassigned term; INF if over max minutes."""
    tl, maxmin, W = S[4], S[13], S[20]
    c = 0.0
    tsum = 0.0
    tmax = 0.0
    for k in range(rlen.shape[0]):
        rc, work = route_cost(k, R, rlen, S)
        if work > maxmin[k] + TOL:
            return INF
        c += rc
        for i in range(rlen[k]):
            t = R[k, i]
            late = start[t] - tl[t]
            if late > 0:
                tsum += late
                if late > tmax:
                    tmax = late
    return c + W[1] * tsum + W[2] * tmax


@njit(cache=True)
def _ins(R, rlen, route_of, k, j, t):
    n = rlen[k]
    for i in range(n, j, -1):
        R[k, i] = R[k, i - 1]
    R[k, j] = t
    rlen[k] = n + 1
    route_of[t] = k


@njit(cache=True)
def _del(R, rlen, route_of, k, j):
    t = R[k, j]
    n = rlen[k]
    for i in range(j, n - 1):
        R[k, i] = R[k, i + 1]
    rlen[k] = n - 1
    route_of[t] = -1


@njit(cache=True)
def reindex(R, rlen, route_of, pos_of):
    for k in range(rlen.shape[0]):
        for i in range(rlen[k]):
            route_of[R[k, i]] = k
            pos_of[R[k, i]] = i


@njit(cache=True)
def remove_tasks(R, rlen, route_of, pos_of, tasks, start, S):
    """Take tasks out of their routes and re-time; False if the result is infeasible."""
    for x in range(tasks.shape[0]):
        t = tasks[x]
        k = route_of[t]
        if k < 0:
            continue
        for j in range(rlen[k]):
            if R[k, j] == t:
                _del(R, rlen, route_of, k, j)
                break
    reindex(R, rlen, route_of, pos_of)
    return schedule(R, rlen, route_of, start, S)


@njit(cache=True)
def _cands(t, skip_k, R, rlen, start, S, tmax, blink, out_lb, out_k, out_j, out_s):
    """Fill candidate places for task t with lower bounds; returns how many."""
    T, tloc, dur, te, tl, hard = S[0], S[1], S[2], S[3], S[4], S[5]
    wstart, wend, day_start, maxmin = S[10], S[11], S[12], S[13]
    static, eo, el, W = S[17], S[18], S[19], S[20]
    lt = tloc[t]
    m = 0
    for x in range(eo[t], eo[t + 1]):
        k = el[x]
        if k == skip_k:
            continue
        n = rlen[k]
        work = -1.0
        if maxmin[k] < INF or W[3] != 0.0:
            work = route_cost(k, R, rlen, S)[1]
        ploc = wstart[k]
        pend = day_start[k]
        for j in range(n + 1):
            if j < n:
                nxt = R[k, j]
                nloc = tloc[nxt]
            else:
                nxt = -1
                nloc = wend[k]
            a = T[ploc, lt] if ploc >= 0 else 0.0
            b = T[lt, nloc] if nloc >= 0 else 0.0
            c = T[ploc, nloc] if (ploc >= 0 and nloc >= 0 and n > 0) else 0.0
            dtr = a + b - c
            ready = pend + a
            if ready > hard[t] + TOL:
                break
            good = True
            if work >= 0 and work + dtr + dur[t] > maxmin[k] + TOL:
                good = False
            if good and blink > 0 and np.random.random() < blink:
                good = False
            if good:
                s = ready if ready > te[t] else te[t]
                late = s - tl[t]
                lb = W[0] * dtr + static[t, k]
                if late > 0:
                    lb += W[1] * late
                    if late > tmax:
                        lb += W[2] * (late - tmax)
                if W[3] != 0.0:
                    lb += W[3] * (((work + dtr + dur[t]) / 60.0) ** 2 - (work / 60.0) ** 2)
                out_lb[m] = lb
                out_k[m] = k
                out_j[m] = j
                out_s[m] = s
                m += 1
            if nxt >= 0:
                ploc = nloc
                pend = start[nxt] + dur[nxt]
    return m


@njit(cache=True)
def current_tmax(R, rlen, start, S):
    tl = S[4]
    tmax = 0.0
    for k in range(rlen.shape[0]):
        for i in range(rlen[k]):
            t = R[k, i]
            if start[t] - tl[t] > tmax:
                tmax = start[t] - tl[t]
    return tmax


@njit(cache=True)
def insert_visit(a, b, R, rlen, route_of, pos_of, start, S, base, blink, max_evals, top):
    """Put tasks a (and partner b, or -1) where the total cost is least.

    ``base`` is the cost of the routes now (without the unassigned term).
    Returns the new cost, or INF (and nothing changes) when nowhere fits.
    """
    n = start.shape[0]
    K = rlen.shape[0]
    tmax = current_tmax(R, rlen, start, S)
    cap = n + K + 1
    la = np.empty(cap)
    ka = np.empty(cap, np.int64)
    ja = np.empty(cap, np.int64)
    sa = np.empty(cap)
    skip = -1
    if b < 0 and S[7][a] >= 0:
        skip = route_of[S[7][a]]  # one half of a pair: not with its partner's worker
    ma = _cands(a, skip, R, rlen, start, S, tmax, blink, la, ka, ja, sa)
    tmp = start.copy()
    fk = np.empty(K, np.int64)
    wk = np.empty(2 * (n + K) + 4, np.int64)
    best = INF
    bk = -1
    bj = -1
    bk2 = -1
    bj2 = -1
    evals = 0
    if b < 0:
        single = S[7][a] < 0
        order = np.argsort(la[:ma])
        for oi in range(ma):
            x = order[oi]
            if bk >= 0 and (la[x] + base >= best - 1e-9 or evals >= max_evals):
                break
            k, j = ka[x], ja[x]
            c = INF
            local = False
            old_rc = route_cost(k, R, rlen, S)[0]
            _ins(R, rlen, route_of, k, j, a)
            if single:
                c, local = _local_cost(k, j, R, rlen, start, S, base, tmax, old_rc)
            evals += 1
            if not local:
                c = _eval(
                    R,
                    rlen,
                    route_of,
                    pos_of,
                    start,
                    tmp,
                    S,
                    base,
                    tmax,
                    k,
                    j,
                    old_rc,
                    -1,
                    -1,
                    0.0,
                    fk,
                    wk,
                )
            if c < best:
                best, bk, bj = c, k, j
            _del(R, rlen, route_of, k, j)
        if bk < 0:
            return INF
        rca = route_cost(bk, R, rlen, S)[0]
        _ins(R, rlen, route_of, bk, bj, a)
        c = _eval(
            R, rlen, route_of, pos_of, start, tmp, S, base, tmax, bk, bj, rca, -1, -1, 0.0, fk, wk
        )
    else:
        lb_ = np.empty(cap)
        kb = np.empty(cap, np.int64)
        jb = np.empty(cap, np.int64)
        sb = np.empty(cap)
        mb = _cands(b, -1, R, rlen, start, S, tmax, blink, lb_, kb, jb, sb)
        oa = np.argsort(la[:ma])[:top]
        ob = np.argsort(lb_[:mb])[:top]
        na, nb = oa.shape[0], ob.shape[0]
        clb = np.empty(na * nb)
        ci = np.empty(na * nb, np.int64)
        cj = np.empty(na * nb, np.int64)
        m = 0
        tl, W, kind = S[4], S[20], S[6]
        for xi in range(na):
            x = oa[xi]
            for yi in range(nb):
                y = ob[yi]
                if ka[x] == kb[y]:
                    continue
                lb = la[x] + lb_[y]
                if kind[a] == SIM:
                    s = sa[x] if sa[x] > sb[y] else sb[y]
                    lb += W[1] * (max(0.0, s - tl[a]) - max(0.0, sa[x] - tl[a]))
                    lb += W[1] * (max(0.0, s - tl[b]) - max(0.0, sb[y] - tl[b]))
                clb[m] = lb
                ci[m] = x
                cj[m] = y
                m += 1
        order = np.argsort(clb[:m])
        for oi in range(m):
            z = order[oi]
            if bk >= 0 and (clb[z] + base >= best - 1e-9 or evals >= max_evals):
                break
            x, y = ci[z], cj[z]
            rca = route_cost(ka[x], R, rlen, S)[0]
            rcb = route_cost(kb[y], R, rlen, S)[0]
            _ins(R, rlen, route_of, ka[x], ja[x], a)
            _ins(R, rlen, route_of, kb[y], jb[y], b)
            evals += 1
            c = _eval(
                R,
                rlen,
                route_of,
                pos_of,
                start,
                tmp,
                S,
                base,
                tmax,
                ka[x],
                ja[x],
                rca,
                kb[y],
                jb[y],
                rcb,
                fk,
                wk,
            )
            if c < best:
                best, bk, bj, bk2, bj2 = c, ka[x], ja[x], kb[y], jb[y]
            _del(R, rlen, route_of, kb[y], jb[y])
            _del(R, rlen, route_of, ka[x], ja[x])
        if bk < 0:
            return INF
        rca = route_cost(bk, R, rlen, S)[0]
        rcb = route_cost(bk2, R, rlen, S)[0]
        _ins(R, rlen, route_of, bk, bj, a)
        _ins(R, rlen, route_of, bk2, bj2, b)
        c = _eval(
            R, rlen, route_of, pos_of, start, tmp, S, base, tmax, bk, bj, rca, bk2, bj2, rcb, fk, wk
        )
    # the chosen place timed again: take over the times it changed
    for k in range(K):
        for i in range(fk[k], rlen[k]):
            start[R[k, i]] = tmp[R[k, i]]
    reindex(R, rlen, route_of, pos_of)
    return c


@njit(cache=True)
def _local_cost(k, j, R, rlen, start, S, base, tmax, old_rc):
    """(total cost, True) after a single task was put at R[k, j], timing only
    route k from j on; (INF, True) when that is infeasible; (INF, False) when the
    change reaches a double-handed task (time everything instead).

    An insertion only pushes later starts later, and a single task cannot tie
    routes together, so route k alone changes until a start stays put."""
    T, tloc, dur, te, tl, hard, partner = S[0], S[1], S[2], S[3], S[4], S[5], S[7]
    wstart, day_start, maxmin = S[10], S[12], S[13]
    ivs, ive, ivo, W = S[14], S[15], S[16], S[20]
    if j == 0:
        loc = wstart[k]
        end = day_start[k]
    else:
        p = R[k, j - 1]
        loc = tloc[p]
        end = start[p] + dur[p]
    dlate = 0.0
    newmax = 0.0
    n = rlen[k]
    for i in range(j, n):
        t = R[k, i]
        if i > j and partner[t] >= 0:
            return INF, False
        ready = end + (T[loc, tloc[t]] if loc >= 0 else 0.0)
        x = ready if ready > te[t] else te[t]
        s = fit(k, x, dur[t], ivs, ive, ivo)
        if s == INF or s > hard[t] + TOL:
            return INF, True
        if i > j and s <= start[t]:
            break  # from here on nothing moves
        late = s - tl[t]
        if late > 0:
            dlate += late
            if late > newmax:
                newmax = late
        if i > j:
            old = start[t] - tl[t]
            if old > 0:
                dlate -= old
        loc = tloc[t]
        end = s + dur[t]
    rc, work = route_cost(k, R, rlen, S)
    if work > maxmin[k] + TOL:
        return INF, True
    c = base + rc - old_rc + W[1] * dlate
    if newmax > tmax:
        c += W[2] * (newmax - tmax)
    return c, True


@njit(cache=True)
def _eval(R, rlen, route_of, pos_of, start, tmp, S, base, tmax, ka, ja, rca, kb, jb, rcb, f, work):
    """Total cost after tasks were put at R[ka, ja] (and R[kb, jb] when kb >= 0),
    timing only what the insertion can reach; INF when infeasible.

    What can change: each changed route from the inserted position on, and,
    through every double-handed task in it, its partner's route from the
    partner on (closed over). Everything else keeps its time in ``start``, and
    starts only get later, so lateness and the worst lateness change only
    there. ``rca``/``rcb``: route costs of ka/kb before the insertion.
    ``f`` (K) and ``work`` (n + K) are scratch arrays.
    """
    T, tloc, dur, te, tl, hard, partner = S[0], S[1], S[2], S[3], S[4], S[5], S[7]
    wstart, day_start, maxmin = S[10], S[12], S[13]
    ivs, ive, ivo, W = S[14], S[15], S[16], S[20]
    K = rlen.shape[0]
    a = R[ka, ja]
    b = R[kb, jb] if kb >= 0 else -1
    for k in range(K):
        f[k] = rlen[k]
    # close over partners: work[] is a stack of (route, position) pairs
    top = 0
    work[0] = ka
    work[1] = ja
    top = 2
    if kb >= 0:
        work[2] = kb
        work[3] = jb
        top = 4
    marked = 0
    while top > 0:
        top -= 2
        k = work[top]
        j = work[top + 1]
        if j >= f[k]:
            continue
        old = f[k]
        f[k] = j
        for i in range(j, old):
            marked += 1
            t = R[k, i]
            p = partner[t]
            if p < 0:
                continue
            kp = route_of[p]
            if kp < 0:
                return INF
            if p == a:
                jp = ja
            elif p == b:
                jp = jb
            else:
                jp = pos_of[p]
                if kp == ka and jp >= ja:
                    jp += 1
                if kp == kb and jp >= jb:
                    jp += 1
            if jp < f[kp]:
                if top + 2 > work.shape[0]:
                    return INF
                work[top] = kp
                work[top + 1] = jp
                top += 2
    # time the changed suffixes (as ``schedule``, from f[k] on)
    pos = f.copy()
    tim = day_start.copy()
    loc = wstart.copy()
    top = 0
    for k in range(K - 1, -1, -1):
        if f[k] < rlen[k]:
            if f[k] > 0:
                q = R[k, f[k] - 1]
                tim[k] = start[q] + dur[q]
                loc[k] = tloc[q]
            work[top] = k
            top += 1
    done = 0
    dlate = 0.0
    newmax = tmax
    while top > 0:
        top -= 1
        k = work[top]
        while pos[k] < rlen[k]:
            t = R[k, pos[k]]
            lt = tloc[t]
            ready = tim[k]
            if loc[k] >= 0:
                ready += T[loc[k], lt]
            p = partner[t]
            if p < 0:
                x = ready if ready > te[t] else te[t]
                st = fit(k, x, dur[t], ivs, ive, ivo)
                if st == INF or st > hard[t] + TOL:
                    return INF
                tmp[t] = st
                tim[k] = st + dur[t]
                loc[k] = lt
                pos[k] += 1
                done += 1
                continue
            kp = route_of[p]
            if kp < 0 or kp == k:
                return INF
            if pos[kp] >= rlen[kp] or R[kp, pos[kp]] != p:
                break
            readyp = tim[kp]
            if loc[kp] >= 0:
                readyp += T[loc[kp], tloc[p]]
            ok, st, sp = pair_start(k, t, ready, kp, p, readyp, S)
            if not ok or st > hard[t] + TOL or sp > hard[p] + TOL:
                return INF
            tmp[t] = st
            tmp[p] = sp
            tim[k] = st + dur[t]
            loc[k] = lt
            tim[kp] = sp + dur[p]
            loc[kp] = tloc[p]
            pos[k] += 1
            pos[kp] += 1
            done += 2
            work[top] = kp
            top += 1
    if done != marked:
        return INF  # the routes wait on each other in a cycle
    for k in range(K):
        for i in range(f[k], rlen[k]):
            t = R[k, i]
            late = tmp[t] - tl[t]
            if late > 0:
                dlate += late
                if late > newmax:
                    newmax = late
            if t != a and t != b:
                late = start[t] - tl[t]
                if late > 0:
                    dlate -= late
    rc, wk = route_cost(ka, R, rlen, S)
    if wk > maxmin[ka] + TOL:
        return INF
    c = base + rc - rca
    if kb >= 0:
        rc, wk = route_cost(kb, R, rlen, S)
        if wk > maxmin[kb] + TOL:
            return INF
        c += rc - rcb
    return c + W[1] * dlate + W[2] * (newmax - tmax)


@njit(cache=True)
def rr_step(rem, ins_a, ins_b, R, rlen, route_of, pos_of, start, S, blink, max_evals, top, failed):
    """One ruin-and-recreate step in one call: take out ``rem``, put back each
    (ins_a[i], ins_b[i]) in turn. ``failed[i]`` is set where nothing fitted.
    Returns the new cost without the unassigned term, or INF if the removal
    itself was infeasible."""
    if not remove_tasks(R, rlen, route_of, pos_of, rem, start, S):
        return INF
    base = total(R, rlen, start, S)
    for i in range(ins_a.shape[0]):
        c = insert_visit(
            ins_a[i], ins_b[i], R, rlen, route_of, pos_of, start, S, base, blink, max_evals, top
        )
        if c == INF:
            failed[i] = 1
        else:
            failed[i] = 0
            base = c
    return base


_WARM = False


def warm_up() -> None:
    """Compile (or load from the cache) every kernel on a tiny problem, once per process."""
    global _WARM
    if _WARM:
        return
    from .engine import Engine
    from .model import SEQUENTIAL, Problem, Visit, Worker
    from .travel import MatrixTravel

    m = [[0, 5, 5, 5], [5, 0, 5, 5], [5, 5, 0, 5], [5, 5, 5, 0]]
    visits = [
        Visit(id="a", client_id="a", location=1, earliest=0, latest=50, duration=10),
        Visit(
            id="b",
            client_id="b",
            location=2,
            earliest=0,
            latest=50,
            duration=10,
            workers_required=2,
        ),
        Visit(
            id="c",
            client_id="c",
            location=3,
            earliest=0,
            latest=90,
            duration=10,
            workers_required=2,
            sync=SEQUENTIAL,
            gap=(5, 20),
        ),
    ]
    workers = [Worker(id=i, start_location=0, end_location=0) for i in "xyz"]
    e = Engine(Problem(visits=visits, workers=workers, travel=MatrixTravel(m)))
    S = pack(e)
    K, n = e.K, e.n
    R = np.zeros((K, n + 1), np.int64)
    rlen = np.zeros(K, np.int64)
    route_of = np.full(n, -1, np.int64)
    pos_of = np.full(n, -1, np.int64)
    start = np.zeros(n)
    seed_rng(0)
    schedule(R, rlen, route_of, start, S)
    base = total(R, rlen, start, S)
    insert_visit(0, -1, R, rlen, route_of, pos_of, start, S, base, 0.0, 10, 4)
    base = total(R, rlen, start, S)
    insert_visit(1, 2, R, rlen, route_of, pos_of, start, S, base, 0.0, 10, 4)
    failed = np.zeros(2, np.int64)
    rr_step(
        np.array([0, 3, 4], np.int64),
        np.array([0, 3], np.int64),
        np.array([-1, 4], np.int64),
        R,
        rlen,
        route_of,
        pos_of,
        start,
        S,
        0.01,
        10,
        4,
        failed,
    )
    remove_tasks(R, rlen, route_of, pos_of, np.array([1], np.int64), start, S)
    _WARM = True
