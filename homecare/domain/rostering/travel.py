"""Travel-time providers: a matrix of minutes between locations.

Every provider has ``matrix(locations) -> list[list[float]]`` (row = from,
column = to, minutes). ``Problem`` asks once per solve for the distinct
locations it uses.

* ``MatrixTravel``: a given matrix, locations are its indices (benchmarks).
* ``StraightLineTravel``: great-circle (haversine) distance between
  ``(lat, lon)`` pairs times a road factor, at a fixed speed. The defaults
  (road factor 1.4, 25 km/h) are a town-and-country driving guess; pass your
  own.
* ``OsrmTravel`` / ``ValhallaTravel``: HTTP clients for a routing server's
  matrix endpoint (OSRM ``/table/v1/driving/``, Valhalla
  ``/sources_to_targets``). Used only when a URL is configured; a missing
  route or an unreachable server raises ``TravelError``, never a guess.
"""

from __future__ import annotations

import json
import math
import urllib.request
from collections.abc import Sequence

import numpy as np

EARTH_RADIUS_KM = 6371.0088


class TravelError(RuntimeError):
    """The travel provider could not answer (server down, no route, bad reply)."""


class MatrixTravel:
    """A fixed matrix; a location is a row/column index."""

    def __init__(self, minutes: Sequence[Sequence[float]]):
        self.minutes = minutes

    def matrix(self, locations: Sequence[int]) -> list[list[float]]:
        rows = []
        for a in locations:
            try:
                row = self.minutes[a]
                rows.append([row[b] for b in locations])
            except (IndexError, TypeError, KeyError) as exc:
                raise TravelError(f"no travel time for location {a!r}") from exc
        return rows


def haversine_km(a: tuple[float, float], b: tuple[float, float]) -> float:
    """Great-circle distance in km between two ``(lat, lon)`` points in degrees."""
    lat1, lon1 = map(math.radians, a)
    lat2, lon2 = map(math.radians, b)
    h = (
        math.sin((lat2 - lat1) / 2) ** 2
        + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    )
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(h)))


class StraightLineTravel:
    """Minutes = haversine km x ``road_factor`` / ``speed_kmh`` x 60, rounded up.

    ``road_factor`` (default 1.4) turns crow-flies into road distance;
    ``speed_kmh`` (default 25) is the average door-to-door speed including
    parking; ``whole_minutes`` rounds each leg up to a whole minute.
    """

    def __init__(
        self, *, road_factor: float = 1.4, speed_kmh: float = 25.0, whole_minutes: bool = True
    ):
        if road_factor <= 0 or speed_kmh <= 0:
            raise ValueError("road factor and speed must be positive")
        self.road_factor = road_factor
        self.speed_kmh = speed_kmh
        self.whole_minutes = whole_minutes

    def minutes(self, a, b) -> float:
        if a == b:
            return 0
        m = haversine_km(a, b) * self.road_factor / self.speed_kmh * 60
        return math.ceil(m - 1e-9) if self.whole_minutes else m

    def matrix(self, locations):
        return self.matrix_array(locations).tolist()

    def matrix_array(self, locations) -> np.ndarray:
        """The whole matrix at once with numpy (2,000 places in a fraction of a second;
        the same figures as :meth:`minutes`)."""
        if not len(locations):
            return np.zeros((0, 0))
        pts = np.radians(np.array(locations, dtype=float).reshape(len(locations), 2))
        lat, lon = pts[:, 0][:, None], pts[:, 1][:, None]
        h = (
            np.sin((lat.T - lat) / 2) ** 2
            + np.cos(lat) * np.cos(lat.T) * np.sin((lon.T - lon) / 2) ** 2
        )
        km = 2 * EARTH_RADIUS_KM * np.arcsin(np.minimum(1.0, np.sqrt(h)))
        minutes = km * self.road_factor / self.speed_kmh * 60
        if self.whole_minutes:
            minutes = np.ceil(minutes - 1e-9)
        np.fill_diagonal(minutes, 0)
        return minutes


def _get_json(request: urllib.request.Request, timeout: float) -> dict:
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return json.loads(response.read().decode("utf-8"))
    except (OSError, ValueError) as exc:
        raise TravelError(f"routing server did not answer: {exc}") from exc


def _check_points(locations) -> None:
    for loc in locations:
        if not (isinstance(loc, tuple | list) and len(loc) == 2):
            raise TravelError(f"location {loc!r} is not a (lat, lon) pair")


def _whole(seconds: float, whole_minutes: bool) -> float:
    m = seconds / 60
    return math.ceil(m - 1e-9) if whole_minutes else m


class OsrmTravel:
    """OSRM table service: ``GET {url}/table/v1/{profile}/{lon,lat;...}?annotations=duration``.

    The reply's ``durations`` (seconds, ``null`` where there is no route) become
    minutes.
    """

    def __init__(
        self, url: str, *, profile: str = "driving", timeout: float = 30, whole_minutes=True
    ):
        self.url = url.rstrip("/")
        self.profile = profile
        self.timeout = timeout
        self.whole_minutes = whole_minutes

    def matrix(self, locations):
        _check_points(locations)
        coords = ";".join(f"{lon:.6f},{lat:.6f}" for lat, lon in locations)
        request = urllib.request.Request(
            f"{self.url}/table/v1/{self.profile}/{coords}?annotations=duration"
        )
        body = _get_json(request, self.timeout)
        if body.get("code") != "Ok" or "durations" not in body:
            raise TravelError(f"OSRM answered {body.get('code')!r}: {body.get('message', '')}")
        rows = body["durations"]
        if len(rows) != len(locations) or any(len(r) != len(locations) for r in rows):
            raise TravelError("OSRM matrix has the wrong size")
        out = []
        for i, row in enumerate(rows):
            line = []
            for j, sec in enumerate(row):
                if sec is None:
                    raise TravelError(f"OSRM has no route from {locations[i]} to {locations[j]}")
                line.append(_whole(sec, self.whole_minutes))
            out.append(line)
        return out


class ValhallaTravel:
    """Valhalla matrix service: ``POST {url}/sources_to_targets`` with JSON.

    Sends ``sources``/``targets`` as ``{"lat", "lon"}`` and reads
    ``sources_to_targets[i][j]["time"]`` (seconds, ``null`` where there is no
    route).
    """

    def __init__(self, url: str, *, costing: str = "auto", timeout: float = 30, whole_minutes=True):
        self.url = url.rstrip("/")
        self.costing = costing
        self.timeout = timeout
        self.whole_minutes = whole_minutes

    def matrix(self, locations):
        _check_points(locations)
        points = [{"lat": lat, "lon": lon} for lat, lon in locations]
        payload = json.dumps({"sources": points, "targets": points, "costing": self.costing})
        request = urllib.request.Request(
            f"{self.url}/sources_to_targets",
            data=payload.encode("utf-8"),
            headers={"Content-Type": "application/json"},
            method="POST",
        )
        body = _get_json(request, self.timeout)
        rows = body.get("sources_to_targets")
        if not isinstance(rows, list) or len(rows) != len(locations):
            raise TravelError(f"Valhalla answered without a matrix: {str(body)[:200]}")
        out = []
        for i, row in enumerate(rows):
            line = [None] * len(locations)
            for cell in row:
                j = cell.get("to_index")
                sec = cell.get("time")
                if j is None or sec is None:
                    raise TravelError(f"Valhalla has no route from {locations[i]}")
                line[j] = _whole(sec, self.whole_minutes)
            if any(v is None for v in line):
                raise TravelError("Valhalla matrix is incomplete")
            out.append(line)
        return out
