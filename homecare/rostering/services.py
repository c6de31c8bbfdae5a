"""Every write of the rostering app: runs, accept/discard, manual moves, pins, absences."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from homecare.core.jobs import enqueue
from homecare.packages.models import Visit, VisitAssignment
from homecare.packages.services import visit_assign_workers

from . import day as rota_day
from . import rules
from .models import CalendarToken, PinnedVisit, RotaRun, RotaWeights, WorkerAbsence


def _office_of(by, provider) -> None:
    if by.organisation_id != provider.pk:
        raise ValidationError("Only the provider's own office can change its rota.")


@transaction.atomic
def rota_run_request(*, by, provider, day: date, kind: str) -> RotaRun:
    """Queue an optimise (usually tomorrow) or a repair (usually today) of ``day``."""
    _office_of(by, provider)
    if kind not in RotaRun.Kind.values:
        raise ValidationError("Choose optimise or repair.")
    if day < timezone.localdate():
        raise ValidationError("A day that is over cannot be re-planned.")
    busy = RotaRun.objects.select_for_update().filter(
        organisation=provider,
        date=day,
        status__in=[RotaRun.Status.QUEUED, RotaRun.Status.RUNNING],
    )
    if busy.exists():
        raise ValidationError("A run for this day is already under way: wait for it to finish.")
    run = RotaRun.objects.create(organisation=provider, date=day, kind=kind, requested_by=by)
    enqueue("rostering.run", run_id=str(run.pk))
    return run


def rota_run_progress(*, run_id, progress: int, stage: str) -> None:
    """Record how far a run has got (outside any transaction, so the page sees it)."""
    RotaRun.objects.filter(pk=run_id, status=RotaRun.Status.RUNNING).update(
        progress=max(0, min(100, int(progress))), stage=stage[:120]
    )


@transaction.atomic
def rota_accept(*, by, run: RotaRun) -> int:
    """Write the proposal as the day's rota, once: returns how many visits changed.

    A visit changed by hand since the run started keeps the hand change; a visit
    no longer planned is left alone.
    """
    _office_of(by, run.organisation)
    claimed = RotaRun.objects.filter(pk=run.pk, status=RotaRun.Status.DONE).update(
        status=RotaRun.Status.ACCEPTED, decided_by=by, decided_at=timezone.now()
    )
    if not claimed:
        raise ValidationError("This run has already been decided, or is not ready.")
    proposal = run.proposal
    visits = Visit.objects.filter(
        pk__in=list(proposal), organisation=run.organisation, status=Visit.Status.PLANNED
    ).select_for_update()
    live = {str(v.pk): v for v in visits}
    now = {k: set() for k in live}
    for visit_id, worker_id in VisitAssignment.objects.filter(visit_id__in=list(live)).values_list(
        "visit_id", "worker_id"
    ):
        now[str(visit_id)].add(str(worker_id))
    changes, moved = {}, []
    for visit_id, row in proposal.items():
        if visit_id not in live:
            continue
        was, new = set(row.get("was", ())), set(row.get("workers", ()))
        if now[visit_id] != was:
            continue  # changed by hand since the run: the hand change stands
        if new != was:
            changes[visit_id] = new
        visit = live[visit_id]
        start = rota_day.to_aware(run.date, int(row.get("start", 0)))
        if new and start != visit.planned_start:
            visit.planned_start = start
            visit.planned_end = start + timedelta(minutes=visit.duration_minutes)
            moved.append(visit)
    stale = VisitAssignment.objects.filter(visit_id__in=list(changes))
    for assignment in stale:  # one by one, so each removal has its history row
        if str(assignment.worker_id) not in changes[str(assignment.visit_id)]:
            assignment.delete()
    fresh = [
        VisitAssignment(organisation_id=run.organisation_id, visit_id=visit_id, worker_id=w)
        for visit_id, workers in changes.items()
        for w in sorted(workers - now[visit_id])
    ]
    bulk_create_with_history(fresh, VisitAssignment, default_user=by)
    bulk_update_with_history(
        moved, Visit, ["planned_start", "planned_end"], default_user=by, batch_size=500
    )
    RotaRun.objects.filter(pk=run.pk).update(
        report={**run.report, "changed_visits": len(changes), "retimed_visits": len(moved)}
    )
    return len(changes)


@transaction.atomic
def rota_runs_outdate(*, visit_ids) -> int:
    """Care changed under proposals waiting for review: a change to the care or a
    hospital stay moved, added or cancelled ``visit_ids`` (the journey app's
    ``visits_moved``). Each proposal ready to review for a day those visits are
    on records them (``report["outdated_by"]``), so the coordinator reads, before
    accepting, that those visits are left as they are now and that running again
    plans them. Returns how many proposals were marked."""
    days: dict = {}
    for pk, organisation_id, day in Visit.objects.filter(pk__in=list(visit_ids)).values_list(
        "pk", "organisation_id", "date"
    ):
        days.setdefault((organisation_id, day), set()).add(str(pk))
    marked = 0
    for (organisation_id, day), moved in days.items():
        runs = RotaRun.objects.select_for_update().filter(
            organisation_id=organisation_id, date=day, status=RotaRun.Status.DONE
        )
        for run in runs:
            outdated = sorted(set(run.report.get("outdated_by", [])) | moved)
            RotaRun.objects.filter(pk=run.pk).update(report={**run.report, "outdated_by": outdated})
            marked += 1
    return marked


@transaction.atomic
def rota_discard(*, by, run: RotaRun) -> RotaRun:
    _office_of(by, run.organisation)
    claimed = RotaRun.objects.filter(
        pk=run.pk, status__in=[RotaRun.Status.DONE, RotaRun.Status.FAILED]
    ).update(status=RotaRun.Status.DISCARDED, decided_by=by, decided_at=timezone.now())
    if not claimed:
        raise ValidationError("This run has already been decided, or is still running.")
    run.refresh_from_db()
    return run


def _check_open(visit: Visit) -> None:
    if visit.status != Visit.Status.PLANNED or visit.archived_at is not None:
        raise ValidationError("Only planned visits can be rostered.")


@transaction.atomic
def rota_visit_move(*, by, visit: Visit, workers: list) -> list[VisitAssignment]:
    """Put ``workers`` on ``visit`` by hand, refused with the reasons if it breaks a hard
    rule (skills, gender preference, shifts, absence, another visit, travel, how many)."""
    provider = visit.organisation
    _office_of(by, provider)
    _check_open(visit)
    if PinnedVisit.objects.filter(visit=visit, archived_at__isnull=True).exists():
        raise ValidationError("This visit is pinned: unpin it before moving it.")
    day = rota_day.load_day(provider, visit.date)
    assignment = day.current()
    ids = [str(w.pk) for w in workers]
    problems = rules.visit_problems(day, str(visit.pk), ids, assignment)
    if problems:
        raise ValidationError(problems)
    return visit_assign_workers(by=by, visit=visit, workers=workers)


@transaction.atomic
def visit_pin(*, by, visit: Visit) -> PinnedVisit:
    """Keep the visit's workers as they are through every later run."""
    _office_of(by, visit.organisation)
    _check_open(visit)
    if not visit.assignments.exists():
        raise ValidationError("Roster the visit before pinning it.")
    pin = PinnedVisit.objects.filter(visit=visit, archived_at__isnull=True).first()
    return pin or PinnedVisit.objects.create(
        organisation_id=visit.organisation_id, visit=visit, pinned_by=by
    )


