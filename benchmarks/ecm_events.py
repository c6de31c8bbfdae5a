"""Electronic call monitoring benchmark: check-in and check-out events through the
real HTTP endpoint into PostgreSQL, and a replay storm.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_ecm \\
        .venv/bin/python benchmarks/ecm_events.py [--seconds 15] [--clients 16] \\
        [--server granian|wsgiref] [--procs 2] [--threads 8] [--auth token|session] \\
        [--batch 1] [--app-batch 50] [--storm 10000]

1. Recreates the PostgreSQL database named in ``DATABASE_URL`` (default
   ``bench_ecm`` on 127.0.0.1), migrates it and builds one provider on a
   Lancashire contract, 200 care workers, 1,000 people and enough
   single-handed visits for today, each assigned to one worker, with their
   call watches (as the call monitor makes them each sweep). Visits are
   ordered within half an hour of now, so most calls start on time; one in
   twenty was ordered an hour before: a late call, which raises the council's
   notification in the same request. Each worker's
   phone holds what the app holds after the worker signs in: ``--auth token``
   (default) a phone token (``Authorization: Bearer``, as
   ``POST /visits/api/device-token/`` issues), ``--auth session`` a session
   with the second factor verified and a CSRF token.
2. Starts a real server in a child process: ``--server granian`` (default; the
   production server: ``--procs`` worker processes of ``--threads`` threads,
   WSGI) or ``wsgiref`` (the standard library's, pre-forked the same way),
   serving the Django project with DEBUG off on a loopback port; database
   connections are kept.
3. Sustained load, bounded by ``--seconds``: ``--clients`` phones, each on one
   persistent keep-alive connection, all driven from one thread with
   non-blocking sockets (the load generator shares the 2 cores with the server
   and the database: a thread a phone cost it twice the CPU), with request
   bodies built ahead (only
   the timestamps are filled in when sent), take the next visits of one
   worker and POST their check-ins, then their check-outs, to
   ``/visits/api/events/``, ``--batch`` events a request. The primary figure
   is ``--batch 1`` (one event a request: the phone online sends each event
   as it happens, so latency is per event). Then the same with
   ``--app-batch`` events a request (the phone app sends up to 50 queued
   events a request after being offline: ``BATCH`` in
   ``homecare/visits/static/visits/app.js``); 0 skips it. Prints accepted
   events a second and p50/p99 request latency against the targets
   (**500 events/s on 2 cores, p99 under 100 ms**), and the CPU per event of
   the server, of PostgreSQL and of the load generator (all on the machine).
4. Replay storm: ``--storm`` events (check-in and check-out of storm/2 fresh
   visits, 50 to a batch as the app sends them) are each sent three times,
   the 3x batches shuffled and sent by the same clients at once, so copies of
   the same event race each other. Then counts the database: exactly
   ``--storm`` events recorded, all accepted, storm/2 calls completed once.

Every event is a real check-in or check-out, verified by GPS and recorded in
PostgreSQL through the real endpoint; nothing is skipped or faked. A script,
not a test (see benchmarks/README.md). Prints the command that ran it and the
machine's load, and exits 1 when a target is missed.
"""

from __future__ import annotations

import argparse
import os
import random
import shlex
import socket
import statistics
import subprocess
import sys
import threading
import time
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from benchmarks.ecm_http import (  # noqa: E402
    Phone,
    closed_loop,
    granian_command,
    postgres_cpu_seconds,
    serve,
    server_cpu_seconds,
    stamp,
    template,
)

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/bench_ecm"
TARGET_RATE = 500
TARGET_P99_MS = 100


def environment(database_url: str) -> dict:
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "homecare.settings.dev",
        "DATABASE_URL": database_url,
        "DEBUG": "false",
        "HOMECARE_JOBS": "immediate",
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "DATABASE_CONN_MAX_AGE": "600",
    }


def recreate_database(database_url: str) -> None:
    import psycopg

    name = urlparse(database_url).path.lstrip("/")
    admin = urlparse(database_url)._replace(path="/postgres").geturl()
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')


# ------------------------------------------------------------------ the world


