"""The production web server named in the README ("Deploying") serves the project:
granian's WSGI interface, started as the README says, answers the health check
with production settings behind the TLS proxy."""

import http.client
import os
import shlex
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def _readme_command() -> list[str]:
    for line in (ROOT / "README.md").read_text().splitlines():
        if line.startswith("`granian "):
            return shlex.split(line.strip("`"))
    raise AssertionError("The README names no granian command")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_the_readme_production_server_answers_the_health_check(tmp_path):
    argv = _readme_command()
    argv[0] = str(Path(sys.executable).with_name("granian"))
    port = _free_port()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "homecare.settings.production",
        "SECRET_KEY": "x" * 60,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "ALLOWED_HOSTS": "127.0.0.1",
    }
    server = subprocess.Popen(
        [*argv, "--port", str(port), "--workers", "1"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
                conn.request("GET", "/healthz", headers={"X-Forwarded-Proto": "https"})
                response = conn.getresponse()
                break
            except OSError:
                if server.poll() is not None or time.monotonic() > deadline:
                    pytest.fail(f"granian did not start: {server.stdout.read().decode()[-2000:]}")
                time.sleep(0.2)
        assert response.status == 200
        assert response.read() == b'{"ok": true}'
        assert response.getheader("Strict-Transport-Security", "").startswith("max-age=")
    finally:
        server.terminate()
        server.wait(timeout=30)