@transaction.atomic
def visit_unpin(*, by, visit: Visit) -> int:
    _office_of(by, visit.organisation)
    return PinnedVisit.objects.filter(visit=visit, archived_at__isnull=True).update(
        archived_at=timezone.now(), archived_by=by
    )


@transaction.atomic
def worker_mark_sick(
    *, by, worker, starts_at: datetime | None = None, ends_at: datetime | None = None
) -> WorkerAbsence:
    """Record that ``worker`` is off sick (from now to the end of today by default);
    their visits stay on the rota until a repair moves them."""
    _office_of(by, worker.organisation)
    starts_at = starts_at or timezone.now()
    if ends_at is None:
        local_day = timezone.localdate(starts_at)
        ends_at = rota_day.to_aware(local_day, 24 * 60)
    if ends_at <= starts_at:
        raise ValidationError("The absence must end after it starts.")
    if ends_at <= timezone.now():
        raise ValidationError("That day is over: there is nothing left to cover.")
    return WorkerAbsence.objects.create(
        organisation_id=worker.organisation_id,
        worker=worker,
        starts_at=starts_at,
        ends_at=ends_at,
        recorded_by=by,
    )


@transaction.atomic
def calendar_token_issue(*, worker, renew: bool = False) -> CalendarToken:
    """The worker's calendar feed secret; ``renew`` replaces it (the old address stops)."""
    token, created = CalendarToken.objects.get_or_create(worker=worker)
    if renew and not created:
        from .models import new_token

        token.token = new_token()
        token.created_at = timezone.now()
        token.save(update_fields=["token", "created_at"])
    return token


def now_minute(day: date) -> int | None:
    """Minutes after local midnight of ``day`` now, if ``day`` is today (for repairs)."""
    now = timezone.now()
    if timezone.localdate(now) != day:
        return None
    return rota_day.minute_of(day, now)


def day_after(day: date) -> date:
    return day + timedelta(days=1)


@transaction.atomic
def rota_weights_set(*, by, provider, values: dict) -> RotaWeights:
    """The provider's weights for its soft goals (every later run uses them)."""
    _office_of(by, provider)
    bad = [k for k, v in values.items() if k not in RotaWeights.FIELDS or v is None or v < 0]
    if bad:
        raise ValidationError(f"Weights must be zero or more: {', '.join(sorted(bad))}.")
    if values.get("team_share", 0) > 100:
        raise ValidationError("The team share goal is a percentage: 0 to 100.")
    weights, _ = RotaWeights.objects.update_or_create(
        organisation=provider, defaults={**values, "changed_by": by, "changed_at": timezone.now()}
    )
    return weights
