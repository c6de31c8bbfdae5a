"""Finding, reading and converting the HHCRSP instance files."""

from __future__ import annotations

import csv
import json
import math
import os
from pathlib import Path

from homecare.domain.rostering import (
    SEQUENTIAL,
    SIMULTANEOUS,
    MatrixTravel,
    Problem,
    Visit,
    Weights,
    Worker,
)

REPO = Path(__file__).resolve().parents[2]


class InstanceError(ValueError):
    """The file is not an HHCRSP instance; ``reasons`` says what is wrong."""

    def __init__(self, reasons):
        self.reasons = list(reasons)
        super().__init__("; ".join(self.reasons))


def data_dir(given: str | None = None) -> Path | None:
    """The benchmark folder: ``given``, ``$HHCRSP_DATA``, or a ``shared/`` next to the repo."""
    candidates = [given, os.environ.get("HHCRSP_DATA")]
    candidates += [str(p / "shared/benchmarks/hhcrsp") for p in (REPO.parent, *REPO.parents)]
    for c in candidates:
        if c and (Path(c) / "bks.csv").exists():
            return Path(c)
    return None


def read_json(path) -> dict:
    try:
        with open(path, encoding="utf-8") as fh:
            return json.load(fh)
    except (OSError, ValueError) as exc:
        raise InstanceError([f"{path}: cannot be read as JSON ({exc})"]) from exc


def check_instance(inst) -> list[str]:
    """Reasons the dict is not a usable instance (empty when it is)."""
    if not isinstance(inst, dict):
        return ["the file does not hold a JSON object"]
    reasons = []
    for key in ("patients", "caregivers", "central_offices", "distances"):
        if not isinstance(inst.get(key), list) or not inst.get(key):
            reasons.append(f"'{key}' is missing or empty")
    if reasons:
        return reasons
    services = {s.get("id"): s.get("default_duration") for s in inst.get("services", [])}
    n = len(inst["patients"])
    dist = inst["distances"]
    if len(dist) != n + 1 or any(not isinstance(r, list) or len(r) != n + 1 for r in dist):
        reasons.append(f"'distances' must be a {n + 1}x{n + 1} matrix (office + clients)")
    else:
        for i, row in enumerate(dist):
            for j, x in enumerate(row):
                if not isinstance(x, int | float) or isinstance(x, bool) or x < 0 or math.isnan(x):
                    reasons.append(f"distance [{i}][{j}] is {x!r}, not a number >= 0")
    for p in inst["patients"]:
        pid = p.get("id", "?")
        tw = p.get("time_window")
        if not (
            isinstance(tw, list) and len(tw) == 2 and all(isinstance(x, int | float) for x in tw)
        ):
            reasons.append(f"patient {pid}: 'time_window' must be [earliest, latest]")
        elif tw[1] < tw[0]:
            reasons.append(f"patient {pid}: time window ends before it starts")
        rc = p.get("required_caregivers")
        if not isinstance(rc, list) or len(rc) not in (1, 2):
            reasons.append(f"patient {pid}: needs one or two 'required_caregivers'")
            continue
        for r in rc:
            d = r.get("duration", services.get(r.get("service")))
            if not isinstance(d, int | float) or d <= 0:
                reasons.append(
                    f"patient {pid}: service {r.get('service')} has no positive duration"
                )
        if len(rc) == 2:
            sync = p.get("synchronization") or {}
            if sync.get("type") not in (SIMULTANEOUS, SEQUENTIAL):
                reasons.append(f"patient {pid}: two services need a 'synchronization' type")
            elif sync["type"] == SEQUENTIAL:
                gap = sync.get("distance")
                if not (isinstance(gap, list) and len(gap) == 2 and 0 <= gap[0] <= gap[1]):
                    reasons.append(f"patient {pid}: sequential 'distance' must be [min, max]")
    for c in inst["caregivers"]:
        if "id" not in c or not isinstance(c.get("abilities"), list):
            reasons.append(f"caregiver {c.get('id', '?')}: needs 'id' and 'abilities'")
    return reasons


def durations(inst, patient) -> list[float]:
    services = {s["id"]: s.get("default_duration") for s in inst.get("services", [])}
    return [r.get("duration", services.get(r["service"])) for r in patient["required_caregivers"]]


def to_problem(inst) -> Problem:
    """The instance as a rostering ``Problem`` (weights 1/3 each for D, T and Tmax)."""
    reasons = check_instance(inst)
    if reasons:
        raise InstanceError(reasons)
    visits = []
    for i, p in enumerate(inst["patients"], start=1):
        rc = p["required_caregivers"]
        durs = durations(inst, p)
        sync = p.get("synchronization") or {}
        kind = sync.get("type", SIMULTANEOUS)
        visits.append(
            Visit(
                id=p["id"],
                client_id=p["id"],
                location=i,
                earliest=p["time_window"][0],
                latest=p["time_window"][1],
                duration=durs[0],
                workers_required=len(rc),
                sync=kind,
                gap=tuple(sync.get("distance", (0, 0))),
                first=0,
                part_skills=tuple(frozenset({r["service"]}) for r in rc),
                part_durations=tuple(durs),
                max_lateness=None,
            )
        )
    workers = [
        Worker(
            id=c["id"],
            skills=frozenset(c["abilities"]),
            shifts=((0, math.inf),),
            start_location=0,
            end_location=0,
        )
        for c in inst["caregivers"]
    ]
    third = 1 / 3
    weights = Weights(
        travel=third, lateness=third, max_lateness=third, continuity=0, unusual=0, unassigned=1e6
    )
    return Problem(
        visits=visits, workers=workers, travel=MatrixTravel(inst["distances"]), weights=weights
    )


def to_json(inst, solution) -> dict:
    """A rostering ``Solution`` in the benchmark's solution format."""
    services = {p["id"]: [r["service"] for r in p["required_caregivers"]] for p in inst["patients"]}
    routes = []
    for c in inst["caregivers"]:
        stops = solution.routes.get(c["id"], [])
        routes.append(
            {
                "caregiver_id": c["id"],
                "locations": [
                    {
                        "patient": s.visit_id,
                        "service": services[s.visit_id][s.part],
                        "arrival_time": round(s.start, 6),
                        "departure_time": round(s.end, 6),
                    }
                    for s in stops
                ],
            }
        )
    return {"routes": routes}


def bks_table(folder: Path) -> dict[str, dict]:
    with open(folder / "bks.csv", encoding="utf-8", newline="") as fh:
        return {row["instance"]: row for row in csv.DictReader(fh)}