def build(visits_needed: int, auth: str):
    """Provider, workers with what their phones hold (``auth``), people, today's
    visits and their call watches (bulk inserts). Returns ``[(visit id, phone)]`` and
    each phone's headers."""
    from django.utils import timezone

    from homecare.accounts.models import Role, User
    from homecare.packages.models import CarePackage, Visit, VisitAssignment
    from homecare.people.models import Individual
    from homecare.workforce.models import CareWorker
    from tests import factories as f

    council = f.CouncilFactory(name="Lancashire County Council")
    provider = f.ProviderFactory(name="Pennine Care at Home Ltd")
    area = f.AreaFactory(organisation=council)
    contract = f.ContractFactory(
        organisation=council, provider=provider, areas=[area], rulebook="lan-hc"
    )
    users = User.objects.bulk_create(
        [
            User(username=f"worker{i}", role=Role.CARE_WORKER, organisation=provider, password="!")
            for i in range(200)
        ]
    )
    workers = CareWorker.objects.bulk_create(
        [
            f.CareWorkerFactory.build(organisation=provider, user=u, given_name=f"W{i}")
            for i, u in enumerate(users)
        ]
    )
    sign_in = phone_token_for if auth == "token" else session_for
    tokens = {w.pk: sign_in(w.user) for w in workers}
    people = Individual.objects.bulk_create(
        [f.IndividualFactory.build(organisation=council, area=area) for _ in range(1000)]
    )
    today = timezone.localdate()
    packages = CarePackage.objects.bulk_create(
        [
            CarePackage(
                organisation=provider,
                contract=contract,
                individual=p,
                reference=f"PKG-{i:05d}",
                status="active",
                start_date=today,
                status_effective_on=today,
            )
            for i, p in enumerate(people)
        ]
    )
    now = timezone.now().replace(second=0, microsecond=0)
    rows = []
    for i in range(visits_needed):
        package = packages[i % len(packages)]
        # Ordered within half an hour of now, so most check-ins are on time; one in
        # twenty was ordered an hour earlier: a late call, which tells the council.
        at = now + timedelta(minutes=-60 if i % 20 == 0 else (i * 7) % 60 - 30)
        rows.append(
            Visit(
                organisation=provider,
                package=package,
                individual_id=package.individual_id,
                date=timezone.localdate(at),
                planned_start=at,
                planned_end=at + timedelta(minutes=30),
                duration_minutes=30,
                tasks=["Personal care"],
            )
        )
    visits = Visit.objects.bulk_create(rows, batch_size=2000)
    VisitAssignment.objects.bulk_create(
        [
            VisitAssignment(organisation=provider, visit=v, worker=workers[i % len(workers)])
            for i, v in enumerate(visits)
        ],
        batch_size=2000,
    )
    from homecare.monitoring.services import watches_ensure

    for day in {v.date for v in visits}:
        watches_ensure(day=day)  # what the call monitor does at each sweep
    headers = [tokens[w.pk] for w in workers]
    return [(str(v.pk), i % len(workers)) for i, v in enumerate(visits)], headers


def phone_token_for(user) -> dict:
    """Headers of a phone whose worker signed in and got a phone token."""
    from homecare.api_tokens.services import phone_token_create

    _token, plaintext = phone_token_create(user=user)
    return {"Authorization": f"Bearer {plaintext}"}


def session_for(user) -> dict:
    """Cookie header of a signed-in phone (second factor verified) with its CSRF secret,
    as after the worker signs in to the app."""
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore
    from django.utils.crypto import get_random_string
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = TOTPDevice.objects.create(user=user, name="phone", confirmed=True)
    session = SessionStore()
    now = time.time()
    session.update(
        {
            SESSION_KEY: str(user.pk),
            BACKEND_SESSION_KEY: "django.contrib.auth.backends.ModelBackend",
            HASH_SESSION_KEY: user.get_session_auth_hash(),
            "otp_device_id": device.persistent_id,
            "signed_in_at": now,
            "last_seen_at": now,
        }
    )
    session.create()
    csrf = get_random_string(32)
    return {
        "Cookie": f"{settings.SESSION_COOKIE_NAME}={session.session_key}; csrftoken={csrf}",
        "X-CSRFToken": csrf,
    }


# ------------------------------------------------------------------ the load


def requests_for(visits, batch: int, headers: list[dict]):
    """Work items, each one phone's ``batch`` visits: (headers, check-in body, check-out
    body, events), interleaved across phones."""
    by_phone: dict[int, list[str]] = {}
    for visit_id, phone in visits:
        by_phone.setdefault(phone, []).append(visit_id)
    chunks = [
        (i, phone, ids[i : i + batch])
        for phone, ids in by_phone.items()
        for i in range(0, len(ids), batch)
    ]
    chunks.sort(key=lambda c: (c[0], c[1]))  # round the phones, as a day's work goes
    return [
        (
            {"Content-Type": "application/json", **headers[phone]},
            template(ids, "check_in"),
            template(ids, "check_out"),
            len(ids),
        )
        for _i, phone, ids in chunks
    ]


