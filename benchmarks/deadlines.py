"""Deadlines benchmark: every open deadline of the county, and the what-is-due page.

    .venv/bin/python benchmarks/deadlines.py [--seed N] [--requests N] [--runs N]
    .venv/bin/python benchmarks/deadlines.py --database sqlite:////tmp/county.sqlite3

1. Builds the county demo (East Lothian, ELOTH-3.2: about 21,000 care hours a
   week, with its plans, goals, reviews and records checks) into a temporary
   SQLite file, as benchmarks/foundation.py does; or uses ``--database``, a
   county demo built before.
2. Computes every open deadline of every person on the service (all
   packages, every registered source: plans, reviews, records, changes,
   hospital stays, hand-backs, D2A), ``--runs`` times: wall and CPU time
   against the target of 2 s. Also the full computation (done deadlines
   included, for the KPIs).
3. Signs in the coordinator of the largest provider and the council's broker
   (second factor verified) and requests /plans/due/ ``--requests`` times
   each: p50 and p95 server time against the 200 ms target, the median CPU
   time, and the number of SQL queries, which must be the same for both (the
   broker sees all eight providers' packages, the coordinator one provider's).

Exits 1 if a target is missed. A script, not a test: see benchmarks/README.md.
"""

from __future__ import annotations

import argparse
import os
import shlex
import statistics
import sys
import tempfile
import time
import warnings
from pathlib import Path

from foundation import _percentile, _shown, build

ROOT = Path(__file__).resolve().parent.parent
COLLECT_SECONDS = 2.0
PAGE_MS = 200


def _setup(database_url: str) -> None:
    os.environ.update(
        {
            "DATABASE_URL": database_url,
            "DJANGO_SETTINGS_MODULE": "homecare.settings.dev",
            "DEBUG": "0",
            "ALLOWED_HOSTS": "testserver,localhost",
        }
    )
    sys.path.insert(0, str(ROOT))
    warnings.filterwarnings("ignore", message="No directory at")
    import django

    django.setup()


def time_collect(runs: int) -> dict:
    from django.utils import timezone

    from homecare.domain.deadlines import classify
    from homecare.packages.models import CarePackage
    from homecare.plans.deadlines import collect, collect_open, sources
    from homecare.plans.sources import OPEN_STATUSES

    packages = CarePackage.objects.filter(archived_at__isnull=True)
    now = timezone.now()
    collect_open(packages, now)  # warm-up: rulebooks parsed, URLs resolved
    out = {"sources": len(sources()), "packages": packages.filter(status__in=OPEN_STATUSES).count()}
    for name, fn in (("open", collect_open), ("full", collect)):
        walls, cpus = [], []
        for _ in range(runs):
            started, started_cpu = time.perf_counter(), time.process_time()
            deadlines = fn(packages, now)
            walls.append(time.perf_counter() - started)
            cpus.append(time.process_time() - started_cpu)
        out[name] = (statistics.median(walls), max(walls), statistics.median(cpus), len(deadlines))
        if name == "open":
            out["counts"] = classify(deadlines, now).counts()
    return out


class _Counter:
    """Counts the SQL statements run (DEBUG is off, so nothing else records them)."""

    def __init__(self):
        self.count = 0

    def __call__(self, execute, sql, params, many, context):
        self.count += 1
        return execute(sql, params, many, context)


