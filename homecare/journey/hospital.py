"""Hospital stays: the admission holds or ends the package (LAN-HC-6.1,
LAN-ST-4.14), the council is told (LAN-HC-6.2), the visits in the hold are
cancelled and, where the rulebook pays a hold, kept as paid; a periodic job
ends each hold when it runs out; after discharge the package resumes, or the
council restarts it through the referral flow, offered to the previous
provider first (LAN-HC-6.4, LAN-HC-6.5)."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from simple_history.utils import bulk_update_with_history

from homecare.domain import journey as rules_of
from homecare.packages import services as package_services
from homecare.packages.models import CarePackage, Visit
from homecare.referrals import services as referral_services

from .models import HeldVisit, HospitalStay
from .notify import tell_council
from .records import touch
from .signals import visits_moved

OPEN = (HospitalStay.Status.HELD, HospitalStay.Status.SUSPENDED)


@transaction.atomic
def stay_admit(
    *,
    by,
    package: CarePackage,
    place: str,
    admitted_at: datetime,
    hospital: str = "",
    notes: str = "",
    now: datetime | None = None,
) -> HospitalStay:
    """Record an admission: hold (then suspend) or end the package, cancel its
    visits from the admission, keep the held ones as paid, tell the council."""
    now = now or timezone.now()
    if package.status != "active":
        raise ValidationError("Only an active package can be held for a hospital stay.")
    if admitted_at > now + timedelta(minutes=5):
        raise ValidationError({"admitted_at": "The admission time is in the future."})
    if admitted_at.date() < package.start_date - timedelta(days=1):
        raise ValidationError({"admitted_at": "The admission is before the package started."})
    if HospitalStay.objects.filter(package=package, status__in=OPEN).exists():
        raise ValidationError("This person is already recorded as in hospital.")
    rules = package.contract.rules()
    hold = rules.entry("billing.hospital_hold")
    plan = rules_of.hold_plan(
        place=rules_of.Place(place),
        admitted_at=admitted_at,
        admission_ceases_service=rules.value("hospital.admission_ceases_service"),
        hold_minutes=rules.minutes("billing.hospital_hold"),
        paid_percent=int(rules.value("billing.hospital_hold_rate")),
        a_and_e_minutes=rules.minutes("hospital.a_and_e_hold"),
        refs=tuple(
            dict.fromkeys((*hold.ref, *rules.entry("hospital.admission_ceases_service").ref))
        ),
    )
    admitted_on = timezone.localtime(admitted_at).date()
    effective = max(admitted_on, package.start_date)
    ceases = plan.action == "cease"
    planned = set(
        Visit.objects.filter(
            package=package, status=Visit.Status.PLANNED, planned_start__gt=now
        ).values_list("pk", flat=True)
    )
    package_services.package_transition(
        by=by,
        package=package,
        to_status="ceased" if ceases else "suspended",
        effective_on=effective,
        reason=("Admitted to a ward: the service ends" if ceases else "In hospital: held")
        + f" ({', '.join(plan.refs)})",
    )
    stay = HospitalStay(
        organisation_id=package.organisation_id,
        package=package,
        individual_id=package.individual_id,
        place=place,
        hospital=hospital,
        admitted_at=admitted_at,
        status=HospitalStay.Status.CEASED if ceases else HospitalStay.Status.HELD,
        hold_until=plan.hold_until,
        after_hold=plan.after_hold,
        paid_until=plan.paid_until,
        paid_percent=plan.paid_percent,
        refs=", ".join(plan.refs),
        hold_ended_at=now if ceases else None,
        recorded_by=by,
        notes=notes,
    )
    stay.cancelled_visit_ids = sorted(
        str(pk)
        for pk in Visit.objects.filter(pk__in=planned, status=Visit.Status.CANCELLED).values_list(
            "pk", flat=True
        )
    )
    stay._history_user = by
    stay.save()
    _tell_rota(stay, stay.cancelled_visit_ids)
    held = Visit.objects.filter(
        package=package,
        status=Visit.Status.CANCELLED,
        planned_start__gte=admitted_at,
        planned_start__lt=plan.hold_until,
    )
    HeldVisit.objects.bulk_create(
        HeldVisit(
            organisation_id=package.organisation_id,
            stay=stay,
            visit=v,
            planned_start=v.planned_start,
            care_minutes=v.care_minutes,
            paid_percent=plan.paid_percent if v.planned_start < plan.paid_until else 0,
        )
        for v in held
    )
    if rules.value("notify.hospital_admission"):
        tell_council(
            kind="hospital_admission",
            package=package,
            subject=f"{package.individual} admitted to hospital",
            body=(
                f"{package.individual} ({package.individual.council_identifier}) was admitted "
                f"on {timezone.localtime(admitted_at):%d %B %Y at %H:%M}"
                f"{' to ' + hospital if hospital else ''}: "
                f"{rules_of.Place(place).label.lower()}.\n"
                + (
                    "The service has ended."
                    if ceases
                    else f"The package is held until "
                    f"{timezone.localtime(plan.hold_until):%d %B %Y %H:%M}."
                )
            ),
            refs=list(rules.entry("notify.hospital_admission").ref or ["LAN-HC-6.2"]),
            event_key=f"journey.admission:{stay.pk}",
            by=by,
        )
        stay.council_told_at = now
        stay.save(update_fields=["council_told_at"])
    return stay


@transaction.atomic
def stay_end_hold(*, stay: HospitalStay, now: datetime | None = None) -> bool:
    """The hold has run out: the stay moves on (a conditional update, so it
    happens once) and a short-term package in A&E ends (LAN-ST-4.14)."""
    now = now or timezone.now()
    to = HospitalStay.Status.CEASED if stay.after_hold == "cease" else HospitalStay.Status.SUSPENDED
    moved = HospitalStay.objects.filter(
        pk=stay.pk, status=HospitalStay.Status.HELD, hold_until__lte=now
    ).update(status=to, hold_ended_at=now)
    if not moved:
        return False
    touch(stay)
    package = CarePackage.objects.get(pk=stay.package_id)
    if to == HospitalStay.Status.CEASED and package.status == "suspended":
        package_services.package_transition(
            by=None,
            package=package,
            to_status="ceased",
            effective_on=timezone.localtime(now).date(),
            reason=f"Still in hospital when the hold ran out ({stay.refs})",
        )
    return True


def stays_end_holds(*, now: datetime | None = None) -> int:
    """Periodic job: end every hold whose time has come."""
    now = now or timezone.now()
    due = HospitalStay.objects.filter(status=HospitalStay.Status.HELD, hold_until__lte=now)
    return sum(stay_end_hold(stay=stay, now=now) for stay in due)


def stays_close_restarted(*, now: datetime | None = None) -> int:
    """Periodic job: once a restart is placed, the new package carries the care
    and the package suspended during the stay ends (it would otherwise keep its
    reviews and plans on the what-is-due page)."""
    now = now or timezone.now()
    done = 0
    stays = HospitalStay.objects.filter(
        restart_referral__status="placed", package__status="suspended"
    ).select_related("package", "restart_referral")
    for stay in stays:
        with transaction.atomic():
            package = CarePackage.objects.select_for_update().get(pk=stay.package_id)
            if package.status != "suspended":
                continue
            package_services.package_transition(
                by=None,
                package=package,
                to_status="ceased",
                effective_on=timezone.localtime(now).date(),
                reason=f"Restarted as referral {stay.restart_referral.reference} (LAN-HC-6.4)",
            )
            done += 1
    return done


@transaction.atomic
def stay_discharge(
    *, by, stay: HospitalStay, discharged_at: datetime, notes: str = "", now=None
) -> HospitalStay:
    """Home again. Within the hold the package resumes as it was; after it,
    the council restarts it through a referral (LAN-HC-6.4)."""
    now = now or timezone.now()
    if discharged_at < stay.admitted_at:
        raise ValidationError({"discharged_at": "The discharge is before the admission."})
    if discharged_at > now + timedelta(minutes=5):
        raise ValidationError({"discharged_at": "The discharge time is in the future."})
    old = stay.status
    moved = HospitalStay.objects.filter(
        pk=stay.pk, status__in=[*OPEN, HospitalStay.Status.CEASED], discharged_at__isnull=True
    ).update(
        status=HospitalStay.Status.DISCHARGED, discharged_at=discharged_at, discharge_notes=notes
    )
    if not moved:
        raise ValidationError("This stay has already ended.")
    touch(stay, by)
    if old == HospitalStay.Status.HELD:
        stay.hold_ended_at = discharged_at
        stay.save(update_fields=["hold_ended_at"])
        package = CarePackage.objects.get(pk=stay.package_id)
        _tell_rota(stay, reinstate(stay.cancelled_visit_ids, by=by, now=now))
        package_services.package_transition(
            by=by,
            package=package,
            to_status="active",
            effective_on=timezone.localtime(now).date(),
            reason="Home from hospital within the hold",
        )
    stay.refresh_from_db()
    return stay


@transaction.atomic
def stay_restart(*, by, stay: HospitalStay, requested_start, now=None):
    """The council restarts a suspended package after discharge: a restart
    referral with the package's pattern, published at once, so the previous
    provider is offered it first on its 2-hour clock (LAN-HC-6.4, LAN-HC-6.5)."""
    if stay.restart_referral_id:
        raise ValidationError("A restart has already been sent for this stay.")
    if stay.status not in (HospitalStay.Status.SUSPENDED, HospitalStay.Status.DISCHARGED):
        raise ValidationError("Restart a package once its hold has ended.")
    package = stay.package
    if package.status != "suspended":
        raise ValidationError("Only a suspended package is restarted; this one is not.")
    visits = []
    for e in package.pattern.filter(archived_at__isnull=True):
        visits.append(
            {
                "weekday": e.weekday,
                "slot_start": _shift(e.start_time, -e.window_minutes),
                "slot_end": _shift(e.start_time, e.window_minutes),
                "duration_minutes": e.duration_minutes,
                "workers_required": e.workers_required,
                "tasks": e.tasks,
                "kind": e.kind,
            }
        )
    referral = referral_services.referral_create(
        by=by,
        individual=package.individual,
        visits=visits,
        kind="restart",
        urgency="urgent",
        source="hospital_team",
        referrer_name=by.get_full_name() or by.username,
        requested_start=requested_start,
        needs_statement=f"Restart of {package.reference} after a hospital stay.",
        previous_package=package,
    )
    referral = referral_services.referral_publish(by=by, referral=referral, now=now)
    stay.restart_referral = referral
    stay._history_user = by
    stay.save(update_fields=["restart_referral"])
    return referral


def _tell_rota(stay, visit_ids) -> None:
    if visit_ids:
        moved = list(visit_ids)
        transaction.on_commit(
            lambda: visits_moved.send(sender=HospitalStay, stay=stay, visit_ids=moved)
        )


def reinstate(visit_ids, *, by, now) -> list[str]:
    """Put back the future visits a suspension or cessation cancelled, before
    the package is active again, so regeneration finds them planned and keeps
    their rota (it would otherwise make a second visit for the same slot)."""
    visits = list(
        Visit.objects.filter(pk__in=visit_ids, status=Visit.Status.CANCELLED, planned_start__gt=now)
    )
    for v in visits:
        v.status = Visit.Status.PLANNED
    if visits:
        bulk_update_with_history(visits, Visit, ["status"], default_user=by)
    return [str(v.pk) for v in visits]


def _shift(t, minutes):
    from datetime import date, datetime

    moved = datetime.combine(date(2000, 1, 2), t) + timedelta(minutes=minutes)
    if moved.date() != date(2000, 1, 2):
        return t
    return moved.time()
