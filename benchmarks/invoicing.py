"""Invoicing a Kent-sized month from PostgreSQL: 400,000 delivered visits, 3,000
packages, 60 providers, in under 60 s with peak memory under 1 GB.

    .venv/bin/python benchmarks/invoicing.py [--visits N] [--packages N] [--providers N]
        [--database-url postgres://postgres@127.0.0.1:5432/homecare_bench_invoicing] [--keep]

1. (Re)creates the scratch PostgreSQL database named in ``--database-url``,
   migrates it, and bulk-loads a synthetic Kent council: one contract (rulebook
   ``kent``) per provider with its rate, the packages spread over the providers,
   each with a weekly pattern of 30-, 45- and 60-minute visits (one in ten
   double-handed), and the last four whole weeks of visits, all completed.
   Pattern entries and visits go in with PostgreSQL's ``COPY``. The four weekly
   payment periods of each contract (``billing.period`` = week, KENT-3.7.4)
   are opened and closed. ``--keep`` reuses a database already loaded.
2. Invoices the month in a child process held to two CPU cores: for each
   contract and period, ``homecare.billing.services.invoice_draft`` (visits
   streamed through ``homecare.billing.delivery``, priced by the pricing
   engine, lines bulk-created). The child reports its wall time, CPU time and
   peak memory (``ru_maxrss``); the figures are printed against the targets.

The first line printed is the command that ran. Exits 1 if a target is missed.
A script, not a test: see benchmarks/README.md.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import shlex
import subprocess
import sys
import time
import uuid
from datetime import date, datetime, timedelta
from datetime import time as dtime
from decimal import Decimal
from pathlib import Path
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/homecare_bench_invoicing"
TARGET_SECONDS = 60
TARGET_BYTES = 1024**3
LONDON = ZoneInfo("Europe/London")
#: Visit times of day, and how long each may last (minutes).
TIMES = [dtime(7, 30), dtime(9, 45), dtime(12, 0), dtime(14, 30), dtime(17, 0), dtime(20, 0)]
DURATIONS = [30, 30, 45, 45, 60]


def _two_cores() -> None:
    if hasattr(os, "sched_setaffinity"):
        cores = sorted(os.sched_getaffinity(0))
        os.sched_setaffinity(0, set(cores[:2]))


def _django(database_url: str) -> None:
    os.environ["DATABASE_URL"] = database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "homecare.settings.dev")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def month(today: date) -> tuple[date, date]:
    """The last four whole weeks, Monday to Sunday."""
    monday = today - timedelta(days=today.weekday())
    return monday - timedelta(days=28), monday - timedelta(days=1)


# ---------------------------------------------------------------- the scratch database


def recreate(database_url: str) -> None:
    import psycopg

    name = database_url.rsplit("/", 1)[1]
    server = database_url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(server, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.execute(f'CREATE DATABASE "{name}"')
    env = {**os.environ, "DATABASE_URL": database_url}
    env.setdefault("DJANGO_SETTINGS_MODULE", "homecare.settings.dev")
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "--verbosity", "0"], cwd=ROOT, env=env, check=True
    )


def load(*, visits: int, packages: int, providers: int, seed: int) -> dict:
    """Bulk-load the council, providers, contracts, people, packages, patterns and visits."""
    from django.db import connection, transaction

    from homecare.billing import services
    from homecare.billing.models import ContractRate
    from homecare.organisations.models import Area, Contract, Organisation
    from homecare.packages.models import CarePackage
    from homecare.people.models import Individual

    rng = random.Random(seed)
    from django.utils import timezone

    first, last = month(timezone.localdate())
    per_day = visits / packages / 28
    with transaction.atomic():
        council = Organisation.objects.create(name="Kent County Council", kind="council")
        area = Area.objects.create(organisation=council, name="West Kent", kind="cluster")
        provs = Organisation.objects.bulk_create(
            Organisation(name=f"Kent Provider {n:02d} Ltd", kind="provider")
            for n in range(providers)
        )
        contracts = Contract.objects.bulk_create(
            Contract(
                organisation=council,
                provider=p,
                reference=f"KCC-{n:03d}",
                kind="framework",
                rulebook="kent",
                hourly_rate=Decimal("24.60"),
                night_rate=Decimal("150.00"),
                starts_on=first - timedelta(days=365),
            )
            for n, p in enumerate(provs)
        )
        ContractRate.objects.bulk_create(
            ContractRate(
                organisation=council,
                contract=c,
                valid_from=c.starts_on,
                hourly_rate=Decimal("24.60"),
                night_session_rate=Decimal("150.00"),
                complex_hourly_rate=Decimal("27.10"),
            )
            for c in contracts
        )
        people = Individual.objects.bulk_create(
            (
                Individual(
                    organisation=council,
                    area=area,
                    given_name=f"Person{n}",
                    family_name=f"Kent{n:05d}",
                    date_of_birth=date(1940, 1, 1),
                    address_line_1=f"{n} High Street",
                    town="Maidstone",
                    postcode="ME14 1XX",
                    latitude=Decimal("51.27"),
                    longitude=Decimal("0.52"),
                )
                for n in range(packages)
            ),
            batch_size=2000,
        )
        pkgs = CarePackage.objects.bulk_create(
            (
                CarePackage(
                    organisation_id=contracts[n % providers].provider_id,
                    contract=contracts[n % providers],
                    individual=people[n],
                    reference=f"SDO-{n:05d}",
                    status="active",
                    status_effective_on=first - timedelta(days=90),
                    start_date=first - timedelta(days=90),
                )
                for n in range(packages)
            ),
            batch_size=2000,
        )
        entries, rows = _pattern_and_visits(rng, pkgs, first, per_day)
        with connection.cursor() as cursor:
            _copy(cursor, "packages_patternentry", ENTRY_COLUMNS, entries)
            _copy(cursor, "packages_visit", VISIT_COLUMNS, rows)
        for contract in contracts:
            start = first
            while start <= last:
                period = services.billing_period_open(by=None, contract=contract, start=start)
                services.billing_period_close(by=None, period=period)
                start = period.end + timedelta(days=1)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return {"visits": len(rows), "entries": len(entries), "first": first, "last": last}


ENTRY_COLUMNS = (
    "id", "created_at", "organisation_id", "package_id", "weekday", "kind", "start_time",
    "duration_minutes", "window_minutes", "workers_required", "tasks",
)  # fmt: skip
VISIT_COLUMNS = (
    "id", "created_at", "organisation_id", "package_id", "individual_id", "pattern_entry_id",
    "date", "kind", "planned_start", "planned_end", "duration_minutes", "window_minutes",
    "workers_required", "tasks", "status",
)  # fmt: skip


def _pattern_and_visits(rng, pkgs, first: date, per_day: float):
    now = datetime.now(tz=ZoneInfo("UTC"))
    tasks = json.dumps(["Personal care"])
    entries, rows = [], []
    for package in pkgs:
        daily = int(per_day) + (1 if rng.random() < per_day - int(per_day) else 0)
        slots = sorted(rng.sample(TIMES, min(daily, len(TIMES))))
        for weekday in range(7):
            for at in slots:
                entry_id = uuid.uuid4()
                minutes = rng.choice(DURATIONS)
                workers = 2 if rng.random() < 0.1 else 1
                entries.append((
                    entry_id, now, package.organisation_id, package.id, weekday, "visit", at,
                    minutes, 30, workers, tasks,
                ))  # fmt: skip
                for week in range(4):
                    day = first + timedelta(days=7 * week + weekday)
                    start = datetime.combine(day, at, tzinfo=LONDON)
                    end = start + timedelta(minutes=minutes)
                    rows.append((
                        uuid.uuid4(), now, package.organisation_id, package.id,
                        package.individual_id, entry_id, day, "visit", start, end, minutes, 30,
                        workers, tasks, "completed",
                    ))  # fmt: skip
    return entries, rows


def _copy(cursor, table: str, columns, rows) -> None:
    raw = cursor.cursor  # psycopg's own cursor under Django's wrapper
    with raw.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row(row)


# ---------------------------------------------------------------- the measured run


def invoice_month() -> dict:
    """Invoice every contract's closed periods; runs in the measured child."""
    from django.db.models import Sum

    from homecare.billing import services
    from homecare.billing.models import BillingPeriod, Invoice, InvoiceLine
    from homecare.organisations.models import Contract

    server_before = _server_cpu()
    started = time.perf_counter()
    invoices = 0
    for contract in Contract.objects.filter(rulebook="kent").order_by("reference"):
        for period in BillingPeriod.objects.filter(contract=contract).order_by("start"):
            services.invoice_draft(by=None, contract=contract, period=period)
            invoices += 1
    seconds = time.perf_counter() - started
    server_cpu = _server_cpu() - server_before
    usage = resource.getrusage(resource.RUSAGE_SELF)
    live = InvoiceLine.objects.filter(archived_at__isnull=True)
    return {
        "seconds": seconds,
        "cpu": usage.ru_utime + usage.ru_stime,
        "server_cpu": server_cpu,
        "load": os.getloadavg()[0],
        "peak_bytes": usage.ru_maxrss * 1024,
        "invoices": invoices,
        "lines": live.count(),
        "total": str(
            Invoice.objects.filter(archived_at__isnull=True).aggregate(t=Sum("total"))["t"]
        ),
    }


