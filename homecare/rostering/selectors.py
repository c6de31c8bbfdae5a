"""Reads for the rota pages: one row per worker with visits as timeline blocks."""

from __future__ import annotations

from dataclasses import dataclass, field

from . import rules
from .day import Day

#: The timeline runs from this hour to the last visit's end (at least this hour).
FIRST_HOUR = 6
LAST_HOUR = 23


@dataclass
class Block:
    visit_id: str
    person: str
    label: str
    left: float  # per cent of the timeline
    width: float
    pinned: bool
    partner: str = ""
    pair: int = 0  # a number shared by the two blocks of a double-handed visit
    problems: list[str] = field(default_factory=list)


@dataclass
class Row:
    worker_id: str
    name: str
    shifts: list[tuple[float, float]]
    absent: list[tuple[float, float]]
    breaks: list[tuple[float, float]]
    blocks: list[Block]
    care_minutes: int
    sick: bool


def _bounds(day: Day) -> tuple[int, int]:
    start, end = FIRST_HOUR * 60, LAST_HOUR * 60
    for v in day.visits:
        start = min(start, v.planned - v.planned % 60)
        end = max(end, v.planned + v.minutes)
    return start, min(end, 26 * 60)


def rota_rows(day: Day) -> dict:
    """The timeline of ``day``: rows per worker, hour ticks, unassigned visits, conflicts."""
    assignment = day.current()
    problems = rules.conflicts(day, assignment)
    lo, hi = _bounds(day)
    scale = 100.0 / (hi - lo)

    def pct(minute: int) -> float:
        return round((max(lo, min(hi, minute)) - lo) * scale, 3)

    names = {w.id: w.name for w in day.workers}
    pairs = {v.id: n for n, v in enumerate(day.visits, 1) if v.workers_required == 2}
    blocks: dict[str, list[Block]] = {w.id: [] for w in day.workers}
    for v in day.visits:
        for worker_id in v.workers:
            partner = ", ".join(names.get(w, "?") for w in v.workers if w != worker_id)
            blocks.setdefault(worker_id, []).append(
                Block(
                    visit_id=v.id,
                    person=v.person,
                    label=rules.span(v.planned, v.minutes),
                    left=pct(v.planned),
                    width=max(0.4, pct(v.planned + v.minutes) - pct(v.planned)),
                    pinned=v.pinned,
                    partner=partner,
                    pair=pairs.get(v.id, 0),
                    problems=problems.get(v.id, []),
                )
            )
    rows = []
    minutes = {v.id: v.minutes for v in day.visits}
    for w in day.workers:
        mine = sorted(blocks.get(w.id, []), key=lambda b: b.left)
        rows.append(
            Row(
                worker_id=w.id,
                name=w.name,
                shifts=[(pct(a), pct(b) - pct(a)) for a, b in w.shifts],
                absent=[(pct(a), pct(b) - pct(a)) for a, b in w.absent],
                breaks=[(pct(a), pct(b) - pct(a)) for a, b in w.breaks],
                blocks=mine,
                care_minutes=sum(minutes[b.visit_id] for b in mine),
                sick=bool(w.absent),
            )
        )
    rows.sort(key=lambda r: (not r.blocks, r.name))
    unassigned = [
        {
            "visit_id": v.id,
            "person": v.person,
            "label": rules.span(v.planned, v.minutes),
            "needs": v.workers_required,
            "skills": ", ".join(sorted(v.skills)),
            "problems": problems.get(v.id, []),
        }
        for v in day.visits
        if len(v.workers) < v.workers_required
    ]
    ticks = [(h, pct(h * 60)) for h in range(lo // 60, hi // 60 + 1)]
    return {
        "rows": rows,
        "unassigned": unassigned,
        "ticks": ticks,
        "figures": rules.figures(day, assignment, problems=problems),
        "conflicted": sum(1 for k in problems if assignment.get(k)),
    }


def route_svg(day: Day, worker_id: str, *, size: int = 420) -> dict:
    """A worker's route as SVG points: home, each visit in order, home again."""
    w = day.worker[worker_id]
    mine = sorted((v for v in day.visits if worker_id in v.workers), key=lambda v: v.planned)
    places = [(w.latitude, w.longitude)] + [(v.latitude, v.longitude) for v in mine]
    lat_lo, lat_hi = min(p[0] for p in places), max(p[0] for p in places)
    lon_lo, lon_hi = min(p[1] for p in places), max(p[1] for p in places)
    span = max(lat_hi - lat_lo, (lon_hi - lon_lo) * 0.6, 0.005)
    pad = 24

    def xy(lat: float, lon: float) -> tuple[float, float]:
        x = pad + (lon - lon_lo) * 0.6 / span * (size - 2 * pad)
        y = size - pad - (lat - lat_lo) / span * (size - 2 * pad)
        return round(x, 1), round(y, 1)

    home = xy(w.latitude, w.longitude)
    stops = []
    here = w
    travel = 0
    for n, v in enumerate(mine, 1):
        leg = rules.travel_minutes(here, v, drives=w.drives)
        travel += leg
        x, y = xy(v.latitude, v.longitude)
        stops.append(
            {
                "n": n,
                "x": x,
                "y": y,
                "person": v.person,
                "postcode": v.postcode,
                "label": rules.span(v.planned, v.minutes),
                "leg": leg,
            }
        )
        here = v
    back = rules.travel_minutes(here, w, drives=w.drives) if mine else 0
    points = " ".join(f"{x},{y}" for x, y in [home] + [(s["x"], s["y"]) for s in stops] + [home])
    return {
        "size": size,
        "home": home,
        "stops": stops,
        "points": points,
        "travel": travel + back,
        "back": back,
    }
