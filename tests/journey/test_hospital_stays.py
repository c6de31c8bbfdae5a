"""Hospital stays: held, suspended or ended by the rules; the council told;
held visits still paid where the rulebook says; restarts through referrals."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from homecare.core.jobs import run_job
from homecare.core.models import JobRun
from homecare.journey import hospital
from homecare.journey.models import HeldVisit, HospitalStay
from homecare.notifications.models import Notification
from homecare.referrals.models import Offer

from .conftest import contract_for


def _admit(journey, package=None, place="ward", **kw):
    return hospital.stay_admit(
        by=journey["coordinator"],
        package=package or journey["package"],
        place=place,
        admitted_at=kw.pop("admitted_at", timezone.now()),
        hospital="Royal Blackburn, ward C4",
        **kw,
    )


def test_a_long_term_package_is_held_72_hours_its_visits_cancelled_and_paid(journey):
    """LAN-HC-6.1: held 72 hours from admission, paid at 100% for that time, not beyond."""
    stay = _admit(journey)
    package = journey["package"]
    package.refresh_from_db()
    assert stay.status == HospitalStay.Status.HELD
    assert stay.hold_until == timezone.now() + timedelta(hours=72)
    assert package.status == "suspended"
    assert not package.visits.filter(status="planned", planned_start__gt=timezone.now()).exists()
    held = HeldVisit.objects.filter(stay=stay)
    assert held.count() == 3  # 11:00 today, tomorrow and the day after; the 4th is after 72 h
    assert {h.paid_percent for h in held} == {100}
    assert all(h.planned_start < stay.paid_until for h in held)


def test_the_council_is_told_of_every_admission(journey):
    """LAN-HC-6.2."""
    stay = _admit(journey)
    note = Notification.objects.get(event_key=f"journey.admission:{stay.pk}")
    assert note.kind == "hospital_admission"
    assert "held until" in note.body
    assert stay.council_told_at is not None


def test_the_periodic_job_ends_the_hold_once(journey, at):
    """LAN-HC-6.1: after 72 hours the package is suspended (no longer held)."""
    stay = _admit(journey)
    at.shift(timedelta(hours=71))
    assert hospital.stays_end_holds() == 0
    at.shift(timedelta(hours=1, minutes=1))
    run = JobRun.objects.create(name="journey.end_hospital_holds")
    assert run_job(str(run.pk)).result == {"ended": 1, "restarted": 0}
    assert hospital.stays_end_holds() == 0
    stay.refresh_from_db()
    assert stay.status == HospitalStay.Status.SUSPENDED
    assert stay.hold_ended_at == timezone.now()


def test_home_within_the_hold_the_package_resumes_and_the_rota_hears(
    journey, at, django_capture_on_commit_callbacks
):
    from homecare.journey.signals import visits_moved

    heard = []

    def listener(sender, stay, visit_ids, **kw):
        heard.append(len(visit_ids))

    visits_moved.connect(listener)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            stay = _admit(journey)
        at.shift(timedelta(hours=30))
        with django_capture_on_commit_callbacks(execute=True):
            hospital.stay_discharge(
                by=journey["coordinator"], stay=stay, discharged_at=timezone.now()
            )
    finally:
        visits_moved.disconnect(listener)
    assert heard[0] == len(stay.cancelled_visit_ids) and 0 < heard[1] < heard[0]
    package = journey["package"]
    package.refresh_from_db()
    assert package.status == "active"
    assert package.visits.filter(status="planned", planned_start__gt=timezone.now()).exists()


def test_after_the_hold_a_restart_goes_to_the_previous_provider_first(journey, at):
    """LAN-HC-6.4 (previous provider first), LAN-HC-6.5 (2 hours to confirm)."""
    stay = _admit(journey)
    at.shift(timedelta(hours=73))
    hospital.stays_end_holds()
    stay.refresh_from_db()
    hospital.stay_discharge(by=journey["coordinator"], stay=stay, discharged_at=timezone.now())
    stay.refresh_from_db()
    referral = hospital.stay_restart(
        by=journey["broker"], stay=stay, requested_start=timezone.localdate() + timedelta(days=1)
    )
    assert referral.kind == "restart" and referral.previous_package == journey["package"]
    offer = Offer.objects.get(referral=referral)
    assert offer.provider == journey["provider"] and offer.round == Offer.Round.PREVIOUS_PROVIDER
    assert offer.due_at == timezone.now() + timedelta(hours=2)
    assert referral.visits.count() == 7
    with pytest.raises(ValidationError):
        hospital.stay_restart(by=journey["broker"], stay=stay, requested_start=timezone.localdate())


def test_short_term_care_ends_on_admission_to_a_ward(journey):
    """LAN-ST-4.14: admitted to a ward, the service ceases at once."""
    package = contract_for(journey, "lan-st")
    stay = _admit(journey, package=package)
    package.refresh_from_db()
    assert stay.status == HospitalStay.Status.CEASED
    assert package.status == "ceased"
    assert not stay.held_visits.filter(paid_percent__gt=0).exists()


def test_short_term_care_stays_open_three_days_in_a_and_e_then_ends(journey, at):
    """LAN-ST-4.14: in A&E and not admitted, the service stays open up to 3 days."""
    package = contract_for(journey, "lan-st")
    stay = _admit(journey, package=package, place="a_and_e")
    assert stay.status == HospitalStay.Status.HELD
    assert stay.hold_until == timezone.now() + timedelta(days=3)
    at.shift(timedelta(days=3, minutes=1))
    assert hospital.stays_end_holds() == 1
    package.refresh_from_db()
    stay.refresh_from_db()
    assert (stay.status, package.status) == ("ceased", "ceased")


def test_an_admission_in_the_future_is_refused(journey):
    with pytest.raises(ValidationError):
        _admit(journey, admitted_at=timezone.now() + timedelta(hours=2))
    assert not HospitalStay.objects.exists()


def test_a_second_admission_while_in_hospital_is_refused(journey):
    _admit(journey)
    journey["package"].refresh_from_db()
    with pytest.raises(ValidationError):
        _admit(journey)


def test_once_the_restart_is_placed_the_old_package_ends(journey, at):
    """LAN-HC-6.4: the restarted package carries the care; the suspended one ends."""
    from homecare.referrals import services as referral_services

    stay = _admit(journey)
    at.shift(timedelta(hours=73))
    hospital.stays_end_holds()
    stay.refresh_from_db()
    referral = hospital.stay_restart(
        by=journey["broker"], stay=stay, requested_start=timezone.localdate() + timedelta(days=1)
    )
    offer = referral.offers.get()
    referral_services.offer_accept(
        by=journey["coordinator"],
        offer=offer,
        start_date=timezone.localdate() + timedelta(days=1),
        arrivals={v.pk: v.slot_start for v in referral.visits.all()},
    )
    assert hospital.stays_close_restarted() == 0  # not placed yet
    referral_services.referral_confirm(
        by=journey["broker"],
        referral=referral,
        allocations={v.pk: offer.pk for v in referral.visits.all()},
    )
    assert hospital.stays_close_restarted() == 1
    old = journey["package"]
    old.refresh_from_db()
    assert old.status == "ceased"
    assert hospital.stays_close_restarted() == 0