def _server_cpu() -> float:
    """CPU seconds of this connection's PostgreSQL backend so far (same machine:
    /proc/<pid>/stat), or NaN when it cannot be read."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        pid = cursor.fetchone()[0]
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return float("nan")
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _child(database_url: str) -> int:
    _django(database_url)
    from homecare.demo import bulk

    with bulk.loading():
        result = invoice_month()
    print("RESULT " + json.dumps(result))
    return 0


def run(args) -> int:
    print(f"$ {shlex.join([os.path.relpath(sys.executable, ROOT), *sys.argv])}")
    load_avg = ", ".join(f"{n:.2f}" for n in os.getloadavg())
    print(f"Machine: {os.cpu_count()} CPUs, load average {load_avg}")
    _django(args.database_url)
    from homecare.packages.models import Visit

    loaded = args.keep and _loaded(Visit)
    if not loaded:
        print(f"Scratch database: {args.database_url} (dropped and created, migrated)")
        from django.db import connections

        connections.close_all()
        recreate(args.database_url)
        started = time.perf_counter()
        figures = load(
            visits=args.visits, packages=args.packages, providers=args.providers, seed=args.seed
        )
        print(
            f"Loaded {figures['visits']:,} visits from {figures['entries']:,} pattern entries, "
            f"{args.packages:,} packages, {args.providers} providers, "
            f"{figures['first']} to {figures['last']} in {time.perf_counter() - started:.1f} s"
        )
    else:
        from django.db import connection

        with connection.cursor() as cursor:
            cursor.execute("DELETE FROM billing_invoiceline")
            cursor.execute("DELETE FROM billing_invoice")
        print(f"Reusing {args.database_url}: {Visit.objects.count():,} visits")
    from django.db import connections

    connections.close_all()
    command = [sys.executable, __file__, "--child", "--database-url", args.database_url]
    print("Invoicing in a child process on at most 2 CPU cores ...")
    done = subprocess.run(
        command, cwd=ROOT, capture_output=True, text=True, preexec_fn=_two_cores, check=False
    )
    if done.returncode != 0:
        print(done.stdout, done.stderr, sep="\n")
        return 2
    result = json.loads(done.stdout.split("RESULT ", 1)[1])
    seconds, peak = result["seconds"], result["peak_bytes"]
    ok_time, ok_memory = seconds < TARGET_SECONDS, peak < TARGET_BYTES
    print(
        f"Invoiced {result['invoices']} invoices, {result['lines']:,} lines, "
        f"£{Decimal(result['total']):,}"
    )
    print(
        f"Wall time:   {seconds:6.1f} s  (target < {TARGET_SECONDS} s)  "
        f"{'ok' if ok_time else 'MISSED'}   {result['lines'] / seconds:,.0f} lines/s, "
        f"load average {result['load']:.1f} at the end"
    )
    cpu, server = result["cpu"], result["server_cpu"]
    print(
        f"CPU time:    {cpu + server:6.1f} s  = {cpu:.1f} s Python + {server:.1f} s "
        "PostgreSQL backend (what the run needs on two idle cores)"
    )
    print(
        f"Peak memory: {peak / 1024**2:6.0f} MB (target < 1024 MB) "
        f"{'ok' if ok_memory else 'MISSED'}"
    )
    return 0 if ok_time and ok_memory else 1


def _loaded(visit_model) -> bool:
    try:
        return visit_model.objects.exists()
    except Exception:
        return False


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--visits", type=int, default=400_000)
    parser.add_argument("--packages", type=int, default=3_000)
    parser.add_argument("--providers", type=int, default=60)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--database-url", default=DEFAULT_URL)
    parser.add_argument("--keep", action="store_true", help="reuse a loaded database")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        return _child(args.database_url)
    return run(args)


if __name__ == "__main__":
    sys.exit(main())
