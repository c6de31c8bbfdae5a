"""The JSON API of the care worker's phone app.

- ``GET /visits/api/rota/``: today's and tomorrow's visits of the signed-in care
  worker (``homecare.visits.selectors.rota``), the server's time and a fresh
  CSRF token for the queue to use.
- ``POST /visits/api/events/``: a batch of events from the phone's queue,
  ``{"sent_at": <phone clock>, "events": [{"key", "kind", "visit", "device_at",
  "latitude", "longitude", "accuracy", "method", "tag_code", "manual_reason",
  "payload"}]}``; answers one result per event in order:
  ``{"key", "outcome": accepted | rejected | invalid, "reason", "replayed"}``.
  A replayed key answers what it answered the first time. ``invalid`` is an
  event the server could not read (nothing recorded): the phone drops it and
  shows the reason.
- ``POST /visits/api/device-token/`` (session + CSRF only): a phone token for
  the signed-in care worker, ``{"token", "expires_at"}``. The phone then sends
  ``Authorization: Bearer <token>`` on its API calls instead of the session
  cookie, which spares each call a session read and write and the OTP device
  lookup (``homecare.api_tokens.middleware``). The token works on this API
  only, ends with the session's absolute timeout, and signing out revokes it.

Authentication and CSRF as the referrals API (``homecare.referrals.api.endpoint``).
"""

from __future__ import annotations

import json
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.http import Http404, JsonResponse
from django.middleware.csrf import get_token
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from homecare.api_tokens.services import phone_token_create
from homecare.referrals.api import endpoint
from homecare.referrals.api_schema import JSONBodyError

from . import arrivals, selectors, services

MAX_BATCH = 200


@endpoint("GET")
def rota(request):
    data = selectors.rota(request.user)
    data["csrf_token"] = get_token(request)
    return JsonResponse(data)


@endpoint("POST")
def device_token(request):
    if getattr(request, "api_token", None) is not None:
        raise Http404  # a token does not make tokens: the worker signs in
    try:
        token, plaintext = phone_token_create(user=request.user)
    except ValidationError:
        raise Http404 from None
    return JsonResponse(
        {"token": plaintext, "expires_at": token.expires_at.isoformat()}, status=201
    )


@endpoint("POST")
def events(request):
    received_at = timezone.now()
    try:
        body = json.loads(request.body or b"{}")
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise JSONBodyError("The body must be JSON.") from exc
    if not isinstance(body, dict) or not isinstance(body.get("events"), list):
        raise JSONBodyError('The body must be {"sent_at": ..., "events": [...]}.')
    if len(body["events"]) > MAX_BATCH:
        raise JSONBodyError(f"Send at most {MAX_BATCH} events at a time.")
    sent_at = _when(body.get("sent_at"))
    try:
        # Once for the whole batch (and once per phone token).
        worker = services.phone_worker(request.user, getattr(request, "api_token", None))
    except services.EventError as exc:
        worker, refused = None, str(exc)
    # A batch (a queue replayed after a lost answer) looks its keys up at once;
    # an event sent alone finds out it is a replay when its key is refused.
    keys = _keys(body["events"]) if len(body["events"]) > 1 else []
    known = services.events_recorded(keys) if keys else {}
    results: list = []
    checks: dict[int, arrivals.Check] = {}  # by place in results: written together

    def write_checks():
        # Check-ins and check-outs go to the process's group commit, with those of
        # the other requests in hand (homecare.visits.arrivals).
        answers = arrivals.group.submit(list(checks.values()))
        for (at, check), answer in zip(checks.items(), answers, strict=True):
            results[at] = _answer(check.data.key, answer)
        checks.clear()

    for raw in body["events"]:
        key = raw.get("key") if isinstance(raw, dict) else None
        try:
            data, visit_id = _event(raw)
            if worker is None:
                raise services.EventError(refused)
            if data.kind in arrivals.KINDS:
                checks[len(results)] = arrivals.Check(worker, visit_id, data, sent_at, received_at)
                results.append(None)
                continue
            if checks:  # the phone's order: what came before is written first
                write_checks()
            if data.key in known:
                event = services.event_replayed(known[data.key], worker)
            else:
                event = services.event_record(
                    user=request.user,
                    worker=worker,
                    visit_id=visit_id,
                    data=data,
                    sent_at=sent_at,
                    received_at=received_at,
                )
        except (ValueError, services.EventError) as exc:
            event = exc
        results.append(_answer(key, event))
    if checks:
        write_checks()
    return JsonResponse({"server_time": received_at.isoformat(), "results": results})


def _answer(key, event) -> dict:
    if isinstance(event, Exception):
        return {"key": key, "outcome": "invalid", "reason": str(event)}
    return {
        "key": event.idempotency_key,
        "outcome": event.outcome,
        "reason": event.reason,
        "replayed": event.replayed,
        "needs_approval": event.needs_approval,
        "occurred_at": event.occurred_at.isoformat(),
    }


def _keys(events: list) -> list[str]:
    """The keys of the events other than check-ins and check-outs (a batch of those
    looks its own keys up, with its visits locked)."""
    return [
        e["key"]
        for e in events
        if isinstance(e, dict)
        and isinstance(e.get("key"), str)
        and e.get("kind") not in arrivals.KINDS
    ]


def _when(value):
    if value in (None, ""):
        return None
    when = parse_datetime(str(value))
    if when is None or timezone.is_naive(when):
        raise JSONBodyError("Times must be ISO 8601 with a UTC offset, e.g. 2026-11-30T09:02Z.")
    return when


def _number(raw: dict, name: str):
    value = raw.get(name)
    if value in (None, ""):
        return None
    try:
        return Decimal(str(value))
    except InvalidOperation:
        raise ValueError(f"'{name}' must be a number.") from None


def _event(raw) -> tuple[services.EventInput, str]:
    """Read one event of a batch, or ValueError saying what is wrong with it."""
    if not isinstance(raw, dict):
        raise ValueError("Each event must be a JSON object.")
    key = raw.get("key")
    if not isinstance(key, str) or not 8 <= len(key) <= 64:
        raise ValueError("Each event needs a 'key' of 8 to 64 characters.")
    device_at = parse_datetime(str(raw.get("device_at") or ""))
    if device_at is None or timezone.is_naive(device_at):
        raise ValueError("'device_at' must be an ISO 8601 time with a UTC offset.")
    payload = raw.get("payload") or {}
    if not isinstance(payload, dict):
        raise ValueError("'payload' must be an object.")
    latitude, longitude = _number(raw, "latitude"), _number(raw, "longitude")
    if latitude is not None and not -90 <= latitude <= 90:
        raise ValueError("'latitude' must be between -90 and 90.")
    if longitude is not None and not -180 <= longitude <= 180:
        raise ValueError("'longitude' must be between -180 and 180.")
    accuracy = _number(raw, "accuracy")
    data = services.EventInput(
        key=key,
        kind=str(raw.get("kind") or ""),
        device_at=device_at,
        latitude=latitude.quantize(Decimal("0.000001")) if latitude is not None else None,
        longitude=longitude.quantize(Decimal("0.000001")) if longitude is not None else None,
        accuracy_metres=float(accuracy) if accuracy is not None else None,
        method=str(raw.get("method") or ""),
        tag_code=str(raw.get("tag_code") or "")[:40],
        manual_reason=str(raw.get("manual_reason") or "")[:500],
        payload=payload,
    )
    return data, str(raw.get("visit") or "")
