"""Travel-time providers.

No OSRM or Valhalla server runs here, so their clients are tested against a
small local HTTP server that answers in the formats those projects document
(OSRM ``/table/v1`` with ``durations`` in seconds; Valhalla
``/sources_to_targets`` with ``time`` in seconds). That checks our requests
and our reading of the replies, not a real routing engine.
"""

import json
import math
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest

from homecare.domain.rostering import (
    OsrmTravel,
    Problem,
    ProblemError,
    StraightLineTravel,
    TravelError,
    ValhallaTravel,
    Visit,
    Worker,
    haversine_km,
    solve,
)

EDINBURGH = (55.9533, -3.1883)
GLASGOW = (55.8642, -4.2518)
LEITH = (55.9756, -3.1700)


def test_straight_line_uses_the_road_factor_and_speed():
    km = haversine_km(EDINBURGH, GLASGOW)
    assert 66 < km < 68
    travel = StraightLineTravel(road_factor=1.5, speed_kmh=60)
    m = travel.matrix([EDINBURGH, GLASGOW])
    assert m[0][0] == 0
    assert m[0][1] == m[1][0] == math.ceil(km * 1.5)  # 60 km/h: a minute a km, rounded up
    with pytest.raises(ValueError):
        StraightLineTravel(speed_kmh=0)


class _Handler(BaseHTTPRequestHandler):
    replies: dict = {}
    seen: list = []

    def log_message(self, *args):
        pass

    def _answer(self, body):
        data = json.dumps(body).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_GET(self):
        self.seen.append(("GET", self.path, None))
        self._answer(self.replies["osrm"])

    def do_POST(self):
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        self.seen.append(("POST", self.path, body))
        self._answer(self.replies["valhalla"])


@pytest.fixture
def server():
    _Handler.seen = []
    httpd = HTTPServer(("127.0.0.1", 0), _Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}", _Handler
    httpd.shutdown()
    httpd.server_close()


def test_osrm_table_request_and_reply(server):
    url, handler = server
    handler.replies = {"osrm": {"code": "Ok", "durations": [[0, 610.2], [590, 0]]}}
    m = OsrmTravel(url).matrix([EDINBURGH, LEITH])
    assert m == [[0, 11], [10, 0]]  # seconds to whole minutes, rounded up
    method, path, _ = handler.seen[0]
    assert method == "GET"
    assert path.startswith("/table/v1/driving/-3.188300,55.953300;-3.170000,55.975600")
    assert "annotations=duration" in path


def test_osrm_without_a_route_is_an_error_not_a_guess(server):
    url, handler = server
    handler.replies = {"osrm": {"code": "Ok", "durations": [[0, None], [590, 0]]}}
    with pytest.raises(TravelError, match="no route"):
        OsrmTravel(url).matrix([EDINBURGH, LEITH])
    handler.replies = {"osrm": {"code": "InvalidQuery", "message": "bad coordinates"}}
    with pytest.raises(TravelError, match="InvalidQuery"):
        OsrmTravel(url).matrix([EDINBURGH, LEITH])


def test_valhalla_matrix_request_and_reply(server):
    url, handler = server
    handler.replies = {
        "valhalla": {
            "sources_to_targets": [
                [
                    {"from_index": 0, "to_index": 0, "time": 0, "distance": 0},
                    {"from_index": 0, "to_index": 1, "time": 420, "distance": 3.1},
                ],
                [
                    {"from_index": 1, "to_index": 0, "time": 480, "distance": 3.2},
                    {"from_index": 1, "to_index": 1, "time": 0, "distance": 0},
                ],
            ]
        }
    }
    m = ValhallaTravel(url).matrix([EDINBURGH, LEITH])
    assert m == [[0, 7], [8, 0]]
    method, path, body = handler.seen[0]
    assert (method, path) == ("POST", "/sources_to_targets")
    assert body["sources"][1] == {"lat": LEITH[0], "lon": LEITH[1]}
    assert body["costing"] == "auto"


def test_an_unreachable_server_stops_the_solve_with_a_reason():
    dead = OsrmTravel("http://127.0.0.1:9", timeout=2)
    problem = Problem(
        visits=[Visit(id="v", client_id="c", location=LEITH, earliest=0, latest=60, duration=30)],
        workers=[Worker(id="w", start_location=EDINBURGH)],
        travel=dead,
    )
    with pytest.raises(ProblemError, match="travel times"):
        solve(problem, time_limit_s=0.1)
