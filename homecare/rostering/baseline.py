"""What a coordinator does by hand: each visit, in time order, to the nearest free worker.

The comparison for the optimizer in ``benchmarks/rostering_county.py``. For
each visit (earliest first) it takes the qualified workers (skills, the
person's gender preference) who are on shift for the whole visit, not off
sick, within their contracted minutes, and can get there by the end of the
window from where they last were; it gives the visit to the nearest (two
nearest for a double-handed visit, who then start together). No look-ahead,
no continuity, no second pass. Plain Python over :mod:`homecare.rostering.day` rows.
"""

from __future__ import annotations

from dataclasses import dataclass

from . import rules


@dataclass
class _Where:
    place: object
    free_at: int
    minutes: int = 0


def _fits(w, start: int, end: int) -> bool:
    if not any(a <= start and end <= b for a, b in w.shifts):
        return False
    return not any(a < end and start < b for a, b in [*w.absent, *w.breaks])


def greedy_nearest(day) -> tuple[dict, dict, dict]:
    """``(assignment, starts, reasons)``: workers per visit id, start minute per visit id,
    and why each visit left without workers could not be placed."""
    # a worker leaves home at the start of their first shift, no earlier
    state = {w.id: _Where(w, min((a for a, _ in w.shifts), default=0)) for w in day.workers}
    assignment: dict[str, tuple[str, ...]] = {}
    starts: dict[str, int] = {}
    reasons: dict[str, str] = {}
    for v in sorted(day.visits, key=lambda v: (v.start - v.window, v.start, v.id)):
        options = []
        for w in day.workers:
            if not v.skills <= w.skills:
                continue
            if v.preferred_gender != "none" and w.gender != v.preferred_gender:
                continue
            here = state[w.id]
            travel = rules.travel_minutes(here.place, v)
            arrive = max(v.start - v.window, here.free_at + travel)
            if arrive > v.start + v.window:
                continue
            if not _fits(w, arrive, arrive + v.minutes):
                # try the ordered time, then the window's end, inside a shift
                arrive = next(
                    (
                        t
                        for t in (max(arrive, v.start), v.start + v.window)
                        if _fits(w, t, t + v.minutes)
                    ),
                    None,
                )
                if arrive is None:
                    continue
            home = rules.travel_minutes(v, w)
            if w.cap_minutes is not None and (
                here.minutes + travel + v.minutes + home > w.cap_minutes
            ):
                continue
            options.append((travel, arrive, w.id))
        options.sort()
        chosen = options[: v.workers_required]
        if len(chosen) < v.workers_required:
            reasons[v.id] = "no qualified worker free and near enough in its window"
            continue
        begin = max(arrive for _, arrive, _ in chosen)
        if begin > v.start + v.window or not all(
            _fits(day.worker[wid], begin, begin + v.minutes) for _, _, wid in chosen
        ):
            reasons[v.id] = "no two qualified workers free together in its window"
            continue
        for travel, _, wid in chosen:
            here = state[wid]
            here.place, here.free_at = v, begin + v.minutes
            here.minutes += v.minutes + travel
        assignment[v.id] = tuple(sorted(wid for _, _, wid in chosen))
        starts[v.id] = begin
    return assignment, starts, reasons
