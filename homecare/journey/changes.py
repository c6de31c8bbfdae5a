"""Changes to care: proposed by the provider with the evidence LAN-HC-5.5 asks
for, decided by the council where the rules say so, applied on their start
date through the package's weekly pattern, and reversible by the council
(LAN-HC-5.8)."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from homecare.domain import journey as rules_of
from homecare.domain.journey import ChangeFacts, ChangeKind, ChangeRules
from homecare.domain.patterns import VisitKind, block_minutes
from homecare.packages import services as package_services
from homecare.packages.models import CarePackage, PatternEntry, Visit

from .models import PackageChange
from .notify import tell_council
from .records import touch
from .signals import visits_moved

Op = PackageChange.Operation


def change_rules(rules) -> ChangeRules:
    """The contract's change rules, from its rulebook."""

    def refs(key):
        return tuple(rules.entry(key).ref)

    return ChangeRules(
        increase_daily_minutes=rules.minutes("change.increase_limit_daily"),
        increase_weekly_minutes=rules.minutes("change.increase_limit_weekly"),
        increase_refs=refs("change.increase_limit_daily"),
        reduce=rules.value("change.reduce_without_approval"),
        reduce_refs=refs("change.reduce_without_approval"),
        cease=rules.value("change.cease_without_approval"),
        cease_refs=refs("change.cease_without_approval"),
        double_handed_needs_ot=rules.value("change.double_handed_needs_ot"),
        double_handed_refs=refs("change.double_handed_needs_ot") or ("KENT-3.3.7",),
    )


def _minutes(kind: str, start, end) -> int:
    if VisitKind(kind).is_block:
        return block_minutes(start, end)
    return (end.hour * 60 + end.minute) - (start.hour * 60 + start.minute)


def entry_end(entry: PatternEntry):
    if entry.end_time is not None:
        return entry.end_time
    return (
        datetime.combine(date.min, entry.start_time) + timedelta(minutes=entry.duration_minutes)
    ).time()


def _lines_after(entries, operation, entry, weekdays, start_time, end_time, workers):
    lines = [(e.pk, e.weekday, e.duration_minutes, e.workers_required) for e in entries]
    if operation == Op.CEASE:
        return []
    if operation == Op.ADD:
        minutes = _minutes("visit", start_time, end_time)
        return lines + [(None, d, minutes, workers) for d in weekdays]
    out = []
    for pk, day, minutes, count in lines:
        if pk != entry.pk:
            out.append((pk, day, minutes, count))
        elif operation == Op.RESIZE:
            out.append((pk, day, _minutes(entry.kind, start_time, end_time), count))
        elif operation == Op.WORKERS:
            out.append((pk, day, minutes, workers))
    return out


def _check_operation(package, operation, entry, weekdays, start_time, end_time, workers):
    problems = {}
    stray = entry is None or entry.package_id != package.pk or entry.archived_at is not None
    if operation in (Op.RESIZE, Op.REMOVE, Op.WORKERS) and stray:
        problems["entry"] = "Choose a visit from this package's weekly pattern."
    if operation == Op.ADD and not weekdays:
        problems["weekdays"] = "Choose at least one day."
    if operation in (Op.ADD, Op.RESIZE):
        if start_time is None or end_time is None:
            problems["end_time"] = "Give the new start and end times."
        elif end_time <= start_time and (operation == Op.ADD or not VisitKind(entry.kind).is_block):
            problems["end_time"] = "The visit must end after it starts."
    if operation in (Op.ADD, Op.WORKERS) and workers not in (1, 2):
        problems["workers_required"] = "A visit needs one worker, or two when double-handed."
    if operation == Op.WORKERS and entry is not None and workers == entry.workers_required:
        problems["workers_required"] = "That is the number of workers the visit already has."
    if problems:
        raise ValidationError(problems)


