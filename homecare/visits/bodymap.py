"""The body map: a care worker marks a skin concern (bruise, pressure area, wound,
rash) on a front and back outline of the body, with a note. It is one more kind of
event from the phone (``skin``), so it goes through the same offline queue,
idempotency key and checks as a task or a dose (``services._event_service``), and
is registered with the other kinds in ``apps.VisitsConfig.ready``.

Payload: ``{"side": "front" | "back", "x": 0-200, "y": 0-440, "kind": ..., "note": ...}``.
"""

from __future__ import annotations

import math

from homecare.domain import bodymap

from . import services
from .models import CallWorker, SkinConcern

NOTE_LIMIT = 2000


def _number(payload: dict, name: str) -> int:
    value = payload.get(name)
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise services._Refused(f"'{name}' must be a number.")
    return round(value)


def _visit_record_skin(event, visit, worker, data):
    """A skin concern seen on this visit, marked on the body map (recorded once per
    event; a second mark is a second concern)."""
    if not CallWorker.objects.filter(call__visit=visit, worker=worker).exists():
        raise services._Refused("Check in to the visit before recording it.")
    payload = data.payload
    side, x, y = payload.get("side"), _number(payload, "x"), _number(payload, "y")
    try:
        bodymap.check(side, x, y)
    except ValueError as exc:
        raise services._Refused(str(exc)) from None
    kind = payload.get("kind")
    if kind not in SkinConcern.Kind.values:
        raise services._Refused(f"'kind' must be one of: {', '.join(SkinConcern.Kind.values)}.")
    note = payload.get("note", "")
    note = note.strip() if isinstance(note, str) else ""
    if not note:
        raise services._Refused("Describe what you saw (size, colour, what you did).")
    if len(note) > NOTE_LIMIT:
        raise services._Refused(f"The note is longer than {NOTE_LIMIT} characters.")
    event.save()
    SkinConcern.objects.create(
        organisation_id=visit.organisation_id,
        visit=visit,
        worker=worker,
        event=event,
        recorded_at=event.occurred_at,
        individual_id=visit.individual_id,
        side=side,
        x=x,
        y=y,
        region=bodymap.region(side, x, y),
        kind=kind,
        note=note,
    )


visit_record_skin = services._event_service(_visit_record_skin)
