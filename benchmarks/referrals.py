"""Referral board benchmark: 10,000 open referrals across 50 providers, county demo.

    .venv/bin/python benchmarks/referrals.py [--seed N] [--requests N] [--database PATH]

1. Builds the county demo (East Lothian, ``homecare demo --no-serve --size
   county``) into a temporary SQLite file with ``benchmarks/foundation.py``'s
   ``build`` (a child process on two cores). With ``--database PATH`` the file
   is kept, and reused when it already holds the referrals.
2. Tops the council up to 50 provider organisations, each with a live eloth
   contract covering the county (ELOTH-3.11), and adds open referrals in two
   steps: 10 first, then up to 10,000. Each referral is published, wants 1-4
   visits a week and went to 1-3 providers (weighted, so the demo
   coordinator's large provider gets a heavy inbox); about 75% of offers wait
   for an answer, 15% are declined and 10% accepted. Rows go in with
   ``bulk_create``; every answer's ``due_at`` comes from the contract's
   rulebook through ``homecare.domain.clocks.due_times``.
3. Signs in the demo broker (council) and the demo coordinator (provider),
   second factor verified, and requests each page 30 times after one warm-up:
   the board ``/referrals/``, its polled rows ``/referrals/board/rows/``, the
   inbox ``/referrals/inbox/`` and ``/referrals/inbox/rows/`` (the polled parts
   with htmx's headers). Prints p50/p95 server time against 150 ms, the median
   CPU and SQL time, and the queries per page with 10 referrals and with
   10,000: the same number means a fixed number of queries. Queries that
   repeat or grow are listed, and for a slow page the queries of 5 ms or
   more with SQLite's plan for each.

Exits 1 if a target is missed, 2 if a page does not answer 200. A script, not
a test: see benchmarks/README.md.
"""

from __future__ import annotations

import argparse
import os
import random
import re
import shlex
import statistics
import sys
import tempfile
import time
import warnings
from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import time as dtime
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import foundation  # benchmarks/foundation.py: the county build, shared

ROOT = foundation.ROOT
PAGE_MS = 150
PROVIDERS = 50
REFERRALS = 10_000
FIRST_STEP = 10
POLL_HEADERS = {"HTTP_HX_REQUEST": "true", "HTTP_X_HOMECARE_POLL": "1"}
PAGES = [
    # (name, user, url, headers)
    ("Board", "broker", "/referrals/", {}),
    ("Board rows (poll)", "broker", "/referrals/board/rows/", POLL_HEADERS),
    ("Inbox", "coordinator", "/referrals/inbox/", {}),
    ("Inbox rows (poll)", "coordinator", "/referrals/inbox/rows/", POLL_HEADERS),
]
#: East Lothian places and trading styles for the extra providers.
PLACES = (
    "Aberlady",
    "Athelstaneford",
    "Cockenzie",
    "Dirleton",
    "East Linton",
    "Gifford",
    "Gullane",
    "Humbie",
    "Longniddry",
    "Ormiston",
    "Pencaitland",
    "Stenton",
    "Whitekirk",
    "Innerwick",
    "Spott",
    "Elphinstone",
    "Macmerry",
    "Garvald",
    "Morham",
    "Saltoun",
    "Oldhamstocks",
)
STYLES = ("Care at Home", "Home Support")
KINDS = [("hospital_discharge", 0.35), ("urgent_community", 0.20), ("planned", 0.45)]
SOURCES = {
    "hospital_discharge": ["hospital_team", "nhs_hospital"],
    "urgent_community": ["community_team", "emergency_duty", "community_health"],
    "planned": ["community_team", "community_health", "carers_service", "voluntary"],
}
DECLINES = ["no_capacity", "no_staff_in_area", "times", "gender", "skills"]


# -- the data -------------------------------------------------------------------------


