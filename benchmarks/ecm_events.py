"""Electronic call monitoring benchmark: check-in/check-out events through the real
HTTP endpoint, and a replay storm.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_ecm \\
        .venv/bin/python benchmarks/ecm_events.py [--seconds 20] [--clients 16] \\
        [--procs 2] [--threads 8] [--batch 1] [--storm 10000]

1. Recreates the PostgreSQL database named in ``DATABASE_URL`` (default
   ``bench_ecm`` on 127.0.0.1), migrates it and builds one provider on a
   Lancashire contract, 200 care workers (each signed in: a session with the
   second factor verified and a CSRF token, as the app holds), 1,000 people and enough single-handed visits for
   today, each assigned to one worker.
2. Starts a real server in a child process: ``--procs`` pre-forked processes,
   each a WSGI server (``wsgiref``) answering with a pool of ``--threads``
   threads that keep their database connections, serving the Django project
   with DEBUG off, on a loopback port.
3. Sustained load, bounded by ``--seconds``: ``--clients`` threads each take
   the next visit and POST its check-in, then its check-out, to
   ``/visits/api/events/`` (``--batch`` events per request; 1 = one event per
   request, so the latency is per event). Prints accepted events a second and
   the p50/p99 request latency against the targets (**500 events/s on 2
   cores, p99 under 100 ms**).
4. Replay storm: ``--storm`` events (check-in and check-out of storm/2 fresh
   visits, 50 to a batch as the app sends them) are each sent three times,
   the 3x batches shuffled and sent by the same clients at once, so copies of
   the same event race each other. Then counts the database: exactly
   ``--storm`` events recorded, all accepted, storm/2 calls completed once.

A script, not a test (see benchmarks/README.md). Prints the command that ran it
and exits 1 when a target is missed.
"""

from __future__ import annotations

import argparse
import http.client
import itertools
import json
import os
import random
import shlex
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
import uuid
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/bench_ecm"
TARGET_RATE = 500
TARGET_P99_MS = 100
EVENTS = "/visits/api/events/"
HOME = ("53.749000", "-2.500000")


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


# ------------------------------------------------------------------ the server


def serve(port: int, procs: int, threads: int) -> None:
    """Pre-forked WSGI servers sharing one listening socket, each answering with a
    fixed pool of threads (so each thread keeps its database connection)."""
    from concurrent.futures import ThreadPoolExecutor
    from wsgiref.simple_server import WSGIRequestHandler, WSGIServer

    import django

    django.setup()
    from django.core.wsgi import get_wsgi_application

    application = get_wsgi_application()

    class Quiet(WSGIRequestHandler):
        def log_message(self, *args):
            pass

    class Server(WSGIServer):
        request_queue_size = 512
        pool: ThreadPoolExecutor

        def process_request(self, request, client_address):
            self.pool.submit(self._handle, request, client_address)

        def _handle(self, request, client_address):
            try:
                self.finish_request(request, client_address)
            except Exception:
                self.handle_error(request, client_address)
            finally:
                self.shutdown_request(request)

    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    listener.bind(("127.0.0.1", port))
    listener.listen(512)
    children = []
    for _ in range(procs):
        pid = os.fork()
        if pid == 0:
            server = Server(("127.0.0.1", port), Quiet, bind_and_activate=False)
            server.socket.close()
            server.socket = listener
            server.server_address = listener.getsockname()
            server.server_name, server.server_port = "127.0.0.1", port
            server.setup_environ()
            server.set_app(application)
            server.pool = ThreadPoolExecutor(max_workers=threads)
            server.serve_forever()
            os._exit(0)
        children.append(pid)

    def stop(*_):
        for pid in children:
            os.kill(pid, signal.SIGTERM)
        sys.exit(0)

    signal.signal(signal.SIGTERM, stop)
    for pid in children:
        os.waitpid(pid, 0)


def server_cpu_seconds(pid: int) -> float:
    """CPU time (user + system) of the server's pre-forked processes so far."""
    ticks = os.sysconf("SC_CLK_TCK")
    try:
        children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    except OSError:
        return 0.0
    total = 0
    for child in [str(pid), *children]:
        try:
            fields = Path(f"/proc/{child}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += int(fields[11]) + int(fields[12])
    return total / ticks


# ------------------------------------------------------------------ the world


def build(visits_needed: int):
    """Provider, workers with tokens, people, and today's visits (bulk inserts)."""
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
    tokens = {w.pk: session_for(w.user) for w in workers}
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
    start = timezone.now().replace(minute=0, second=0, microsecond=0)
    rows = []
    for i in range(visits_needed):
        package = packages[i % len(packages)]
        at = start + timedelta(minutes=(i * 7) % 600 - 300)
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
    return [(str(v.pk), tokens[workers[i % len(workers)].pk]) for i, v in enumerate(visits)]


def session_for(user) -> str:
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
    return f"{settings.SESSION_COOKIE_NAME}={session.session_key}; csrftoken={csrf}|{csrf}"


# ------------------------------------------------------------------ the load


def event(visit_id: str, kind: str) -> dict:
    from datetime import UTC, datetime

    return {
        "key": str(uuid.uuid4()),
        "kind": kind,
        "visit": visit_id,
        "device_at": datetime.now(UTC).isoformat(),
        "latitude": HOME[0],
        "longitude": HOME[1],
        "accuracy": 12,
        "method": "gps",
    }


def post(port: int, token: str, events: list[dict]) -> tuple[float, dict]:
    from datetime import UTC, datetime

    body = json.dumps({"sent_at": datetime.now(UTC).isoformat(), "events": events})
    started = time.perf_counter()
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=180)
    try:
        conn.request(
            "POST",
            EVENTS,
            body,
            {
                "Content-Type": "application/json",
                "Cookie": token.split("|")[0],
                "X-CSRFToken": token.split("|")[1],
            },
        )
        response = conn.getresponse()
        data = response.read()
    finally:
        conn.close()
    elapsed = time.perf_counter() - started
    if response.status != 200:
        raise RuntimeError(f"HTTP {response.status}: {data[:300]!r}")
    return elapsed, json.loads(data)


