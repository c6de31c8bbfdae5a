"""Pricing engine benchmark: price 1,000,000 synthetic visits against the 10 s target.

    .venv/bin/python benchmarks/pricing_engine.py [--seed N] [--visits N] [--packages N]

Builds, with a fixed seed, a Kent four-week period (KENT-3.7.4: weeks Monday to
Sunday) of delivered visits across many packages: day visits of 30, 45 and 60
minutes planned with actual times scattered around them (so every unit and the
pro-rata sessions beyond an hour occur, KENT-3.7.2/3.7.3), a tenth of them
double-handed, some night sessions (KENT-3.7.5), complex-rate packages
(KENT-3.3.8), emergency extra hours (KENT-8.4.7), and packages delivered over
or under their commissioned hours so the flexible-use cap has work to do.
Building the input is not timed; ``price_period`` is, in this process (pinned
to two cores where the platform allows), and the script prints the wall time,
CPU time and peak memory (maximum resident set size) against the targets:
**under 10 s** for 1,000,000 visits. It prints the command first and exits 1
when the target is missed. A script, not a test: see benchmarks/README.md.
"""

from __future__ import annotations

import argparse
import os
import random
import resource
import shlex
import sys
import time
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from homecare.domain.pricing import (  # noqa: E402
    CommissionedHours,
    DeliveredVisit,
    Tariff,
    price_period,
)
from homecare.domain.rulebook import load_rulebook  # noqa: E402

TARGET_SECONDS = 10.0
START = date(2026, 11, 2)  # a Monday
END = START + timedelta(days=27)


def build(seed: int, visits: int, packages: int):
    rng = random.Random(seed)
    commissions = []
    per_package = visits // packages
    extra = visits - per_package * packages
    items: list[DeliveredVisit] = []
    for number in range(packages):
        package_id = f"P{number:05d}"
        person_id = f"A{number:05d}"
        complex_band = rng.random() < 0.05
        count = per_package + (1 if number < extra else 0)
        lengths = [rng.choice((30, 30, 45, 60, 60, 90)) for _ in range(count)]
        planned_total = sum(lengths)
        # Commissioned a little above or below what will be delivered.
        weekly = int(planned_total / 4 * rng.uniform(0.9, 1.1))
        commissions.append(
            CommissionedHours(
                package_id=package_id,
                person_id=person_id,
                weekly_minutes=weekly,
                valid_from=date(2026, 4, 1),
                band="complex" if complex_band else "standard",
            )
        )
        for n, planned in enumerate(lengths):
            day = START + timedelta(days=n % 28)
            night = rng.random() < 0.01
            items.append(
                DeliveredVisit(
                    visit_id=f"{package_id}-{n}",
                    package_id=package_id,
                    person_id=person_id,
                    local_date=day,
                    start_minute=22 * 60 if night else 7 * 60 + (n * 97) % (14 * 60 - 90),
                    planned_minutes=540 if night else planned,
                    actual_minutes=540 if night else max(5, planned + rng.randint(-12, 8)),
                    workers=2 if rng.random() < 0.1 else 1,
                    kind="night" if night else "visit",
                    emergency_extra=rng.random() < 0.002,
                )
            )
    tariffs = [
        Tariff(
            valid_from=date(2026, 4, 1),
            valid_to=date(2026, 11, 15),
            hourly_rate=Decimal("21.37"),
            night_session_rate=Decimal("118.50"),
            complex_hourly_rate=Decimal("25.50"),
        ),
        Tariff(
            valid_from=date(2026, 11, 16),
            valid_to=None,
            hourly_rate=Decimal("22.05"),
            night_session_rate=Decimal("121.00"),
            complex_hourly_rate=Decimal("26.30"),
        ),
    ]
    return tariffs, commissions, items


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--visits", type=int, default=1_000_000)
    parser.add_argument("--packages", type=int, default=7_500)
    args = parser.parse_args(argv)
    print(f"$ {shlex.join([os.path.relpath(sys.executable, ROOT), *sys.argv])}")
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, set(sorted(os.sched_getaffinity(0))[:2]))
    print(f"load average: {' '.join(f'{value:.2f}' for value in os.getloadavg())}")
    built = time.perf_counter()
    tariffs, commissions, visits = build(args.seed, args.visits, args.packages)
    print(
        f"input: {len(visits):,} visits, {len(commissions):,} packages, 4 weeks "
        f"(built in {time.perf_counter() - built:.1f} s, not timed)"
    )
    rulebook = load_rulebook("kent")
    wall, cpu = time.perf_counter(), time.process_time()
    result = price_period(
        rulebook=rulebook,
        period_start=START,
        period_end=END,
        now=datetime(2026, 12, 1, 9, 0, tzinfo=UTC),
        tariffs=tariffs,
        commissions=commissions,
        visits=visits,
    )
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    withheld = sum(1 for line in result.lines if line.amount_pence < 0)
    print(
        f"output: {len(result.lines):,} lines ({withheld:,} withheld past the cap), "
        f"{len(result.warnings):,} warnings, total £{result.total:,}"
    )
    print(
        f"price_period: {wall:.2f} s wall, {cpu:.2f} s CPU "
        f"({wall / len(visits) * 1e6:.1f} µs a visit); target < {TARGET_SECONDS:.0f} s: "
        f"{'met' if wall < TARGET_SECONDS else 'MISSED'}"
    )
    print(f"peak memory (whole process, input included): {peak / 1024**2:,.0f} MB")
    return 0 if wall < TARGET_SECONDS else 1


if __name__ == "__main__":
    sys.exit(main())