@transaction.atomic
def package_change_propose(
    *,
    by,
    package: CarePackage,
    kind: str,
    operation: str,
    starts_on: date | None,
    agreed_with: str,
    reason: str,
    risk_assessed: bool,
    entry: PatternEntry | None = None,
    weekdays: list[int] | None = None,
    start_time=None,
    end_time=None,
    workers_required: int | None = None,
    person_agrees: bool = False,
    goals_met: bool = False,
    concerns: list[str] | None = None,
    ot_assessed: bool = False,
    plan_reviewed: bool = False,
    now: datetime | None = None,
) -> PackageChange:
    """Record a change with its evidence and send it to the council.

    Refused (``ValidationError`` with the reason and clause) when the rules
    forbid it; a request for the council to decide when the rules say it
    decides; otherwise agreed, and applied at once when it starts today.
    """
    now = now or timezone.now()
    today = timezone.localtime(now).date()
    if package.status != "active":
        raise ValidationError("Only an active package can be changed.")
    weekdays = sorted(set(weekdays or []))
    if operation == Op.WORKERS and workers_required is None:
        workers_required = 2 if entry and entry.workers_required == 1 else 1
    workers = workers_required or 1
    _check_operation(package, operation, entry, weekdays, start_time, end_time, workers)
    entries = list(package.pattern.filter(archived_at__isnull=True))
    before_lines = [(e.pk, e.weekday, e.duration_minutes, e.workers_required) for e in entries]
    after_lines = _lines_after(entries, operation, entry, weekdays, start_time, end_time, workers)
    concerns = set(concerns or []) & set(rules_of.CONCERNS)
    if package.individual.safeguarding_concern:
        concerns.add("safeguarding_alert")
    facts = ChangeFacts(
        declared=ChangeKind(kind),
        before=rules_of.daily_minutes(line[1:] for line in before_lines),
        after=rules_of.daily_minutes(line[1:] for line in after_lines),
        workers_before=entry.workers_required if operation == Op.WORKERS else 1,
        workers_after=workers if operation == Op.WORKERS else 1,
        starts_on=starts_on,
        agreed_with=agreed_with,
        reason=reason,
        risk_assessed=risk_assessed,
        person_agrees=person_agrees,
        goals_met=goals_met,
        concerns=frozenset(concerns),
        ot_assessed=ot_assessed,
        plan_reviewed=plan_reviewed,
    )
    rules = package.contract.rules()
    verdict = rules_of.assess_change(facts, change_rules(rules), today=today)
    if verdict.refused:
        errors: dict[str | None, list[str]] = {}
        for r in verdict.refusals:
            field = {"declared": "kind"}.get(r.field, r.field) or "__all__"
            errors.setdefault(field, []).append(r.text())
        raise ValidationError(errors)
    if verdict.actual == ChangeKind.CESSATION:
        operation, entry = Op.CEASE, None
    report = rules.minutes("change.report_within")
    change = PackageChange(
        organisation_id=package.organisation_id,
        package=package,
        individual_id=package.individual_id,
        kind=verdict.actual,
        operation=operation,
        entry=entry,
        weekdays=weekdays,
        start_time=start_time,
        end_time=end_time,
        workers_required=workers_required,
        minutes_before=list(facts.before),
        minutes_after=list(facts.after),
        starts_on=starts_on,
        agreed_with=agreed_with,
        reason=reason,
        risk_assessed=risk_assessed,
        person_agrees=person_agrees,
        goals_met=goals_met,
        concerns=sorted(concerns),
        ot_assessed=ot_assessed,
        plan_reviewed=plan_reviewed,
        council_reasons=[{"message": r.message, "refs": list(r.refs)} for r in verdict.to_council],
        status=PackageChange.Status.REQUESTED
        if verdict.needs_council
        else PackageChange.Status.AGREED,
        proposed_by=by,
        report_due_at=now + timedelta(minutes=report),
    )
    change._history_user = by
    change.save()
    _report(change, by=by, now=now)
    if change.status == PackageChange.Status.AGREED and starts_on <= today:
        package_change_apply(change=change, by=by, now=now)
    return change


def describe(change: PackageChange) -> str:
    """The change in words, for the council and the pages."""
    before, after = change.weekly_before, change.weekly_after
    words = f"{change.get_kind_display()}: {change.get_operation_display().lower()}"
    if change.operation in (Op.ADD, Op.RESIZE) and change.start_time and change.end_time:
        words += f" {change.start_time:%H:%M}–{change.end_time:%H:%M}"
    if change.operation == Op.WORKERS:
        words += f" to {change.workers_required}"
    return (
        f"{words}. Care a week {before // 60} h {before % 60:02d} min → "
        f"{after // 60} h {after % 60:02d} min, from {change.starts_on:%d %B %Y}."
    )


