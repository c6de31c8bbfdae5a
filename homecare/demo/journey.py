"""Demo journeys, so the pages show people mid-journey on a real Monday: a
change to care waiting for the council, an increase already applied, someone in
hospital inside the 72-hour hold (LAN-HC-6.1), and a package handed back
under notice (KENT-3.10.1). Written through the journey's own services, as a
coordinator would, so every record, visit and notification hangs together."""

from __future__ import annotations

from datetime import time, timedelta

from django.utils import timezone

from homecare.journey import changes, endings, hospital

EVIDENCE = dict(
    agreed_with="The person and their daughter, at the review visit",
    risk_assessed=True,
    person_agrees=True,
)


def _candidates(builder):
    """Long-term packages in service with a weekly pattern, in a fixed order."""
    short = builder.short_term.id if builder.short_term is not None else None
    for person in builder.people:
        package = person.package
        if package.status != "active" or package.contract_id == short:
            continue
        if package.start_date > builder.today - timedelta(days=14):
            continue
        entries = list(package.pattern.filter(archived_at__isnull=True).order_by("weekday"))
        if entries and all(e.kind == "visit" for e in entries):
            yield package, entries


def build(builder) -> dict[str, int]:
    """A few people mid-journey; returns how many of each were made."""
    now = timezone.now()
    today = timezone.localdate()
    counts = {"changes": 0, "stays": 0, "handbacks": 0}
    found = _candidates(builder)
    package, entries = next(found, (None, None))
    if package is None:
        return counts
    entry = entries[0]
    end = (entry.start_time.hour * 60 + entry.start_time.minute) + entry.duration_minutes + 90
    changes.package_change_propose(
        by=None,
        package=package,
        kind="increase",
        operation="resize",
        entry=entry,
        start_time=entry.start_time,
        end_time=time(min(end // 60, 23), end % 60),
        starts_on=today + timedelta(days=3),
        reason="Needs longer in the mornings since the new hoist",
        **EVIDENCE,
    )
    counts["changes"] += 1
    package, entries = next(found, (None, None))
    if package is not None:
        changes.package_change_propose(
            by=None,
            package=package,
            kind="increase",
            operation="add",
            weekdays=[2, 5],
            start_time=time(17, 0),
            end_time=time(17, 30),
            starts_on=today,
            reason="A tea-time call on shopping days",
            **EVIDENCE,
        )
        counts["changes"] += 1
    package, _ = next(found, (None, None))
    if package is not None:
        hospital.stay_admit(
            by=None,
            package=package,
            place="ward",
            admitted_at=now - timedelta(hours=20),
            hospital="Royal Blackburn Hospital, ward C4",
            notes="Fall at home; the daughter rang the office",
        )
        counts["stays"] += 1
    package, _ = next(found, (None, None))
    if package is not None:
        endings.handback_give_notice(
            by=None,
            package=package,
            last_day=endings.earliest_last_day(package, today) + timedelta(days=2),
            reason="We can no longer staff this rural round safely",
        )
        counts["handbacks"] += 1
    return counts
