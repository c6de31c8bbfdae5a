"""Run the optimizer on HHCRSP instances: ``python -m benchmarks.hhcrsp --help``."""

from __future__ import annotations

import argparse
import json
import os
import re
import shlex
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from datetime import UTC, datetime
from pathlib import Path

from homecare.domain.rostering import ProblemError, solve
from homecare.domain.rostering.kernels import warm_up

from .check import check
from .data import InstanceError, bks_table, data_dir, read_json, to_json, to_problem


def _order(path: Path):
    m = re.search(r"_(\d+)_(\d+)$", path.stem)
    return (int(m.group(1)), int(m.group(2))) if m else (10**9, 0)


#: Seconds kept back from the time limit for writing the answer.
MARGIN_S = 0.5


def _solve_one(path: str, deadline: float, seed: int):
    """Solve one instance so that everything, reading it included, ends by
    ``deadline`` (``time.monotonic``, the same clock in every process here)."""
    warm_up()  # a new process loads the compiled kernels first: that counts too
    inst = read_json(path)
    problem = to_problem(inst)
    t0 = time.monotonic()
    limit = max(0.1, deadline - t0 - MARGIN_S)
    sol = solve(problem, time_limit_s=limit, seed=seed)
    return to_json(inst, sol), time.monotonic() - t0, sol.stats.get("iterations", 0)


def run(paths, *, time_limit, out, seed, jobs, bks) -> list[dict]:
    rows = []
    pool = ProcessPoolExecutor(max_workers=jobs) if jobs > 1 else None
    print(
        f"{'instance':<26}{'code':>5}{'cost':>11}{'D':>11}{'T':>9}{'Tmax':>8}"
        f"{'BKS':>11}{'gap %':>8}{'time s':>8}  valid"
    )
    for path in paths:
        name = path.stem
        try:
            inst = read_json(path)
            to_problem(inst)
        except (InstanceError, ProblemError) as exc:
            print(f"{name:<26} not an instance: {exc}")
            rows.append({"instance": name, "error": str(exc)})
            continue
        t0 = time.monotonic()
        deadline = t0 + time_limit
        if pool:
            futs = [pool.submit(_solve_one, str(path), deadline, seed + i) for i in range(jobs)]
            results = [f.result() for f in futs]
        else:
            results = [_solve_one(str(path), deadline, seed)]
        wall = time.monotonic() - t0
        best = None
        for sol_json, _, _ in results:
            res = check(inst, sol_json)
            key = (not res.ok, res.cost)
            if best is None or key < best[0]:
                best = (key, sol_json, res)
        _, sol_json, res = best
        out.mkdir(parents=True, exist_ok=True)
        (out / f"sol-{name}.json").write_text(json.dumps(sol_json, indent=1))
        ref = bks.get(name, {})
        b = float(ref["bks"]) if ref.get("bks") else None
        gap = (res.cost - b) / b * 100 if b else None
        rows.append(
            {
                "instance": name,
                "code": ref.get("mankowska_code", ""),
                "cost": res.cost,
                "gap": gap,
                "ok": res.ok,
                "time": wall,
                "optimal": ref.get("proven_optimal") == "yes",
            }
        )
        print(
            f"{name:<26}{ref.get('mankowska_code', ''):>5}{res.cost:>11.3f}{res.distance:>11.3f}"
            f"{res.tardiness:>9.3f}{res.max_tardiness:>8.3f}"
            f"{(f'{b:.3f}' if b else '-'):>11}{(f'{gap:.2f}' if gap is not None else '-'):>8}"
            f"{wall:>8.1f}  {'yes' if res.ok else 'NO: ' + '; '.join(res.errors[:3])}",
            flush=True,
        )
    if pool:
        pool.shutdown()
    return rows


def summary(rows) -> None:
    print("\nper class: instances, valid, mean gap %, worst gap %, at BKS (within 0.01)")
    classes: dict[str, list] = {}
    for r in rows:
        if r.get("gap") is not None:
            classes.setdefault(r["code"][:1] or "?", []).append(r)
    for c in sorted(classes):
        rs = classes[c]
        gaps = [r["gap"] for r in rs]
        at = sum(1 for r in rs if r["gap"] * r["cost"] / 100 <= 0.01 + 1e-9 or r["gap"] <= 0)
        print(
            f"  {c}: {len(rs):>3} {sum(r['ok'] for r in rs):>4} {sum(gaps) / len(gaps):>8.2f} "
            f"{max(gaps):>8.2f} {at:>4}"
        )


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(prog="python -m benchmarks.hhcrsp", description=__doc__)
    ap.add_argument("instances", nargs="*", help="instance JSON files (default: all)")
    ap.add_argument("--time-limit", type=float, default=60.0, help="seconds per instance")
    ap.add_argument("--out", default="hhcrsp-out", help="folder for sol-<instance>.json")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument(
        "--jobs",
        type=int,
        default=1,
        help="independent searches per instance (seeds seed..), best kept",
    )
    ap.add_argument("--data", help="the benchmark folder (default: $HHCRSP_DATA or ../shared/...)")
    args = ap.parse_args(argv)
    folder = data_dir(args.data)
    print(
        "$ "
        + " ".join(
            shlex.quote(a)
            for a in [
                sys.executable.split("/")[-1],
                "-m",
                "benchmarks.hhcrsp",
                *(argv if argv is not None else sys.argv[1:]),
            ]
        )
    )
    load = os.getloadavg()
    print(
        f"# {datetime.now(UTC):%Y-%m-%d %H:%M} UTC, {os.cpu_count()} cores, "
        f"load average {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}, jobs {args.jobs}"
    )
    if args.instances:
        paths = [Path(p) for p in args.instances]
    elif folder:
        paths = sorted((folder / "instances/mankowska").glob("*.json"), key=_order)
    else:
        print("no instances given and the benchmark folder was not found (use --data)")
        return 2
    bks = bks_table(folder) if folder else {}
    rows = run(
        paths,
        time_limit=args.time_limit,
        out=Path(args.out),
        seed=args.seed,
        jobs=args.jobs,
        bks=bks,
    )
    summary(rows)
    return 0 if all(r.get("ok") for r in rows) else 1


if __name__ == "__main__":
    sys.exit(main())