def _report(change: PackageChange, *, by, now) -> None:
    """Send the council what LAN-HC-5.5 lists (and LAN-ST-6.4 / 6.8 within 24 hours)."""
    person = change.individual
    asks = "".join(f"\n- {r['message']} ({', '.join(r['refs'])})" for r in change.council_reasons)
    body = (
        f"Name: {person}\nLAS ID: {person.council_identifier}\n"
        f"Date of birth: {person.date_of_birth:%d %B %Y}\n"
        f"Package: {change.package.reference}\nChange: {describe(change)}\n"
        f"Agreed with: {change.agreed_with}\nReason: {change.reason}\n"
        f"Risk assessments done: {'yes' if change.risk_assessed else 'no'}\n"
    )
    if asks:
        body += f"\nThe council's decision is needed because:{asks}\n"
    subject = ("Request to change care" if asks else "Change to care") + f" for {person}"
    tell_council(
        kind="change_request" if asks else "package_change",
        package=change.package,
        subject=subject,
        body=body,
        refs=["LAN-HC-5.5", "LAN-ST-6.4", "LAN-ST-6.8"],
        event_key=f"journey.change:{change.pk}",
        by=by,
    )
    if change.reported_at is None:
        change.reported_at = now
        change._history_user = by
        change.save(update_fields=["reported_at"])


def _snapshot(package, now) -> dict:
    return {
        v[0]: v[1:]
        for v in Visit.objects.filter(package=package, planned_start__gt=now).values_list(
            "pk", "planned_start", "planned_end", "workers_required", "status"
        )
    }


def _copy(entry: PatternEntry, *, by, package, start_time=None, end_time=None, workers=None):
    return package_services.pattern_entry_add(
        by=by,
        package=package,
        weekdays=[entry.weekday],
        kind=entry.kind,
        start_time=start_time or entry.start_time,
        end_time=end_time or entry_end(entry),
        workers_required=workers or entry.workers_required,
        window_minutes=entry.window_minutes,
        tasks=entry.tasks,
        skills=list(entry.skills.all()),
    )


@transaction.atomic
def package_change_apply(*, change: PackageChange, by=None, now: datetime | None = None):
    """Apply an agreed change to the weekly pattern (the future visits are
    regenerated, the past stays), record the visits that moved and tell the
    rota (``visits_moved``)."""
    now = now or timezone.now()
    claimed = PackageChange.objects.filter(pk=change.pk, status=PackageChange.Status.AGREED).update(
        status=PackageChange.Status.APPLIED, applied_at=now
    )
    if not claimed:
        raise ValidationError("This change is not waiting to be applied.")
    touch(change, by)
    package = CarePackage.objects.select_for_update().get(pk=change.package_id)
    before = _snapshot(package, now)
    created, archived = [], []
    op = change.operation
    if op == Op.CEASE:
        package_services.package_transition(
            by=by,
            package=package,
            to_status="ceased",
            effective_on=change.starts_on,
            reason=f"Change to care: {change.reason}",
        )
    elif op == Op.ADD:
        created = package_services.pattern_entry_add(
            by=by,
            package=package,
            weekdays=change.weekdays,
            start_time=change.start_time,
            end_time=change.end_time,
            workers_required=change.workers_required or 1,
        )
    else:
        entry = PatternEntry.objects.get(pk=change.entry_id)
        if entry.archived_at is not None:
            raise ValidationError("That visit has since been taken out of the pattern.")
        if op == Op.RESIZE:
            created = _copy(
                entry,
                by=by,
                package=package,
                start_time=change.start_time,
                end_time=change.end_time,
            )
        elif op == Op.WORKERS:
            created = _copy(entry, by=by, package=package, workers=change.workers_required)
        package_services.pattern_entry_archive(by=by, entry=entry)
        archived = [entry]
    after = _snapshot(package, now)
    moved = sorted(str(pk) for pk, state in after.items() if before.get(pk) != state)
    change.created_entry_ids = [str(e.pk) for e in created]
    change.archived_entry_ids = [str(e.pk) for e in archived]
    change.moved_visit_ids = moved
    change._history_user = by
    change.save(update_fields=["created_entry_ids", "archived_entry_ids", "moved_visit_ids"])
    _send_moved(change, moved)
    return change


