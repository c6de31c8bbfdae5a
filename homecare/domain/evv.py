"""Electronic visit verification: where and when a care worker's event happened.

Plain Python, no Django. The services in ``homecare.visits`` call these to
decide whether a check-in is verified (GPS within the contract's radius of the
home, the home's tag code, or a manual reason the coordinator approves) and
what time to record for an event sent late from a phone whose clock is wrong.

Clock skew: the phone stamps each event with its own clock (``device_at``) and
stamps the batch when it sends it (``sent_at``, same clock). The server knows
when the batch arrived, so ``arrived - sent_at`` is how far the phone's clock
is behind; adding it to ``device_at`` gives the event's time on the server's
clock. An event queued offline for an hour keeps its real time; a phone set a
day fast is corrected; an event still in the future after correction (beyond
:data:`FUTURE_TOLERANCE`) is refused.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime, timedelta

#: How far in the future (after correcting the phone's clock) an event may be
#: stamped before it is refused: network time and a few seconds of drift.
FUTURE_TOLERANCE = timedelta(minutes=5)
#: A correction smaller than this is not applied: ``arrived - sent_at`` also holds the
#: time the batch spent on the network and in the server's queue (seconds, under
#: load tens of seconds), which is not the phone's clock being wrong.
SKEW_IGNORED_BELOW = timedelta(minutes=2)
#: A check-out stamped this little before the check-in is the two events' clock
#: corrections differing, not a check-out before a check-in: it counts at the check-in.
ORDER_TOLERANCE = timedelta(minutes=2)
#: The methods a rulebook's ``visit.checkin_methods`` may list.
METHODS = ("gps", "tag", "manual")

EARTH_RADIUS_METRES = 6_371_000


def distance_metres(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance between two points (haversine), in metres."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_METRES * math.asin(math.sqrt(min(1.0, a)))


def parse_methods(text: str) -> tuple[str, ...]:
    """The verification methods a contract allows, from its rulebook text."""
    methods = tuple(m for m in text.replace("_", " ").replace(",", " ").split() if m)
    unknown = [m for m in methods if m not in METHODS]
    if unknown or not methods:
        raise ValueError(
            f"visit.checkin_methods must list some of {', '.join(METHODS)}; got {text!r}"
        )
    return methods


@dataclass(frozen=True)
class Verification:
    """The outcome of verifying where an event happened."""

    method: str
    verified: bool  # True: stands on its own; False: refused or waits for approval
    needs_approval: bool = False
    distance_metres: float | None = None
    reason: str = ""


def verify(
    *,
    method: str,
    allowed: tuple[str, ...],
    radius_metres: int,
    home: tuple[float, float],
    position: tuple[float, float] | None = None,
    accuracy_metres: float | None = None,
    tag_code: str = "",
    home_tag_code: str = "",
    manual_reason: str = "",
) -> Verification:
    """Verify an arrival or departure by ``method``.

    GPS passes when the position is within ``radius_metres`` of the home, allowing
    the phone's reported accuracy up to the radius again (a fix of ±150 m cannot
    prove someone 250 m away was outside a 200 m circle, but a fix of ±5 km proves
    nothing). A tag passes when the code matches the home's. Manual needs a reason
    and waits for the coordinator.
    """
    if method not in METHODS:
        return Verification(method, False, reason=f"Unknown verification method {method!r}.")
    if method not in allowed:
        return Verification(
            method, False, reason=f"This contract does not allow {method} verification."
        )
    if method == "gps":
        if position is None:
            return Verification(method, False, reason="No location was sent with the event.")
        distance = distance_metres(position[0], position[1], home[0], home[1])
        slack = min(max(accuracy_metres or 0.0, 0.0), float(radius_metres))
        if distance <= radius_metres + slack:
            return Verification(method, True, distance_metres=distance)
        return Verification(
            method,
            False,
            distance_metres=distance,
            reason=(
                f"The phone was {distance:,.0f} m from the home; the contract allows "
                f"{radius_metres} m. Scan the home's tag or give a reason for the office."
            ),
        )
    if method == "tag":
        if not home_tag_code:
            return Verification(method, False, reason="This home has no tag code on record.")
        if tag_code.strip().upper() != home_tag_code.strip().upper():
            return Verification(method, False, reason="The tag code does not match this home.")
        return Verification(method, True)
    if not manual_reason.strip():
        return Verification(method, False, reason="A manual check-in needs a reason.")
    return Verification(method, False, needs_approval=True)


@dataclass(frozen=True)
class EventTime:
    """When an event happened on the server's clock, and how the phone's clock was off."""

    occurred_at: datetime
    skew: timedelta  # server minus phone; positive when the phone is slow
    refused: str = ""


def event_time(
    *, device_at: datetime, received_at: datetime, sent_at: datetime | None = None
) -> EventTime:
    """Correct ``device_at`` for the phone's clock (see the module docstring)."""
    skew = received_at - sent_at if sent_at is not None else timedelta(0)
    if abs(skew) < SKEW_IGNORED_BELOW:
        skew = timedelta(0)
    occurred = device_at + skew
    if occurred > received_at + FUTURE_TOLERANCE:
        ahead = occurred - received_at
        return EventTime(
            occurred,
            skew,
            refused=(
                f"The event is stamped {_describe(ahead)} in the future. "
                "Check the phone's date and time, then send it again."
            ),
        )
    return EventTime(min(occurred, received_at), skew)


def _describe(delta: timedelta) -> str:
    minutes = int(delta.total_seconds() // 60)
    if minutes >= 2 * 24 * 60:
        return f"{minutes // (24 * 60)} days"
    if minutes >= 120:
        return f"{minutes // 60} hours"
    return f"{minutes} minutes"


def care_timer_start(*, workers_required: int, arrivals: list[datetime]) -> datetime | None:
    """When care starts (KENT-3.3.7): at the first arrival on a single-handed visit,
    and when the second worker is in on a double-handed one."""
    if len(arrivals) < workers_required or not arrivals:
        return None
    return sorted(arrivals)[workers_required - 1]


def assign_doses(
    visits: list[tuple[object, datetime, datetime]], due_times: list[datetime]
) -> dict[datetime, object]:
    """Which visit of the day each dose time falls to: the visit whose planned span
    is nearest the time (inside it counts as 0), the earlier on a tie.

    ``visits`` are ``(key, start, end)``; returns ``{due_time: key}``.
    """
    if not visits:
        return {}
    assigned = {}
    for due in due_times:

        def gap(v, due=due):
            _key, start, end = v
            if start <= due <= end:
                return timedelta(0)
            return start - due if due < start else due - end

        best = min(sorted(visits, key=lambda v: v[1]), key=gap)
        assigned[due] = best[0]
    return assigned