class Referrals:
    """Adds providers and open referrals to a county demo database."""

    def __init__(self, seed: int):
        from django.utils import timezone

        from homecare.accounts.models import User
        from homecare.organisations.models import Area, Organisation
        from homecare.people.models import Individual

        self.rng = random.Random(seed)
        self.now = timezone.now()
        self.today = timezone.localdate()
        self.council = Organisation.objects.get(kind="council")
        self.area = Area.objects.filter(organisation=self.council).order_by("name").first()
        self.broker = User.objects.get(username="broker")
        self.coordinator = User.objects.get(username="coordinator")
        self.people = list(
            Individual.objects.filter(organisation=self.council, archived_at__isnull=True)
            .order_by("pk")
            .values_list("pk", "area_id")
        )

    def top_up_providers(self, target: int = PROVIDERS) -> list:
        """Live contracts of ``target`` providers; new ones are eloth, county-wide."""
        from decimal import Decimal

        from homecare.organisations.models import Contract, Organisation

        contracts = self._contracts()
        have = {c.provider_id for c in contracts}
        missing = target - len(have)
        if missing > 0:
            names = [f"{place} {style}" for style in STYLES for place in PLACES][:missing]
            orgs = Organisation.objects.bulk_create(
                Organisation(
                    name=name,
                    kind="provider",
                    nation=self.council.nation,
                    regulator_id=f"CS{2010 + n % 10}{300000 + n}",
                    inspection_grades=[{"year": self.today.year - 1, "grade": 4}],
                    telephone="01620 8000",
                    email=f"office@{name.lower().split()[0]}.example.com",
                )
                for n, name in enumerate(names)
            )
            taken = Contract.objects.filter(organisation=self.council).count()
            new = Contract.objects.bulk_create(
                Contract(
                    organisation=self.council,
                    provider=org,
                    reference=f"ELHSCP-CAH-B{taken + n:03d}",
                    kind="framework",
                    rulebook="eloth",
                    hourly_rate=Decimal("25.80"),
                    starts_on=self.today.replace(year=self.today.year - 1, month=4, day=1),
                )
                for n, org in enumerate(orgs, start=1)
            )
            Contract.areas.through.objects.bulk_create(
                Contract.areas.through(contract_id=c.pk, area_id=self.area.pk) for c in new
            )
            contracts = self._contracts()
        return contracts

    def _contracts(self) -> list:
        from homecare.organisations.models import Contract

        contracts = (
            Contract.objects.filter(
                organisation=self.council, status="live", archived_at__isnull=True
            )
            .select_related("provider")
            .order_by("reference")
        )
        first: dict = {}
        for c in contracts:  # one contract per provider (a provider may hold a block too)
            first.setdefault(c.provider_id, c)
        return list(first.values())

    def open_count(self) -> int:
        from homecare.referrals.models import Referral

        return Referral.objects.filter(
            organisation=self.council, status=Referral.Status.PUBLISHED
        ).count()

    def add(self, count: int, contracts: list) -> tuple[int, int, int]:
        """``count`` published referrals with their visits and offers: (referrals,
        visits, offers) added."""
        from django.db import transaction

        from homecare.domain.allocation import RESPONSE_RULE
        from homecare.domain.clocks import Calendar, due_times
        from homecare.referrals.models import Offer, OfferSlot, Referral, ReferralVisit

        rng = self.rng
        home = self.coordinator.organisation_id
        # The demo's providers by their share of the county, the extra ones small.
        weights = [0.45 if c.provider_id == home else 0.05 for c in contracts]
        serial = Referral.objects.filter(organisation=self.council).count()
        referrals, visits, offers, slots = [], [], [], []
        for n in range(count):
            kind = rng.choices([k for k, _ in KINDS], weights=[w for _, w in KINDS])[0]
            received = self.now - timedelta(minutes=rng.randrange(5, 72 * 60))
            person, area = self.people[rng.randrange(len(self.people))]
            referral = Referral(
                organisation=self.council,
                individual_id=person,
                area_id=area,
                reference=f"REF-{self.today.year}-B{serial + n + 1:05d}",
                kind=kind,
                urgency="planned" if kind == "planned" else "urgent",
                source=rng.choice(SOURCES[kind]),
                referrer_name=rng.choice(["A. Hamilton", "J. Robertson", "S. Patel", "M. Reid"]),
                received_at=received,
                requested_start=self.today + timedelta(days=rng.randrange(0, 14)),
                needs_statement="Help with personal care, meals and medication prompts.",
                known_risks="Falls; lives alone.",
                consent="consented",
                status=Referral.Status.PUBLISHED,
                published_at=min(received + timedelta(minutes=rng.randrange(1, 30)), self.now),
                created_by=self.broker,
                created_at=received,
            )
            referrals.append(referral)
            wanted = []
            for _ in range(rng.randint(1, 4)):
                start = rng.choice([7, 8, 12, 13, 17, 19])
                visit = ReferralVisit(
                    organisation=self.council,
                    referral=referral,
                    weekday=rng.randrange(7),
                    slot_start=dtime(start),
                    slot_end=dtime(start + 1),
                    duration_minutes=rng.choice([30, 45, 60]),
                    workers_required=1 if rng.random() < 0.85 else 2,
                )
                wanted.append(visit)
            visits.extend(wanted)
            chosen: list = []
            if count <= FIRST_STEP:  # the first step must reach the coordinator's inbox
                chosen.append(next(c for c in contracts if c.provider_id == home))
            want = rng.randint(1, 3)
            while len(chosen) < want:
                c = rng.choices(contracts, weights=weights)[0]
                if c not in chosen:
                    chosen.append(c)
            for contract in chosen:
                offer = Offer(
                    organisation=self.council,
                    referral=referral,
                    provider_id=contract.provider_id,
                    contract=contract,
                    round="open",
                    offered_at=referral.published_at,
                    created_at=referral.published_at,
                )
                offers.append((offer, wanted))
        # Every clock from the contract's rulebook, one batch per rulebook and kind.
        groups: dict = {}
        for offer, _ in offers:
            rules_key = (
                offer.contract.rulebook,
                offer.contract.rulebook_version,
                repr(sorted(offer.contract.rulebook_overrides.items())),
            )
            groups.setdefault((rules_key, offer.referral.kind), []).append(offer)
        rules_of: dict = {}
        for (rules_key, kind), group in groups.items():
            if rules_key not in rules_of:
                rules_of[rules_key] = group[0].contract.rules()
            rules = rules_of[rules_key]
            rule = RESPONSE_RULE[kind]
            entry = rules.entry(rule)
            dues = due_times(
                [o.offered_at for o in group],
                entry.value,
                entry.unit,
                clock=rules.value("referral.response.clock"),
                calendar=Calendar.from_rulebook(rules),
            )
            for offer, due in zip(group, dues, strict=True):
                offer.due_at, offer.deadline_rule = due, rule
                offer.deadline_ref = ", ".join(entry.ref)
        for offer, wanted in offers:
            self._answer(offer, wanted, slots)
        with transaction.atomic():
            Referral.objects.bulk_create(referrals, batch_size=1000)
            ReferralVisit.objects.bulk_create(visits, batch_size=2000)
            Offer.objects.bulk_create([o for o, _ in offers], batch_size=1000)
            OfferSlot.objects.bulk_create(slots, batch_size=2000)
        return len(referrals), len(visits), len(offers)

    def _answer(self, offer, wanted: list, slots: list) -> None:
        """Leave most offers waiting; decline or accept some, as a live board has."""
        from homecare.referrals.models import OfferSlot

        rng = self.rng
        roll = rng.random()
        if roll < 0.75:
            return
        answered = offer.offered_at + timedelta(minutes=rng.randrange(10, 36 * 60))
        answered = min(answered, self.now)
        offer.answered_at = answered
        offer.answered_late = answered > offer.due_at
        offer.response_minutes = int((answered - offer.offered_at).total_seconds() // 60)
        if roll < 0.90:
            offer.status = "declined"
            offer.decline_reason = rng.choice(DECLINES)
            return
        offer.status = "accepted"
        offer.start_date = offer.referral.requested_start
        offer.start_time = wanted[0].slot_start
        offer.gender_preference_met = True
        slots.extend(
            OfferSlot(
                organisation=offer.organisation,
                offer=offer,
                referral_visit=v,
                arrival_time=v.slot_start,
            )
            for v in wanted
        )


def analyse() -> None:
    """Fresh planner statistics, as the demo build leaves them (see foundation)."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


# -- the pages ------------------------------------------------------------------------


def signed_in(username: str):
    """A test client signed in as ``username`` with the second factor verified."""
    from django.test import Client
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from homecare.accounts.models import User
    from homecare.accounts.services import user_enrol_totp

    user = User.objects.get(username=username)
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    device = device or user_enrol_totp(user=user)
    client = Client()
    client.force_login(user)
    session = client.session
    session["otp_device_id"] = device.persistent_id
    session.save()
    return client


def _shape(sql: str) -> str:
    """A query with its values taken out, so repeats of one query count together."""
    sql = re.sub(r"'(?:[^']|'')*'", "?", sql)
    sql = re.sub(r"\b\d+(?:\.\d+)?\b", "?", sql)
    sql = re.sub(r"\((?:\?, )+\?\)", "(?…)", sql)
    return re.sub(r"\s+", " ", sql).strip()


def count_queries(clients: dict) -> dict[str, tuple[int, int, list]]:
    """Per page: (status, queries, the queries run) for one request."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    out = {}
    for name, who, url, headers in PAGES:
        with CaptureQueriesContext(connection) as captured:
            response = clients[who].get(url, **headers)
        out[name] = (response.status_code, len(captured), list(captured.captured_queries))
    return out


@dataclass
class Timing:
    p50: float
    p95: float
    cpu_p50: float
    sql_p50: float
    #: (median ms per request, SQL) for each distinct query, slowest first.
    queries: list[tuple[float, str]]


def time_pages(clients: dict, requests: int) -> dict[str, Timing]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    out = {}
    for name, who, url, headers in PAGES:
        client = clients[who]
        samples, cpu, sql = [], [], []
        by_shape: dict[str, list[float]] = defaultdict(list)
        example: dict[str, str] = {}
        for _ in range(requests):
            with CaptureQueriesContext(connection) as captured:
                started, started_cpu = time.perf_counter(), time.process_time()
                response = client.get(url, **headers)
                samples.append((time.perf_counter() - started) * 1000)
                cpu.append((time.process_time() - started_cpu) * 1000)
            assert response.status_code == 200, (url, response.status_code)
            sql.append(sum(float(q["time"]) for q in captured.captured_queries) * 1000)
            per: Counter = Counter()
            for q in captured.captured_queries:
                shape = _shape(q["sql"])
                per[shape] += float(q["time"]) * 1000
                example.setdefault(shape, q["sql"])
            for shape, ms in per.items():
                by_shape[shape].append(ms)
        slowest = sorted(((statistics.median(v), s) for s, v in by_shape.items()), reverse=True)
        out[name] = Timing(
            statistics.median(samples),
            foundation._percentile(samples, 0.95),
            statistics.median(cpu),
            statistics.median(sql),
            [(ms, example[s]) for ms, s in slowest],
        )
    return out


def show_queries(title: str, queries: list, *, only_repeats: bool = False) -> None:
    shapes = Counter(_shape(q["sql"]) for q in queries)
    print(f"    {title}")
    for shape, n in shapes.most_common():
        if only_repeats and n < 2:
            continue
        print(f"      {n:3d} x  {_brief(shape)[:300]}")


def _brief(sql: str) -> str:
    """The query with its runs of plain columns cut to "…": long, and they say little."""
    return re.sub(r'(?:"\w+"\."\w+", ){3,}"\w+"\."\w+"', "…", sql)


def show_slow(name: str, timing: Timing, *, at_least_ms: float = 5.0) -> None:
    """Where a slow page's time goes, and the plan SQLite chose for each slow query."""
    from django.db import connection

    python = timing.cpu_p50 - timing.sql_p50
    print(
        f"    {name}: p50 {timing.sql_p50:.0f} ms in SQL (wall clock), {timing.cpu_p50:.0f} ms CPU"
        + (
            f"; about {python:.0f} ms of CPU is Python (model instances, rows, templates)."
            if python > 0
            else " (SQL waited for the CPU: the machine is busy)."
        )
    )
    for ms, sql in timing.queries:
        if ms < at_least_ms:
            break
        if not sql.startswith("SELECT"):
            continue
        print(f"      {ms:6.1f} ms  {_brief(sql)}")
        if connection.vendor == "sqlite":
            with connection.cursor() as cursor:
                cursor.execute(f"EXPLAIN QUERY PLAN {sql}")
                plan = " | ".join(row[3] for row in cursor.fetchall())
            print(f"                 plan: {plan}")


# -- the run --------------------------------------------------------------------------


def prepare(database_url: str, seed: int, build_needed: bool) -> None:
    if build_needed:
        seconds, _, _, output = foundation.build(database_url, seed)
        for line in output.strip().splitlines()[:1]:
            print(f"  | {line}")
        print(f"County demo built in {seconds:.1f} s.")
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


def run(args) -> int:
    from django.conf import settings

    data = Referrals(args.seed)
    began = time.perf_counter()
    contracts = data.top_up_providers()
    print(f"Providers with a live contract: {len(contracts)}.")
    clients = {"broker": signed_in("broker"), "coordinator": signed_in("coordinator")}
    few = None
    if data.open_count() == 0:
        data.add(FIRST_STEP, contracts)
        analyse()
        few = count_queries(clients)
    missing = REFERRALS - data.open_count()
    if missing > 0:
        added = data.add(missing, contracts)
        print(f"Added {added[0]:,} referrals, {added[1]:,} visits wanted, {added[2]:,} offers.")
    analyse()
    print(f"Data ready in {time.perf_counter() - began:.1f} s.")
    print(describe(data))
    print(f"Page size (HOMECARE_PAGE_SIZE): {settings.HOMECARE_PAGE_SIZE}.")
    print()

    many = count_queries(clients)
    broken = [(name, many[name][0]) for name, *_ in PAGES if many[name][0] != 200]
    if broken:
        for name, status in broken:
            url = next(p[2] for p in PAGES if p[0] == name)
            print(f"{name} ({url}) answered {status}, not 200: nothing to time yet.")
        return 2
    times = time_pages(clients, args.requests)
    print(f"{args.requests} requests per page, server time in ms (target p95 < {PAGE_MS}):")
    head = f"queries ({FIRST_STEP} / {REFERRALS:,})"
    print(
        f"  {'Page':<18} {'p50':>7} {'p95':>7} {'CPU p50':>8} {'SQL p50':>8} {head:>22}  "
        f"result  URL"
    )
    ok = True
    for name, who, url, _ in PAGES:
        t = times[name]
        queries = many[name][1]
        then = "?" if few is None or few[name][0] != 200 else str(few[name][1])
        fixed = then in ("?", str(queries))
        page_ok = t.p95 < PAGE_MS and fixed
        ok &= page_ok
        print(
            f"  {name:<18} {t.p50:7.1f} {t.p95:7.1f} {t.cpu_p50:8.1f} {t.sql_p50:8.1f} "
            f"{f'{then} / {queries}':>22}  {'PASS' if page_ok else 'FAIL':<6}  {url} ({who})"
        )
    if few is not None:
        print(f"  (queries per request with {FIRST_STEP} open referrals, then with {REFERRALS:,}.)")
    print()
    for name, *_ in PAGES:
        queries = many[name][2]
        repeats = any(n > 1 for n in Counter(_shape(q["sql"]) for q in queries).values())
        grew = few is not None and few[name][0] == 200 and few[name][1] != many[name][1]
        if grew:
            print(f"  {name}: the number of queries grows with the data.")
            show_queries(f"with {FIRST_STEP} referrals:", few[name][2])
            show_queries(f"with {REFERRALS:,} referrals:", queries)
        elif args.show_queries:
            show_queries(f"{name}:", queries)
        elif repeats:
            show_queries(f"{name}: queries run more than once", queries, only_repeats=True)
        if times[name].p95 >= PAGE_MS:
            show_slow(name, times[name])
    print()
    print("All targets met." if ok else "Some targets were missed.")
    return 0 if ok else 1


def describe(data: Referrals) -> str:
    from django.db.models import Count

    from homecare.referrals.models import Offer

    offers = Offer.objects.filter(organisation=data.council, referral__status="published")
    by_status = dict(offers.values_list("status").annotate(n=Count("pk")))
    home = offers.filter(provider_id=data.coordinator.organisation_id)
    return (
        f"Open referrals: {data.open_count():,}; offers: {sum(by_status.values()):,} "
        f"({', '.join(f'{n:,} {s}' for s, n in sorted(by_status.items()))}); "
        f"the coordinator's provider ({data.coordinator.organisation}) holds "
        f"{home.count():,} of them, {home.filter(status='open').count():,} waiting."
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--requests", type=int, default=30)
    parser.add_argument(
        "--database", help="SQLite file to build into and keep (reused when it exists)"
    )
    parser.add_argument("--show-queries", action="store_true", help="list every page's queries")
    args = parser.parse_args()
    print(f"$ {shlex.join([foundation._shown(sys.executable), *sys.argv])}")
    load = ", ".join(f"{n:.2f}" for n in os.getloadavg())
    print(
        f"Python {sys.version.split()[0]}, SQLite, {os.cpu_count()} CPU(s) on this machine, "
        f"load average {load} at the start."
    )
    print()
    if args.database:
        path = Path(args.database).resolve()
        prepare(f"sqlite:///{path}", args.seed, build_needed=not path.exists())
        return run(args)
    with tempfile.TemporaryDirectory(prefix="homecare-bench-") as folder:
        prepare(f"sqlite:///{folder}/county.sqlite3", args.seed, build_needed=True)
        return run(args)


if __name__ == "__main__":
    sys.exit(main())