def time_page(requests: int, *, cached: bool) -> list[tuple]:
    from django.conf import settings
    from django.db import connection
    from django.test import Client
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from homecare.accounts.models import User
    from homecare.core import access
    from homecare.plans.sources import OPEN_STATUSES

    settings.HOMECARE_DUE_CACHE_SECONDS = 60 if cached else 0
    coordinator = User.objects.get(username="coordinator")
    broker = User.objects.get(username="broker")
    results = []
    for who, user in (("coordinator", coordinator), ("council broker", broker)):
        client = Client()
        client.force_login(user)
        session = client.session
        session["otp_device_id"] = TOTPDevice.objects.get(user=user).persistent_id
        session.save()
        queries = _Counter()
        with connection.execute_wrapper(queries):
            response = client.get("/plans/due/")  # also the warm-up request (nothing cached)
        if response.status_code != 200:
            raise SystemExit(f"/plans/due/ answered {response.status_code} to the {who}.")
        rows = response.content.decode().count("data-key=")
        samples, cpu = [], []
        for _ in range(requests):
            started, started_cpu = time.perf_counter(), time.process_time()
            response = client.get("/plans/due/")
            samples.append((time.perf_counter() - started) * 1000)
            cpu.append((time.process_time() - started_cpu) * 1000)
            assert response.status_code == 200
        packages = access.deadline_packages_for(user).filter(status__in=OPEN_STATUSES).count()
        results.append(
            (
                who,
                packages,
                rows,
                statistics.median(samples),
                _percentile(samples, 0.95),
                statistics.median(cpu),
                queries.count,
            )
        )
    return results


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--requests", type=int, default=30)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--database", help="a county demo database built before (skip the build)")
    args = parser.parse_args()
    print(f"$ {shlex.join([_shown(sys.executable), *sys.argv])}")
    load = ", ".join(f"{n:.2f}" for n in os.getloadavg())
    print(
        f"Python {sys.version.split()[0]}, SQLite, {os.cpu_count()} CPU(s) on this machine, "
        f"load average {load} at the start."
    )
    print()
    with tempfile.TemporaryDirectory(prefix="homecare-bench-") as folder:
        database_url = args.database or f"sqlite:///{folder}/county.sqlite3"
        if not args.database:
            seconds, _cpu, _peak, output = build(database_url, args.seed)
            for line in output.strip().splitlines()[:2]:
                print(f"  | {line}")
            print(f"  (built in {seconds:.1f} s)")
            print()
        _setup(database_url)
        collected = time_collect(args.runs)
        pages = time_page(args.requests, cached=True)
        uncached = time_page(args.requests, cached=False)
    ok = True
    wall, worst, cpu, count = collected["open"]
    collect_ok = worst < COLLECT_SECONDS
    ok &= collect_ok
    counts = collected["counts"]
    print(
        f"Every open deadline, {collected['packages']:,} live packages, {collected['sources']} sources "
        f"({args.runs} runs):"
    )
    print(
        f"  open deadlines  {count:6,}   median {wall:5.2f} s, slowest {worst:5.2f} s "
        f"(target < {COLLECT_SECONDS:.0f} s)  {'PASS' if collect_ok else 'FAIL'}  "
        f"[CPU {cpu:.2f} s]"
    )
    print(
        f"                  {counts['overdue']:,} overdue, {counts['today']:,} due today, "
        f"{counts['this_week']:,} this week, {counts['later']:,} later"
    )
    wall, worst, cpu, count = collected["full"]
    print(
        f"  with done ones  {count:6,}   median {wall:5.2f} s, slowest {worst:5.2f} s  "
        f"[CPU {cpu:.2f} s]  (for the KPIs; no target)"
    )
    print()
    print(
        f"/plans/due/, {args.requests} requests each, server time in ms (target p95 < {PAGE_MS}):"
    )
    print(
        f"  {'who':<15} {'cache':<5} {'live pkgs':>9} {'rows':>5} {'p50':>7} {'p95':>7} "
        f"{'CPU p50':>8} {'queries':>8}  result"
    )
    for rows, cache in ((pages, "60 s"), (uncached, "off")):
        for who, packages, shown, p50, p95, cpu_p50, queries in rows:
            page_ok = p95 < PAGE_MS
            if cache != "off":
                ok &= page_ok
            print(
                f"  {who:<15} {cache:<5} {packages:9,} {shown:5} {p50:7.1f} {p95:7.1f} "
                f"{cpu_p50:8.1f} {queries:8d}  {'PASS' if page_ok else 'FAIL'}"
                f"{'' if cache != 'off' else ' (for information: every request recomputes)'}"
            )
    fixed = len({q for *_, q in pages + uncached}) == 1
    ok &= fixed
    print(f"  the same number of queries for every reader: {'PASS' if fixed else 'FAIL'}")
    print()
    print("All targets met." if ok else "Some targets were missed.")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