def sustained(port, work, *, seconds, clients):
    """Closed loop: each phone sends its check-ins, then their check-outs
    (:func:`benchmarks.ecm_http.closed_loop`)."""
    return closed_loop(port, work, seconds=seconds, clients=clients, stamp_body=stamp)


def storm(port, visits, headers, *, events_total, clients, seconds_limit):
    """Each event sent three times, the copies shuffled and raced."""
    from datetime import UTC, datetime

    pairs = visits[: events_total // 2]
    device_at = f'"device_at":"{datetime.now(UTC).isoformat()}"'
    by_phone: dict[int, list[str]] = {}
    for visit_id, phone in pairs:
        by_phone.setdefault(phone, []).extend(
            [template([visit_id], "check_in"), template([visit_id], "check_out")]
        )
    batches = []
    for phone, events in by_phone.items():
        for i in range(0, len(events), 50):
            # The same events (keys, device times) in each copy; each copy is
            # stamped when it is sent, as a phone resending its queue.
            inner = ",".join(
                e.split('"events":[', 1)[1][:-2].replace('"device_at":"%(now)s"', device_at)
                for e in events[i : i + 50]
            )
            body = f'{{"sent_at":"%(now)s","events":[{inner}]}}'
            batches.append(({"Content-Type": "application/json", **headers[phone]}, body))
    sends = batches * 3
    random.Random(6).shuffle(sends)
    lock = threading.Lock()
    cursor = iter(sends)
    results = {"accepted": 0, "replayed": 0, "other": 0, "errors": 0}
    deadline = time.perf_counter() + seconds_limit

    def client():
        phone = Phone(port)
        try:
            while time.perf_counter() < deadline:
                with lock:
                    item = next(cursor, None)
                if item is None:
                    return
                headers, body = item
                try:
                    _elapsed, answer = phone.post(headers, stamp(body))
                except (RuntimeError, OSError):
                    with lock:
                        results["errors"] += 1
                    continue
                with lock:
                    for r in answer["results"]:
                        if r.get("replayed"):
                            results["replayed"] += 1
                        elif r["outcome"] == "accepted":
                            results["accepted"] += 1
                        else:
                            results["other"] += 1
        finally:
            phone.close()

    started = time.perf_counter()
    threads = [threading.Thread(target=client) for _ in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return time.perf_counter() - started, len(sends), results, pairs


def measure(port, server_pid, work, args, batch) -> dict:
    """One sustained phase: events/s, latency, server CPU and the load generator's CPU."""
    cpu_before, mine_before = server_cpu_seconds(server_pid), time.process_time()
    pg_before = postgres_cpu_seconds()
    elapsed, latencies, counts = sustained(port, work, seconds=args.seconds, clients=args.clients)
    accepted = max(counts["accepted"], 1)
    server_ms = (server_cpu_seconds(server_pid) - cpu_before) * 1000 / accepted
    client_ms = (time.process_time() - mine_before) * 1000 / accepted
    pg_ms = (postgres_cpu_seconds() - pg_before) * 1000 / accepted
    lat = sorted(latencies)
    figures = {
        "rate": counts["accepted"] / elapsed,
        "p50": statistics.median(lat) * 1000,
        "p99": lat[min(len(lat) - 1, int(len(lat) * 0.99))] * 1000,
    }
    print(
        f"sustained, {batch} event(s) a request: {counts['accepted']:,} events accepted "
        f"({counts['other']} not) in {elapsed:.1f} s = {figures['rate']:,.0f} events/s "
        f"(target >= {TARGET_RATE}); {len(lat):,} requests, latency p50 {figures['p50']:.1f} ms, "
        f"p99 {figures['p99']:.1f} ms (target < {TARGET_P99_MS} ms)"
    )
    print(
        f"  CPU per event: server {server_ms:.1f} ms (Django processes), PostgreSQL "
        f"{pg_ms:.1f} ms, load generator {client_ms:.2f} ms "
        f"({client_ms * figures['rate'] / 10:.0f}% of one core); load average now "
        f"{os.getloadavg()[0]:.2f}"
    )
    return figures


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seconds", type=float, default=15, help="of each sustained phase")
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--server", choices=["granian", "wsgiref"], default="granian")
    parser.add_argument("--procs", type=int, default=2, help="server processes")
    parser.add_argument("--threads", type=int, default=8, help="threads per server process")
    parser.add_argument("--auth", choices=["token", "session"], default="token")
    parser.add_argument("--batch", type=int, default=1, help="events a request (primary)")
    parser.add_argument(
        "--app-batch", type=int, default=50, help="events a request, second phase (0: none)"
    )
    parser.add_argument("--storm", type=int, default=10_000)
    parser.add_argument("--storm-limit", type=float, default=300, help="seconds")
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--serve", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    database_url = os.environ.get("DATABASE_URL", DEFAULT_URL)
    os.environ.update(environment(database_url))
    if args.serve:
        serve(args.port, args.procs, args.threads)
        return 0
    if not database_url.startswith("postgres"):
        print("This benchmark runs on PostgreSQL: set DATABASE_URL=postgres://...")
        return 2

    command = " ".join(shlex.quote(a) for a in [".venv/bin/python", *sys.argv])
    print(f"$ DATABASE_URL={database_url} {command}")
    print(
        f"{time.strftime('%Y-%m-%d %H:%M %Z')}, load average {os.getloadavg()[0]:.2f} on "
        f"{os.cpu_count()} cores; server {args.server} ({args.procs} processes x "
        f"{args.threads} threads), {args.clients} clients, phones sign with a {args.auth}"
    )
    recreate_database(database_url)
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    phases = [args.batch] + ([args.app_batch] if args.app_batch else [])
    per_phase = int(TARGET_RATE * 2 * args.seconds / 2)  # visits: two events each, with room
    visits, headers = build(per_phase * len(phases) + args.storm // 2 + 200, args.auth)
    storm_visits, load_visits = visits[: args.storm // 2], visits[args.storm // 2 :]
    from django.db import connections

    connections.close_all()

    if args.server == "granian":
        argv = granian_command(args.port, args.procs, args.threads)
    else:
        argv = [sys.executable, __file__, "--serve", "--port", str(args.port)]
        argv += ["--procs", str(args.procs), "--threads", str(args.threads)]
    server = subprocess.Popen(argv, env=os.environ.copy())
    figures = []
    try:
        for _ in range(100):
            try:
                socket.create_connection(("127.0.0.1", args.port), timeout=0.2).close()
                break
            except OSError:
                time.sleep(0.1)
        # Warm up each process (imports, rulebooks, connections): not timed.
        warm = requests_for(load_visits[:100], 1, headers)
        sustained(args.port, warm, seconds=30, clients=args.clients)
        rest = load_visits[100:]
        for n, batch in enumerate(phases):
            work = requests_for(rest[n * per_phase : (n + 1) * per_phase], batch, headers)
            figures.append(measure(args.port, server.pid, work, args, batch))
        took, sent, results, pairs = storm(
            args.port,
            storm_visits,
            headers,
            events_total=args.storm,
            clients=args.clients,
            seconds_limit=args.storm_limit,
        )
    finally:
        server.terminate()
        server.wait(timeout=30)

    from homecare.visits.models import CallRecord, VisitEvent

    ids = [v for v, _ in pairs]
    recorded = VisitEvent.objects.filter(visit_id__in=ids)
    accepted = recorded.filter(outcome="accepted").count()
    completed = CallRecord.objects.filter(visit_id__in=ids, status="completed").count()
    total = recorded.count()
    print(
        f"replay storm: {args.storm:,} events sent 3 times ({sent:,} requests of up to 50, "
        f"shuffled, {args.clients} clients) in {took:.1f} s: {results['accepted']:,} accepted "
        f"first time, {results['replayed']:,} answered as replays, {results['other']} refused, "
        f"{results['errors']} failed requests; recorded {total:,} events ({accepted:,} "
        f"accepted), {completed:,} of {len(pairs):,} calls completed"
    )
    primary = figures[0]
    ok = (
        primary["rate"] >= TARGET_RATE
        and primary["p99"] < TARGET_P99_MS
        and total == args.storm
        and accepted == args.storm
        and completed == len(pairs)
    )
    print(
        "PASS" if ok else "MISSED a target",
        f"(primary figure: {args.batch} event(s) a request; load average now "
        f"{os.getloadavg()[0]:.2f})",
    )
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
