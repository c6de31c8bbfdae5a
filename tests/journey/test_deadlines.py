"""The journey's deadlines on the what-is-due page: each appears when its clock
starts and clears when the thing is done, for the provider and the council."""

from datetime import date, time, timedelta

from django.urls import reverse
from django.utils import timezone

from homecare.core import access
from homecare.journey import changes, endings, hospital
from homecare.journey.deadlines import journey_deadlines
from homecare.plans.deadlines import collect, collect_open

from .conftest import EVIDENCE, contract_for


def _open(journey, who="coordinator"):
    packages = access.deadline_packages_for(journey[who])
    return {d.kind: d for d in collect_open(packages, timezone.now()) if "." in d.kind}


def test_a_hospital_hold_appears_and_clears_when_the_job_ends_it(journey, at):
    """LAN-HC-6.1: the 72-hour hold is on the page until it ends."""
    stay = hospital.stay_admit(
        by=journey["coordinator"],
        package=journey["package"],
        place="ward",
        admitted_at=timezone.now(),
    )
    hold = _open(journey)["hospital.hold"]
    assert hold.due_at == stay.hold_until and "LAN-HC-6.1" in hold.refs
    assert hold.url == reverse("journey:stay", args=[stay.pk])
    assert "hospital.hold" in _open(journey, "broker")
    at.shift(timedelta(hours=72, minutes=1))
    hospital.stays_end_holds()
    assert "hospital.hold" not in _open(journey)


def test_a_restart_answer_appears_for_the_previous_provider_and_clears_when_answered(journey, at):
    """LAN-HC-6.5: confirm a restart within 2 hours."""
    from homecare.referrals import services as referral_services

    stay = hospital.stay_admit(
        by=journey["coordinator"],
        package=journey["package"],
        place="ward",
        admitted_at=timezone.now(),
    )
    at.shift(timedelta(hours=73))
    hospital.stays_end_holds()
    stay.refresh_from_db()
    referral = hospital.stay_restart(
        by=journey["broker"], stay=stay, requested_start=timezone.localdate()
    )
    restart = _open(journey)["hospital.restart"]
    assert restart.due_at == timezone.now() + timedelta(hours=2)
    offer = referral.offers.get()
    referral_services.offer_accept(
        by=journey["coordinator"],
        offer=offer,
        start_date=timezone.localdate() + timedelta(days=1),
        start_time=time(11, 0),
        arrivals={v.pk: v.slot_start for v in referral.visits.all()},
    )
    assert "hospital.restart" not in _open(journey)


def test_a_request_waits_for_the_council_until_it_decides(journey):
    change = changes.package_change_propose(
        by=journey["coordinator"],
        package=journey["package"],
        kind="increase",
        operation="resize",
        entry=journey["entry"],
        start_time=time(11),
        end_time=time(13),
        starts_on=timezone.localdate() + timedelta(days=2),
        **EVIDENCE,
    )
    assert "change.decision" in _open(journey, "broker")
    assert "change.report" not in _open(journey)  # reported when it was proposed
    changes.package_change_decide(by=journey["broker"], change=change, approve=True)
    assert "change.decision" not in _open(journey, "broker")


def test_a_hand_back_last_day_appears_and_clears_on_hand_over(journey, at):
    """KENT-3.10.2."""
    handback = endings.handback_give_notice(
        by=journey["coordinator"],
        package=journey["package"],
        last_day=date(2026, 12, 14),
        reason="No staff",
    )
    last = _open(journey)["handback.last_day"]
    assert timezone.localtime(last.due_at).date() == date(2026, 12, 15)  # end of the 14th
    at.move_to(timezone.make_aware(timezone.datetime(2026, 12, 14, 15, 0)))
    endings.handback_complete(
        by=journey["coordinator"],
        handback=handback,
        handed_to="Council",
        handed_over=["communications_record", "action_plan", "onward_needs"],
    )
    assert "handback.last_day" not in _open(journey)


def test_discharge_to_assess_end_appears_until_it_ends(journey):
    """KENT-2.1.8."""
    package = contract_for(journey, "kent")
    d2a = endings.d2a_start(
        by=journey["coordinator"], package=package, starts_on=timezone.localdate()
    )
    assert "d2a.end" in _open(journey)
    endings.d2a_finish(by=journey["coordinator"], d2a=d2a, outcome="No further care needed")
    assert "d2a.end" not in _open(journey)


def test_an_outsider_sees_none_of_these_deadlines(journey):
    hospital.stay_admit(
        by=journey["coordinator"],
        package=journey["package"],
        place="ward",
        admitted_at=timezone.now(),
    )
    for who in ("outsider", "other_broker"):
        assert not collect(access.deadline_packages_for(journey[who]), timezone.now())


def test_the_source_runs_a_fixed_number_of_queries(journey, django_assert_max_num_queries):
    for _ in range(3):
        package = contract_for(journey, "lan-hc")
        hospital.stay_admit(
            by=journey["coordinator"], package=package, place="ward", admitted_at=timezone.now()
        )
        endings.handback_give_notice(
            by=journey["coordinator"], package=package, last_day=date(2027, 2, 1), reason="No staff"
        )
    packages = access.deadline_packages_for(journey["coordinator"])
    with django_assert_max_num_queries(5):
        found = list(journey_deadlines(packages, timezone.now()))
    assert len(found) == 6


def test_the_what_is_due_page_shows_the_hold_to_both_sides(journey, login):
    stay = hospital.stay_admit(
        by=journey["coordinator"],
        package=journey["package"],
        place="ward",
        admitted_at=timezone.now(),
    )
    for who in ("coordinator", "broker"):
        page = login(journey[who]).get(reverse("plans:due")).content.decode()
        assert f'data-key="hospital.hold:{stay.pk}"' in page
