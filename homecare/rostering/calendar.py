"""A care worker's rota as an iCalendar feed (RFC 5545), for any phone's calendar."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone
from icalendar import Calendar, Event

from homecare.packages.models import Visit

#: How far back and ahead the feed reaches (as far as the worker sees, KENT-8.7.4).
BACK = timedelta(days=1)
AHEAD = timedelta(days=7)


def worker_feed(worker) -> bytes:
    """The worker's planned visits from yesterday to a week ahead, one event each,
    with the person's first name, town and postcode only (no more than a week's work needs)."""
    now = timezone.now()
    visits = (
        Visit.objects.filter(
            assignments__worker=worker,
            archived_at__isnull=True,
            planned_start__gte=now - BACK,
            planned_start__lt=now + AHEAD,
        )
        .exclude(status=Visit.Status.CANCELLED)
        .select_related("individual")
        .prefetch_related("assignments__worker")
        .order_by("planned_start", "pk")
    )
    cal = Calendar()
    cal.add("prodid", "-//Homecare//Rota//EN")
    cal.add("version", "2.0")
    cal.add("x-wr-calname", f"Rota · {worker.given_name} {worker.family_name}")
    for v in visits:
        person = v.individual
        others = [
            f"{a.worker.given_name} {a.worker.family_name}"
            for a in v.assignments.all()
            if a.worker_id != worker.pk
        ]
        event = Event()
        event.add("uid", f"{v.pk}@homecare")
        event.add("dtstamp", now)
        event.add("dtstart", v.planned_start)
        event.add("dtend", v.planned_end)
        event.add("summary", f"{person.preferred_name or person.given_name} · {person.postcode}")
        event.add("location", f"{person.address_line_1}, {person.town} {person.postcode}")
        lines = [", ".join(v.tasks)] if v.tasks else []
        if others:
            lines.append("With " + ", ".join(others) + " (double-handed)")
        if lines:
            event.add("description", "\n".join(lines))
        cal.add_component(event)
    return cal.to_ical()
