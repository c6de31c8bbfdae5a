"""The HTTP side of ``benchmarks/ecm_events.py``: the server it starts (granian,
the production server, or the standard library's wsgiref pre-forked), the server's CPU time, and the
phones' keep-alive connections with request bodies built ahead."""

from __future__ import annotations

import http.client
import json
import os
import signal
import socket
import sys
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EVENTS = "/visits/api/events/"
HOME = ("53.749000", "-2.500000")


# ------------------------------------------------------------------ the server


def granian_command(port: int, procs: int, threads: int) -> list[str]:
    """The production server (README, "Deploying"): granian's WSGI interface,
    ``procs`` worker processes of ``threads`` threads each, HTTP/1.1 keep-alive."""
    return [
        str(Path(sys.executable).with_name("granian")),
        "--interface",
        "wsgi",
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
        "--workers",
        str(procs),
        "--blocking-threads",
        str(threads),
        "--backlog",
        "512",
        "--no-ws",
        "--http",
        "1",
        "--log-level",
        "warning",
        "--working-dir",
        str(ROOT),
        "homecare.wsgi:application",
    ]


def serve(port: int, procs: int, threads: int) -> None:
    """(``--server wsgiref``) Pre-forked WSGI servers sharing one listening socket, each answering with a
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


def postgres_cpu_seconds() -> float:
    """CPU time (user + system) of every PostgreSQL process on the machine so far
    (the benchmark's database server is on loopback)."""
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            head, _, tail = stat.read_text().rpartition(")")
        except OSError:
            continue
        if head.split("(", 1)[-1] in ("postgres", "postmaster"):
            fields = tail.split()
            total += int(fields[11]) + int(fields[12])
    return total / ticks


# ------------------------------------------------------------------ the phones


class Phone:
    """One client's persistent keep-alive connection to the server."""

    def __init__(self, port: int):
        self.port = port
        self.conn = None

    def post(self, headers: dict, body: bytes) -> tuple[float, dict]:
        started = time.perf_counter()
        for attempt in (1, 2):
            if self.conn is None:
                self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=180)
            try:
                self.conn.request("POST", EVENTS, body, headers)
                response = self.conn.getresponse()
                data = response.read()
                break
            except (http.client.HTTPException, OSError):
                self.conn.close()
                self.conn = None  # the server closed a kept-alive connection: reconnect once
                if attempt == 2:
                    raise
        if response.getheader("Connection", "").lower() == "close":
            self.conn.close()
            self.conn = None
        elapsed = time.perf_counter() - started
        if response.status != 200:
            raise RuntimeError(f"HTTP {response.status}: {data[:300]!r}")
        return elapsed, json.loads(data)

    def close(self):
        if self.conn is not None:
            self.conn.close()


def template(visit_ids: list[str], kind: str) -> str:
    """A request body built ahead: only the times (``%(now)s``) are filled in when sent."""
    events = ",".join(
        f'{{"key":"{uuid.uuid4()}","kind":"{kind}","visit":"{visit_id}",'
        f'"device_at":"%(now)s","latitude":"{HOME[0]}","longitude":"{HOME[1]}",'
        f'"accuracy":12,"method":"gps"}}'
        for visit_id in visit_ids
    )
    return f'{{"sent_at":"%(now)s","events":[{events}]}}'


def stamp(body: str) -> bytes:
    from datetime import UTC, datetime

    return (body % {"now": datetime.now(UTC).isoformat()}).encode()


# ------------------------------------------------------------------ the phones, in one thread


def request_bytes(port: int, headers: dict, body: bytes) -> bytes:
    """One POST to the events endpoint, as ``http.client`` writes it."""
    lines = [f"POST {EVENTS} HTTP/1.1", f"Host: 127.0.0.1:{port}"]
    lines += [f"{name}: {value}" for name, value in headers.items()]
    lines.append(f"Content-Length: {len(body)}")
    return ("\r\n".join(lines) + "\r\n\r\n").encode() + body


class _Conn:
    """One phone's keep-alive connection, driven by :func:`closed_loop`."""

    def __init__(self, port: int):
        self.sock = socket.create_connection(("127.0.0.1", port))
        self.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self.sock.setblocking(False)
        self.buffer = b""
        self.headers: dict = {}  # the phone's, from its work item
        self.pending: list[bytes] = []  # bodies still to send of the phone's item
        self.started = 0.0

    def response(self) -> bytes | None:
        """The body of the response read so far, once it is whole."""
        head_end = self.buffer.find(b"\r\n\r\n")
        if head_end < 0:
            return None
        head = self.buffer[:head_end].decode("latin-1")
        status = head.split(" ", 2)[1]
        length = None
        for line in head.split("\r\n")[1:]:
            name, _, value = line.partition(":")
            if name.strip().lower() == "content-length":
                length = int(value)
        if length is None:
            raise RuntimeError(f"A response without Content-Length: {head[:300]!r}")
        end = head_end + 4 + length
        if len(self.buffer) < end:
            return None
        body, self.buffer = self.buffer[head_end + 4 : end], self.buffer[end:]
        if status != "200":
            raise RuntimeError(f"HTTP {status}: {body[:300]!r}")
        return body


def closed_loop(port: int, work, *, seconds: float, clients: int, stamp_body):
    """The sustained load of ``clients`` phones, each on one keep-alive connection,
    driven from one thread with non-blocking sockets (a thread a phone costs the
    machine more than the requests do, and the server shares the machine): each
    phone takes the next work item ``(headers, check-in body, check-out body, n)``,
    sends the check-in, then the check-out once answered. Returns (seconds taken,
    each request's latency, counts of the events accepted and not)."""
    import selectors

    cursor = iter(work)
    latencies: list[float] = []
    counts = {"accepted": 0, "other": 0}
    selector = selectors.DefaultSelector()
    deadline = time.perf_counter() + seconds

    def send_next(conn: _Conn) -> bool:
        if not conn.pending:
            item = next(cursor, None) if time.perf_counter() < deadline else None
            if item is None:
                return False
            conn.headers, check_in, check_out, _n = item
            conn.pending = [check_in, check_out]
        data = request_bytes(port, conn.headers, stamp_body(conn.pending.pop(0)))
        conn.started = time.perf_counter()
        conn.sock.setblocking(True)
        conn.sock.sendall(data)
        conn.sock.setblocking(False)
        return True

    started = time.perf_counter()
    live = 0
    for _ in range(clients):
        conn = _Conn(port)
        if send_next(conn):
            selector.register(conn.sock, selectors.EVENT_READ, conn)
            live += 1
        else:
            conn.sock.close()
    while live:
        for key, _events in selector.select(timeout=180):
            conn = key.data
            chunk = conn.sock.recv(65536)
            if not chunk:
                raise RuntimeError("The server closed a kept-alive connection.")
            conn.buffer += chunk
            body = conn.response()
            if body is None:
                continue
            latencies.append(time.perf_counter() - conn.started)
            results = json.loads(body)["results"]
            ok = sum(r["outcome"] == "accepted" for r in results)
            counts["accepted"] += ok
            counts["other"] += len(results) - ok
            if not send_next(conn):
                selector.unregister(conn.sock)
                conn.sock.close()
                live -= 1
    selector.close()
    return time.perf_counter() - started, latencies, counts