def _send_moved(change, moved):
    if moved:
        transaction.on_commit(
            lambda: visits_moved.send(sender=PackageChange, change=change, visit_ids=moved)
        )


@transaction.atomic
def package_change_decide(
    *, by, change: PackageChange, approve: bool, note: str = "", now: datetime | None = None
) -> PackageChange:
    """The council agrees or declines a requested change."""
    now = now or timezone.now()
    if not approve and not note.strip():
        raise ValidationError({"note": "Say why the change is declined."})
    to = PackageChange.Status.AGREED if approve else PackageChange.Status.DECLINED
    moved = PackageChange.objects.filter(
        pk=change.pk, status=PackageChange.Status.REQUESTED
    ).update(status=to, decided_by=by, decided_at=now, decision_note=note)
    if not moved:
        raise ValidationError("This change is not waiting for the council's decision.")
    touch(change, by)
    if approve and change.starts_on <= timezone.localtime(now).date():
        package_change_apply(change=change, by=by, now=now)
    return change


@transaction.atomic
def package_change_reverse(
    *, by, change: PackageChange, reason: str, now: datetime | None = None
) -> PackageChange:
    """The council reverses a change (LAN-HC-5.8): the pattern goes back to
    what it was, and the future visits with it."""
    now = now or timezone.now()
    if not reason.strip():
        raise ValidationError({"reason": "Say why the change is reversed."})
    old = change.status
    moved = PackageChange.objects.filter(
        pk=change.pk, status__in=[PackageChange.Status.AGREED, PackageChange.Status.APPLIED]
    ).update(
        status=PackageChange.Status.REVERSED,
        reversed_at=now,
        reversed_by=by,
        reverse_reason=reason,
    )
    if not moved:
        raise ValidationError("Only an agreed or applied change can be reversed.")
    touch(change, by)
    if old == PackageChange.Status.APPLIED:
        package = CarePackage.objects.select_for_update().get(pk=change.package_id)
        before = _snapshot(package, now)
        if change.operation == Op.CEASE:
            if package.status == "ceased":
                from .hospital import reinstate

                reinstate(change.moved_visit_ids, by=by, now=now)
                package_services.package_transition(
                    by=by,
                    package=package,
                    to_status="active",
                    effective_on=max(timezone.localtime(now).date(), change.starts_on),
                    reason=f"Cessation reversed by the council: {reason}",
                )
        else:
            for entry in PatternEntry.objects.filter(pk__in=change.archived_entry_ids):
                _copy(entry, by=by, package=package)
            for entry in PatternEntry.objects.filter(
                pk__in=change.created_entry_ids, archived_at__isnull=True
            ):
                package_services.pattern_entry_archive(by=by, entry=entry)
        after = _snapshot(package, now)
        moved_ids = sorted(str(pk) for pk, state in after.items() if before.get(pk) != state)
        _send_moved(change, moved_ids)
    tell_council(
        kind="package_change",
        package=change.package,
        subject=f"Change to care reversed for {change.individual}",
        body=f"{describe(change)}\nReversed by the council: {reason}",
        refs=["LAN-HC-5.8"],
        event_key=f"journey.change-reversed:{change.pk}",
        by=by,
    )
    return change


def changes_apply_due(*, now: datetime | None = None) -> int:
    """Apply every agreed change whose start date has come (periodic job)."""
    now = now or timezone.now()
    today = timezone.localtime(now).date()
    done = 0
    for change in PackageChange.objects.filter(
        status=PackageChange.Status.AGREED, starts_on__lte=today, archived_at__isnull=True
    ):
        try:
            package_change_apply(change=change, now=now)
        except ValidationError:
            continue
        done += 1
    return done
