"""Which doses fall due on which visit (the MAR lines), from each person's schedule.

Each time of day on a :class:`~homecare.visits.models.Medication` falls to the
visit of that day nearest to it (``homecare.domain.evv.assign_doses``).
"""

from __future__ import annotations

from datetime import datetime, time

from django.db.models import Exists, OuterRef
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from homecare.domain import evv
from homecare.packages.models import Visit

from .models import Medication, MedicationDose


def flags() -> dict:
    """Annotations for a query of visits: ``has_medications`` (the person has a live
    schedule) and ``has_doses`` (MAR lines exist). A visit with neither has no
    doses due, and :func:`ensure_doses` would find and make nothing."""
    return {
        "has_medications": Exists(
            Medication.objects.filter(
                organisation_id=OuterRef("organisation_id"),
                individual_id=OuterRef("individual_id"),
                active=True,
                archived_at__isnull=True,
            )
        ),
        "has_doses": Exists(MedicationDose.objects.filter(visit_id=OuterRef("pk"))),
    }


def may_have_doses(visit: Visit) -> bool:
    """False only when :func:`flags` says ``visit`` has no doses (no query)."""
    return getattr(visit, "has_medications", True) or getattr(visit, "has_doses", True)


def _at(day, hhmm: str) -> datetime | None:
    try:
        hour, minute = (int(p) for p in str(hhmm).split(":"))
        return timezone.make_aware(datetime.combine(day, time(hour, minute)))
    except (ValueError, TypeError):
        return None


def due_on(visit: Visit, medications=None, day_visits=None) -> list[tuple[Medication, datetime]]:
    """``(medication, due_at)`` for every dose due on ``visit``, in time order."""
    if medications is None:
        medications = Medication.objects.filter(
            organisation_id=visit.organisation_id,
            individual_id=visit.individual_id,
            active=True,
            archived_at__isnull=True,
        )
    medications = list(medications)
    if not medications:
        return []
    if day_visits is None:
        day_visits = Visit.objects.filter(
            individual_id=visit.individual_id,
            organisation_id=visit.organisation_id,
            date=visit.date,
            archived_at__isnull=True,
        ).exclude(status=Visit.Status.CANCELLED)
    spans = [(v.pk, v.planned_start, v.planned_end) for v in day_visits]
    due = []
    for medication in medications:
        times = [t for t in (_at(visit.date, hhmm) for hhmm in medication.times or []) if t]
        for when, visit_id in evv.assign_doses(spans, times).items():
            if visit_id == visit.pk:
                due.append((medication, when))
    return sorted(due, key=lambda d: (d[1], d[0].name))


def ensure_doses(visit: Visit) -> list[MedicationDose]:
    """The MAR lines of ``visit``, created from the schedule the first time."""
    due = due_on(visit)
    doses = MedicationDose.objects.filter(visit=visit).select_related("medication", "record")
    existing = {(d.medication_id, d.due_at): d for d in doses}
    for medication, when in due:
        if (medication.pk, when) not in existing:
            existing[(medication.pk, when)] = MedicationDose.objects.create(
                organisation_id=visit.organisation_id,
                visit=visit,
                medication=medication,
                due_at=when,
            )
    return sorted(existing.values(), key=lambda d: d.due_at)


def find_dose(visit: Visit, medication_id, due_at) -> MedicationDose | None:
    when = parse_datetime(str(due_at or ""))
    if when is None or medication_id is None:
        return None
    for dose in ensure_doses(visit):
        if str(dose.medication_id) == str(medication_id) and dose.due_at == when:
            return dose
    return None


def unrecorded(visit: Visit) -> list[str]:
    """The doses due on ``visit`` with no entry yet, e.g. ``['Paracetamol 08:00']``."""
    return [
        f"{d.medication.name} {timezone.localtime(d.due_at):%H:%M}"
        for d in ensure_doses(visit)
        if not hasattr(d, "record")
    ]
