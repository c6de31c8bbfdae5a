"""What the council is told about calls (KENT-3.8.1), through the notifications outbox.

Each function raises one notification with an event key naming the call and
the kind (``call:<visit id>:<kind>``), so raising it again (a second sweep, a
retried request, two monitors at once) returns the first and sends nothing.
"""

from __future__ import annotations

from django.utils import timezone

from homecare.core import rows
from homecare.notifications.services import notification_raise
from homecare.organisations.models import Organisation

KIND_OF_OUTCOME = {"void": "void_call", "no_response": "no_response"}


def event_key(watch, kind: str) -> str:
    return f"call:{watch.visit_id}:{kind}"


def call_late(watch, *, notify=notification_raise):
    """KENT-3.9.4 / KENT-3.8.1: a late call. ``notify`` raises the notification
    (:func:`~homecare.notifications.services.notification_raise`; a batch of
    check-ins writes its notifications with its other rows)."""
    start = timezone.localtime(watch.ordered_at)
    detail = (
        f"started at {timezone.localtime(watch.started_at):%H:%M}"
        if watch.started_at
        else f"not started {watch.late_minutes} minutes after the ordered time"
    )
    return _raise(
        watch,
        "late_call",
        subject=f"Late call: {_who(watch)}, {start:%a %d %b %H:%M}",
        body=(
            f"The {start:%H:%M} call to {_who(watch)} on {start:%A %d %B %Y} is late: {detail}. "
            f"A call is late when it starts {watch.late_minutes} minutes or more away from "
            f"the ordered time."
        ),
        refs=["KENT-3.9.4", "KENT-3.8.1"],
        notify=notify,
    )


def call_missed(watch, *, notify=notification_raise):
    """KENT-3.9.5 / KENT-3.8.1: a missed call (``notify`` as for :func:`call_late`)."""
    start = timezone.localtime(watch.ordered_at)
    detail = (
        f"started only at {timezone.localtime(watch.started_at):%H:%M}"
        if watch.started_at
        else f"not started {watch.missed_minutes // 60} hours after the ordered time"
    )
    return _raise(
        watch,
        "missed_call",
        subject=f"Missed call: {_who(watch)}, {start:%a %d %b %H:%M}",
        body=(
            f"The {start:%H:%M} call to {_who(watch)} on {start:%A %d %B %Y} is missed: "
            f"{detail}. A call is missed when it is not made, or starts more than "
            f"{watch.missed_minutes} minutes after the ordered time."
        ),
        refs=["KENT-3.9.5", "KENT-3.8.1"],
        notify=notify,
    )


def call_not_delivered(watch, *, note: str = ""):
    """KENT-3.8.1: a void or no-response call."""
    kind = KIND_OF_OUTCOME[watch.outcome]
    start = timezone.localtime(watch.ordered_at)
    what = "nobody answered the door" if kind == "no_response" else "no care could be given"
    return _raise(
        watch,
        kind,
        subject=f"{watch.get_outcome_display()}: {_who(watch)}, {start:%a %d %b %H:%M}",
        body=(
            f"At the {start:%H:%M} call to {_who(watch)} on {start:%A %d %B %Y} {what}."
            + (f"\n\n{note}" if note else "")
        ),
        refs=["KENT-3.8.1"],
    )


def _who(watch) -> str:
    person = watch.visit.individual
    return f"{person.given_name} {person.family_name}"


def _organisations(watch) -> tuple:
    """The watch's provider and council: as read with it (the sweep's), or both in
    one statement built once (a check-in raising this holds its visit's lock
    meanwhile)."""
    fields = [watch._meta.get_field(name) for name in ("organisation", "council")]
    if all(field.is_cached(watch) for field in fields):
        return watch.organisation, watch.council
    found = {
        o.pk: o for o in rows.select(Organisation, "id", [watch.organisation_id, watch.council_id])
    }
    return found[watch.organisation_id], found[watch.council_id]


def _raise(
    watch, kind: str, *, subject: str, body: str, refs: list[str], notify=notification_raise
):
    provider, council = _organisations(watch)
    return notify(
        kind=kind,
        provider=provider,
        council=council,
        package=watch.visit.package,
        individual=watch.visit.individual,
        subject=subject,
        body=body,
        refs=refs,
        event_key=event_key(watch, kind),
    )
