"""Every write to care packages, their patterns and visits: one function, one transaction."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from homecare.domain import patterns
from homecare.domain.patterns import PackageStatus, VisitKind

from .models import CarePackage, PackageStatusChange, PatternEntry, Visit, VisitAssignment


@transaction.atomic
def package_create(
    *,
    by,
    contract,
    individual,
    reference: str,
    start_date: date,
    end_date: date | None = None,
    notes: str = "",
) -> CarePackage:
    if end_date is not None and end_date < start_date:
        raise ValidationError({"end_date": "The package ends before it starts."})
    package = CarePackage(
        organisation=contract.provider,
        contract=contract,
        individual=individual,
        reference=reference,
        start_date=start_date,
        end_date=end_date,
        notes=notes,
        status=PackageStatus.PROPOSED,
        status_effective_on=start_date,
    )
    package._history_user = by
    package.save()
    PackageStatusChange.objects.create(
        organisation=package.organisation,
        package=package,
        from_status="",
        to_status=PackageStatus.PROPOSED,
        effective_on=start_date,
        changed_by=by,
        reason="Package created",
    )
    return package


@transaction.atomic
def package_transition(
    *, by, package: CarePackage, to_status: str, effective_on: date, reason: str = ""
) -> CarePackage:
    """Move a package to ``to_status`` (a conditional update, so it happens once).

    Activating generates its visits; suspending, ceasing or closing cancels the
    planned visits from ``effective_on`` (visits before it stand).
    """
    old = package.status
    if not patterns.can_transition(old, to_status):
        raise ValidationError(f"A {old} package cannot become {to_status}.")
    moved = CarePackage.objects.filter(pk=package.pk, status=old).update(
        status=to_status, status_effective_on=effective_on
    )
    if not moved:
        raise ValidationError("Someone else changed this package just now; reload and try again.")
    package.status, package.status_effective_on = to_status, effective_on
    package._history_user = by
    # Saved again so the audit history keeps who moved it, and from what.
    package.save(update_fields=["status", "status_effective_on"])
    PackageStatusChange.objects.create(
        organisation=package.organisation,
        package=package,
        from_status=old,
        to_status=to_status,
        effective_on=effective_on,
        reason=reason,
        changed_by=by,
    )
    # Back to visiting: the visits the pause cancelled are planned again.
    visits_regenerate(packages=[package], by=by, restore_cancelled=to_status in patterns.VISITING)
    return package


def _entry_problems(package: CarePackage, *, kind, start_time, end_time, workers_required):
    rules = package.contract.rules()
    return patterns.validate_line(
        kind=VisitKind(kind),
        start_time=start_time,
        end_time=end_time,
        duration_minutes=_duration(kind, start_time, end_time),
        workers_required=workers_required,
        overnight_min_minutes=rules.minutes("visit.overnight_block_min"),
        day_block_min_minutes=rules.minutes("visit.day_block_min"),
    )


def _duration(kind, start_time: time, end_time: time | None) -> int | None:
    if end_time is None:
        return None
    if VisitKind(kind).is_block:
        return patterns.block_minutes(start_time, end_time)
    return (end_time.hour * 60 + end_time.minute) - (start_time.hour * 60 + start_time.minute)


@transaction.atomic
def pattern_entry_add(
    *,
    by,
    package: CarePackage,
    weekdays: list[int],
    kind: str = VisitKind.VISIT,
    start_time: time,
    end_time: time,
    workers_required: int = 1,
    window_minutes: int = 30,
    tasks: list[str] | None = None,
    skills=(),
) -> list[PatternEntry]:
    """Add a visit (or block) to the weekly pattern on each of ``weekdays``."""
    problems = _entry_problems(
        package,
        kind=kind,
        start_time=start_time,
        end_time=end_time,
        workers_required=workers_required,
    )
    if not weekdays:
        problems["weekdays"] = "Choose at least one day."
    if problems:
        raise ValidationError(problems)
    entries = []
    for weekday in weekdays:
        entry = PatternEntry(
            organisation=package.organisation,
            package=package,
            weekday=weekday,
            kind=kind,
            start_time=start_time,
            end_time=end_time if VisitKind(kind).is_block else None,
            duration_minutes=_duration(kind, start_time, end_time),
            workers_required=workers_required,
            window_minutes=window_minutes,
            tasks=list(tasks or []),
        )
        entry._history_user = by
        entry.save()
        entry.skills.set(skills)
        entries.append(entry)
    visits_regenerate(packages=[package], by=by)
    return entries


@transaction.atomic
def pattern_entry_archive(*, by, entry: PatternEntry) -> PatternEntry:
    """Take a line out of the pattern; its future planned visits are cancelled."""
    moved = PatternEntry.objects.filter(pk=entry.pk, archived_at__isnull=True).update(
        archived_at=timezone.now(), archived_by=by
    )
    if not moved:
        raise ValidationError("That visit was already taken out of the pattern.")
    entry.refresh_from_db()
    visits_regenerate(packages=[entry.package], by=by)
    return entry


@dataclass
class Regeneration:
    created: int = 0
    updated: int = 0
    cancelled: int = 0


def visits_regenerate(
    *,
    packages: list[CarePackage],
    by=None,
    now: datetime | None = None,
    horizon_days: int | None = None,
    restore_cancelled: bool = False,
) -> Regeneration:
    """Bring the future visits of ``packages`` in line with their patterns.

    Only visits that start after ``now`` are created, moved or cancelled; the
    past is never rewritten. Visits are generated up to ``horizon_days`` ahead
    (HOMECARE_VISIT_HORIZON_DAYS, four weeks by default). A slot whose visit
    was cancelled keeps that visit: it stays cancelled (a visit cancelled on
    its own), or with ``restore_cancelled`` (a package visiting again after a
    pause) it is planned again; a slot never gets a second visit.
    """
    now = now or timezone.now()
    horizon_days = settings.HOMECARE_VISIT_HORIZON_DAYS if horizon_days is None else horizon_days
    today = timezone.localtime(now).date()
    last = today + timedelta(days=horizon_days)
    ids = [p.pk for p in packages]
    entries = list(PatternEntry.objects.filter(package_id__in=ids, archived_at__isnull=True))
    by_package: dict = {}
    for e in entries:
        by_package.setdefault(e.package_id, []).append(e)
    wanted: dict[tuple, tuple[PatternEntry, patterns.Occurrence]] = {}
    for package in packages:
        if package.status not in patterns.VISITING:
            continue
        first = max(today, package.start_date, package.status_effective_on)
        end = min(last, package.end_date) if package.end_date else last
        lines = {e.pk: e for e in by_package.get(package.pk, [])}
        for occ in patterns.occurrences([_line(e) for e in lines.values()], first, end):
            if occ.start > now:
                wanted[(occ.key, occ.date)] = (lines[occ.key], occ)
    existing = {
        (v.pattern_entry_id, v.date): v
        for v in Visit.objects.filter(
            package_id__in=ids, planned_start__gt=now, status=Visit.Status.PLANNED
        )
    }
    # Slots already taken by a visit that is no longer planned: a cancelled one
    # (restored only when asked), or one already completed or missed (untouched).
    taken = {
        (v.pattern_entry_id, v.date): v
        for v in Visit.objects.filter(package_id__in=ids, planned_start__gt=now).exclude(
            status=Visit.Status.PLANNED
        )
        if (v.pattern_entry_id, v.date) in wanted and (v.pattern_entry_id, v.date) not in existing
    }
    cancelled = {key: v for key, v in taken.items() if v.status == Visit.Status.CANCELLED}
    package_by_id = {p.pk: p for p in packages}
    result = Regeneration()
    to_create, to_update, to_cancel = [], [], []
    for key, (entry, occ) in wanted.items():
        visit = existing.pop(key, None)
        if visit is None and key in taken:
            if not (restore_cancelled and key in cancelled):
                continue
            visit = cancelled[key]
            visit.status = Visit.Status.PLANNED
            to_update.append(visit)
        fields = dict(
            kind=entry.kind,
            planned_start=occ.start,
            planned_end=occ.end,
            duration_minutes=occ.minutes,
            window_minutes=entry.window_minutes,
            workers_required=entry.workers_required,
            tasks=entry.tasks,
        )
        if visit is None:
            package = package_by_id[entry.package_id]
            to_create.append(
                Visit(
                    organisation_id=package.organisation_id,
                    package_id=package.pk,
                    individual_id=package.individual_id,
                    pattern_entry_id=entry.pk,
                    date=occ.date,
                    **fields,
                )
            )
        elif any(getattr(visit, k) != v for k, v in fields.items()) or key in cancelled:
            for k, v in fields.items():
                setattr(visit, k, v)
            if key not in cancelled:
                to_update.append(visit)
    for visit in existing.values():
        package = package_by_id[visit.package_id]
        if package.status in patterns.VISITING or visit.date >= package.status_effective_on:
            visit.status = Visit.Status.CANCELLED
            to_cancel.append(visit)
    if to_create:
        _bulk_create(to_create, by)
    if to_update:
        bulk_update_with_history(
            to_update,
            Visit,
            [
                "status",
                "kind",
                "planned_start",
                "planned_end",
                "duration_minutes",
                "window_minutes",
                "workers_required",
                "tasks",
            ],
            batch_size=500,
            default_user=by,
        )
    if to_cancel:
        bulk_update_with_history(to_cancel, Visit, ["status"], batch_size=500, default_user=by)
    result.created, result.updated, result.cancelled = (
        len(to_create),
        len(to_update),
        len(to_cancel),
    )
    return result


def _bulk_create(visits: list[Visit], by) -> None:
    bulk_create_with_history(
        visits,
        Visit,
        batch_size=500,
        default_user=by,
        default_change_reason="Generated from the weekly pattern",
    )


def _line(entry: PatternEntry) -> patterns.PatternLine:
    return patterns.PatternLine(
        key=entry.pk,
        weekday=entry.weekday,
        start_time=entry.start_time,
        duration_minutes=entry.duration_minutes,
        kind=VisitKind(entry.kind),
        end_time=entry.end_time,
        workers_required=entry.workers_required,
        window_minutes=entry.window_minutes,
        tasks=tuple(entry.tasks),
    )


@transaction.atomic
def visit_assign_workers(*, by, visit: Visit, workers: list) -> list[VisitAssignment]:
    """Put ``workers`` on the rota for ``visit``: exactly as many as it needs
    (two for a double-handed visit, KENT-3.3.7), all from the visit's provider."""
    distinct = {w.pk: w for w in workers}
    if len(distinct) != len(workers):
        raise ValidationError("The same worker is named twice.")
    if len(distinct) != visit.workers_required:
        if visit.workers_required == 2:
            raise ValidationError("This visit is double-handed: choose two workers.")
        raise ValidationError("This visit needs one worker.")
    if any(w.organisation_id != visit.organisation_id for w in distinct.values()):
        raise ValidationError("Workers must be employed by the provider delivering the visit.")
    if visit.status != Visit.Status.PLANNED:
        raise ValidationError("Only planned visits can be rostered.")
    VisitAssignment.objects.filter(visit=visit).exclude(worker_id__in=distinct).delete()
    have = set(VisitAssignment.objects.filter(visit=visit).values_list("worker_id", flat=True))
    created = [
        VisitAssignment.objects.create(organisation_id=visit.organisation_id, visit=visit, worker=w)
        for pk, w in distinct.items()
        if pk not in have
    ]
    return created