def sustained(port, visits, *, seconds, clients, batch):
    """Closed loop: each client sends check-ins then check-outs of its next visits."""
    lock = threading.Lock()
    cursor = iter(visits)
    latencies, counts = [], {"accepted": 0, "other": 0}
    deadline = time.perf_counter() + seconds

    def take():
        with lock:
            return list(itertools.islice(cursor, batch))

    def client():
        while time.perf_counter() < deadline:
            chunk = take()
            if not chunk:
                return
            by_token = {}
            for visit_id, token in chunk:
                by_token.setdefault(token, []).append(visit_id)
            for kind in ("check_in", "check_out"):
                for token, ids in by_token.items():
                    elapsed, answer = post(port, token, [event(v, kind) for v in ids])
                    ok = sum(r["outcome"] == "accepted" for r in answer["results"])
                    with lock:
                        latencies.append(elapsed)
                        counts["accepted"] += ok
                        counts["other"] += len(answer["results"]) - ok

    started = time.perf_counter()
    threads = [threading.Thread(target=client) for _ in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return time.perf_counter() - started, latencies, counts


def storm(port, visits, *, events_total, clients, seconds_limit):
    """Each event sent three times, the copies shuffled and raced."""
    pairs = visits[: events_total // 2]
    by_token = {}
    for visit_id, token in pairs:
        by_token.setdefault(token, []).extend(
            [event(visit_id, "check_in"), event(visit_id, "check_out")]
        )
    batches = [
        (token, events[i : i + 50])
        for token, events in by_token.items()
        for i in range(0, len(events), 50)
    ]
    sends = batches * 3
    random.Random(6).shuffle(sends)
    lock = threading.Lock()
    cursor = iter(sends)
    results = {"accepted": 0, "replayed": 0, "other": 0, "errors": 0}
    deadline = time.perf_counter() + seconds_limit

    def client():
        while time.perf_counter() < deadline:
            with lock:
                item = next(cursor, None)
            if item is None:
                return
            token, events = item
            try:
                _elapsed, answer = post(port, token, events)
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

    started = time.perf_counter()
    threads = [threading.Thread(target=client) for _ in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return time.perf_counter() - started, len(sends), results, pairs


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--procs", type=int, default=2)
    parser.add_argument("--threads", type=int, default=8, help="threads per server process")
    parser.add_argument("--batch", type=int, default=1)
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
    print(f"load average {os.getloadavg()[0]:.2f} on {os.cpu_count()} cores")
    recreate_database(database_url)
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    expected_rate = TARGET_RATE * 2  # visits are used two events at a time, with room
    visits = build(int(expected_rate * args.seconds / 2) + args.storm // 2 + 1000)
    storm_visits, load_visits = visits[: args.storm // 2], visits[args.storm // 2 :]
    from django.db import connections

    connections.close_all()

    server = subprocess.Popen(
        [
            sys.executable,
            __file__,
            "--serve",
            "--port",
            str(args.port),
            "--procs",
            str(args.procs),
            "--threads",
            str(args.threads),
        ],
        env=os.environ.copy(),
    )
    try:
        for _ in range(100):
            try:
                socket.create_connection(("127.0.0.1", args.port), timeout=0.2).close()
                break
            except OSError:
                time.sleep(0.1)
        # Warm up each process (imports, rulebooks, connections): not timed.
        sustained(args.port, load_visits[:40], seconds=30, clients=4, batch=1)
        cpu_before = server_cpu_seconds(server.pid)
        elapsed, latencies, counts = sustained(
            args.port,
            load_visits[40:],
            seconds=args.seconds,
            clients=args.clients,
            batch=args.batch,
        )
        rate = counts["accepted"] / elapsed
        cpu_ms = (server_cpu_seconds(server.pid) - cpu_before) * 1000 / max(counts["accepted"], 1)
        lat = sorted(latencies)
        p50 = statistics.median(lat) * 1000
        p99 = lat[min(len(lat) - 1, int(len(lat) * 0.99))] * 1000
        print(
            f"sustained: {counts['accepted']:,} events accepted ({counts['other']} not) in "
            f"{elapsed:.1f} s = {rate:,.0f} events/s (target >= {TARGET_RATE}); "
            f"{len(lat):,} requests of {args.batch} event(s), latency p50 {p50:.1f} ms, "
            f"p99 {p99:.1f} ms (target < {TARGET_P99_MS} ms); {args.clients} clients, "
            f"{args.procs} server processes"
        )
        print(
            f"server CPU: {cpu_ms:.1f} ms per event (Django processes only, PostgreSQL not "
            f"counted): at most {2000 / cpu_ms:,.0f} events/s on 2 idle cores "
            f"(load average now {os.getloadavg()[0]:.2f})"
        )
        took, sent, results, pairs = storm(
            args.port,
            storm_visits,
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
    ok = (
        rate >= TARGET_RATE
        and p99 < TARGET_P99_MS
        and total == args.storm
        and accepted == args.storm
        and completed == len(pairs)
    )
    print("PASS" if ok else "MISSED a target")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
