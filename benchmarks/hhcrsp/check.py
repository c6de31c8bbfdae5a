"""An independent validator for HHCRSP solutions, straight from the benchmark README.

It reads only the instance and solution JSON (no optimizer code) and applies
the six rules of "How to validate a solution" with a tolerance of 0.001.
"""

from __future__ import annotations

from dataclasses import dataclass, field

TOL = 1e-3


@dataclass
class Result:
    errors: list[str] = field(default_factory=list)
    distance: float = 0.0
    tardiness: float = 0.0
    max_tardiness: float = 0.0

    @property
    def cost(self) -> float:
        return (self.distance + self.tardiness + self.max_tardiness) / 3

    @property
    def ok(self) -> bool:
        return not self.errors


def check(inst: dict, sol: dict) -> Result:
    res = Result()
    err = res.errors.append
    patients = {p["id"]: (i + 1, p) for i, p in enumerate(inst["patients"])}
    services = {s["id"]: s.get("default_duration") for s in inst.get("services", [])}
    abilities = {c["id"]: set(c["abilities"]) for c in inst["caregivers"]}
    dist = inst["distances"]
    routes = sol.get("routes")
    if not isinstance(routes, list):
        return Result(errors=["the solution has no 'routes' list"])
    # rule 1: a route for every caregiver; every required service exactly once
    seen_cg = [r.get("caregiver_id") for r in routes]
    for cid in abilities:
        if seen_cg.count(cid) != 1:
            err(f"caregiver {cid}: {seen_cg.count(cid)} routes, expected 1")
    for cid in seen_cg:
        if cid not in abilities:
            err(f"route for unknown caregiver {cid}")
    done: dict[tuple[str, str], list[float]] = {}
    for r in routes:
        cid = r.get("caregiver_id")
        here, free = 0, 0.0
        stops = r.get("locations") or []
        for v in stops:
            pid = v.get("patient", v.get("patient_id"))
            sid = v.get("service", v.get("service_id"))
            start, end = v.get("arrival_time"), v.get("departure_time")
            if pid not in patients or not isinstance(start, int | float):
                err(f"caregiver {cid}: bad visit {v}")
                continue
            idx, p = patients[pid]
            needs = {
                rc["service"]: rc.get("duration", services.get(rc["service"]))
                for rc in p["required_caregivers"]
            }
            # rule 2
            if sid not in needs:
                err(f"{pid}: service {sid} is not required")
                continue
            if sid not in abilities.get(cid, set()):
                err(f"{pid}/{sid}: caregiver {cid} lacks the ability")
            if abs((end - start) - needs[sid]) > TOL:
                err(f"{pid}/{sid}: lasts {end - start}, not {needs[sid]}")
            # rule 3
            travel = dist[here][idx]
            if start < free + travel - TOL:
                err(f"{pid}/{sid} ({cid}): starts {start} before {free + travel}")
            # rule 4
            if start < p["time_window"][0] - TOL:
                err(f"{pid}/{sid}: starts {start} before {p['time_window'][0]}")
            res.distance += travel
            late = max(0.0, start - p["time_window"][1])
            res.tardiness += late
            res.max_tardiness = max(res.max_tardiness, late)
            done.setdefault((pid, sid), []).append(start)
            here, free = idx, end
        if stops:
            res.distance += dist[here][0]
    for pid, (_, p) in patients.items():
        starts = []
        for rc in p["required_caregivers"]:
            got = done.get((pid, rc["service"]), [])
            if len(got) != 1:
                err(f"{pid}/{rc['service']}: done {len(got)} times, expected once")
                starts.append(None)
            else:
                starts.append(got[0])
        # rule 5
        sync = p.get("synchronization")
        if len(starts) == 2 and None not in starts and sync:
            a, b = starts
            if sync["type"] == "simultaneous" and abs(a - b) > TOL:
                err(f"{pid}: simultaneous services start at {a} and {b}")
            if sync["type"] == "sequential":
                lo, hi = sync["distance"]
                if not (lo - TOL <= b - a <= hi + TOL):
                    err(
                        f"{pid}: second service starts {b - a:.3f} after the first, not in [{lo}, {hi}]"
                    )
    return res
