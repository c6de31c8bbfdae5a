"""Endings: handing a package back with notice (KENT-3.10.1), the hand-over on
the last day (KENT-3.10.2) and closure only once onward needs are handed over
(LAN-ST-4.26); Discharge to Assess for up to 3 days plus 2 (KENT-2.1.8)."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from homecare.domain import journey as rules_of
from homecare.packages import services as package_services
from homecare.packages.models import CarePackage

from .models import DischargeToAssess, HandBack
from .notify import tell_council
from .records import touch


def notice_rule(package: CarePackage):
    """``(amount, unit, nation, refs)`` of the contract's hand-back notice."""
    rules = package.contract.rules()
    entry = rules.entry("notice.handback")
    return entry.value, entry.unit, rules.nation, tuple(entry.ref) or ("KENT-3.10.1",)


def earliest_last_day(package: CarePackage, given_on: date) -> date:
    amount, unit, nation, _ = notice_rule(package)
    return rules_of.earliest_last_day(given_on, amount, unit, nation)


@transaction.atomic
def handback_give_notice(
    *, by, package: CarePackage, last_day: date | None, reason: str, now: datetime | None = None
) -> HandBack:
    """Give notice to hand a package back today, for ``last_day``."""
    now = now or timezone.now()
    today = timezone.localtime(now).date()
    if package.status not in ("active", "suspended"):
        raise ValidationError("Only a package in service can be handed back.")
    if last_day is None:
        raise ValidationError({"last_day": "Give the last day of care."})
    if not reason.strip():
        raise ValidationError({"reason": "Say why the package is handed back."})
    amount, unit, nation, refs = notice_rule(package)
    problem = rules_of.handback_notice_problem(
        given_on=today, last_day=last_day, amount=amount, unit=unit, nation=nation, refs=refs
    )
    if problem:
        raise ValidationError({"last_day": problem.text()})
    if HandBack.objects.filter(package=package, status=HandBack.Status.NOTICE).exists():
        raise ValidationError("Notice to hand this package back has already been given.")
    handback = HandBack(
        organisation_id=package.organisation_id,
        package=package,
        individual_id=package.individual_id,
        given_on=today,
        last_day=last_day,
        reason=reason,
        given_by=by,
    )
    handback._history_user = by
    handback.save()
    tell_council(
        kind="handback",
        package=package,
        subject=f"Notice to hand back {package.reference} ({package.individual})",
        body=(
            f"{package.organisation} gives notice to hand back the care of "
            f"{package.individual} ({package.individual.council_identifier}). "
            f"Last day: {last_day:%A %d %B %Y}.\nReason: {reason}"
        ),
        refs=list(refs),
        event_key=f"journey.handback:{handback.pk}",
        by=by,
    )
    return handback


@transaction.atomic
def handback_complete(
    *,
    by,
    handback: HandBack,
    handed_to: str,
    handed_over: list[str],
    notes: str = "",
    now: datetime | None = None,
) -> HandBack:
    """On the last day: the records are handed over (KENT-3.10.2) and, once
    onward needs are with the council (LAN-ST-4.26), the package ends and closes."""
    now = now or timezone.now()
    today = timezone.localtime(now).date()
    if today < handback.last_day:
        raise ValidationError(
            f"The records are handed over on the last day, {handback.last_day:%d %B %Y} "
            "(KENT-3.10.2)."
        )
    if not handed_to.strip():
        raise ValidationError({"handed_to": "Say who the records went to."})
    missing = rules_of.handover_missing(set(handed_over))
    if missing:
        raise ValidationError({"handed_over": [m.text() for m in missing]})
    moved = HandBack.objects.filter(pk=handback.pk, status=HandBack.Status.NOTICE).update(
        status=HandBack.Status.HANDED_BACK,
        handed_to=handed_to,
        handed_over=sorted(handed_over),
        handover_notes=notes,
        completed_at=now,
        completed_by=by,
    )
    if not moved:
        raise ValidationError("This hand-back is not under notice.")
    touch(handback, by)
    package = CarePackage.objects.get(pk=handback.package_id)
    after = max(handback.last_day + timedelta(days=1), package.start_date)
    for to in ("ceased", "closed"):
        if package.status == to or (to == "ceased" and package.status == "closed"):
            continue
        package_services.package_transition(
            by=by,
            package=package,
            to_status=to,
            effective_on=after,
            reason=f"Handed back to {handed_to}",
        )
    handback.refresh_from_db()
    return handback


@transaction.atomic
def handback_withdraw(*, by, handback: HandBack, now: datetime | None = None) -> HandBack:
    moved = HandBack.objects.filter(pk=handback.pk, status=HandBack.Status.NOTICE).update(
        status=HandBack.Status.WITHDRAWN, completed_at=now or timezone.now(), completed_by=by
    )
    if not moved:
        raise ValidationError("This hand-back is not under notice.")
    return touch(handback, by)


# ---- Discharge to Assess ------------------------------------------------------


def _d2a_rules(package):
    rules = package.contract.rules()
    length = rules.entry("hospital.d2a_length")
    extension = rules.entry("hospital.d2a_extension")
    return length.value, extension.value, tuple(length.ref) or ("KENT-2.1.8",)


@transaction.atomic
def d2a_start(*, by, package: CarePackage, starts_on: date) -> DischargeToAssess:
    """Discharge to Assess support from ``starts_on`` (KENT-2.1.8)."""
    length, _, _ = _d2a_rules(package)
    if not length:
        raise ValidationError("This contract has no Discharge to Assess service (KENT-2.1.8).")
    if starts_on is None or starts_on < package.start_date:
        raise ValidationError({"starts_on": "Discharge to Assess starts with the package."})
    if package.d2a_periods.filter(ended_at__isnull=True).exists():
        raise ValidationError("Discharge to Assess is already running for this package.")
    d2a = DischargeToAssess(
        organisation_id=package.organisation_id,
        package=package,
        individual_id=package.individual_id,
        starts_on=starts_on,
        ends_on=rules_of.d2a_end(starts_on, length, 0, False),
        recorded_by=by,
    )
    d2a._history_user = by
    d2a.save()
    return d2a


@transaction.atomic
def d2a_extend(*, by, d2a: DischargeToAssess, reason: str, now=None) -> DischargeToAssess:
    """Extend once, by the rulebook's days, when the person's outcomes warrant it."""
    length, extension, refs = _d2a_rules(d2a.package)
    if not extension:
        raise ValidationError("This contract does not extend Discharge to Assess.")
    if not reason.strip():
        raise ValidationError({"reason": "Say how the extension helps the person's outcomes."})
    moved = DischargeToAssess.objects.filter(
        pk=d2a.pk, extended_at__isnull=True, ended_at__isnull=True
    ).update(
        extended_at=now or timezone.now(),
        extension_reason=reason,
        ends_on=rules_of.d2a_end(d2a.starts_on, length, extension, True),
    )
    if not moved:
        raise ValidationError(
            f"Discharge to Assess is extended once only, by {extension} days ({', '.join(refs)})."
        )
    return touch(d2a, by)


@transaction.atomic
def d2a_finish(*, by, d2a: DischargeToAssess, outcome: str, now=None) -> DischargeToAssess:
    if not outcome.strip():
        raise ValidationError({"outcome": "Say what happens next for the person."})
    moved = DischargeToAssess.objects.filter(pk=d2a.pk, ended_at__isnull=True).update(
        ended_at=now or timezone.now(), outcome=outcome
    )
    if not moved:
        raise ValidationError("Discharge to Assess has already ended.")
    return touch(d2a, by)
