"""Providers answer inside their clocks; the broker confirms and the package
appears in the provider's books. Bad answers are refused and change nothing."""

from datetime import time, timedelta

import pytest
import time_machine
from django.core.exceptions import ValidationError

from homecare.packages.models import CarePackage
from homecare.referrals import services
from homecare.referrals.models import Offer, OfferSlot, Referral
from tests.referrals.helpers import FRIDAY_4PM, answer_times


def accept(market, offer, who="coordinator", when=None, **kw):
    args = dict(
        start_date=FRIDAY_4PM.date() + timedelta(days=1), arrivals=answer_times(offer.referral)
    )
    args.update(kw)
    with time_machine.travel(when or FRIDAY_4PM + timedelta(hours=1), tick=False):
        return services.offer_accept(by=market[who], offer=offer, **args)


def test_an_acceptance_records_times_start_and_response_time(market, published):
    """KENT-GLOSS-RT: response time runs from the offer to the answer."""
    offer = accept(market, published.offers.get(provider=market["provider"]))
    assert offer.status == Offer.Status.ACCEPTED
    assert offer.response_minutes == 60
    assert offer.answered_late is False
    assert offer.slots.count() == 14
    assert offer.history.first().history_user == market["coordinator"]


def test_an_answer_after_the_deadline_is_recorded_as_late_not_refused(market, published):
    offer = accept(
        market,
        published.offers.get(provider=market["provider"]),
        when=FRIDAY_4PM + timedelta(hours=25),
        start_date=FRIDAY_4PM.date() + timedelta(days=2),
    )
    assert offer.answered_late is True
    assert offer.response_minutes == 25 * 60


def test_answering_twice_is_refused_and_changes_nothing(market, published):
    offer = accept(market, published.offers.get(provider=market["provider"]))
    with pytest.raises(ValidationError, match="already answered"), time_machine.travel(FRIDAY_4PM):
        services.offer_decline(by=market["coordinator"], offer=offer, reason="no_capacity")
    offer.refresh_from_db()
    assert offer.status == Offer.Status.ACCEPTED
    assert OfferSlot.objects.filter(offer=offer).count() == 14


def test_a_provider_cannot_answer_an_offer_made_to_another(market, published):
    offer = published.offers.get(provider=market["provider"])
    with pytest.raises(ValidationError, match="Only the provider this offer was made to"):
        accept(market, offer, who="second_coordinator")
    offer.refresh_from_db()
    assert offer.status == Offer.Status.OPEN


def test_accepting_without_a_start_date_is_refused(market, published):
    offer = published.offers.get(provider=market["provider"])
    with pytest.raises(ValidationError, match="Give the date care can start"):
        accept(market, offer, start_date=None)
    assert Offer.objects.get(pk=offer.pk).status == Offer.Status.OPEN


def test_a_hospital_discharge_start_must_fall_within_24_hours_after_the_window(market, published):
    """LAN-HC-3.9: the window ends Saturday 16:00, so the start is Sunday at the latest."""
    offer = published.offers.get(provider=market["provider"])
    with pytest.raises(ValidationError, match=r"on or before Sunday 22 November \(LAN-HC-3.9\)"):
        accept(market, offer, start_date=FRIDAY_4PM.date() + timedelta(days=3))
    accept(market, offer, start_date=FRIDAY_4PM.date() + timedelta(days=2))


def test_a_start_in_the_past_is_refused(market, published):
    offer = published.offers.get(provider=market["provider"])
    with pytest.raises(ValidationError, match="in the past"):
        accept(market, offer, start_date=FRIDAY_4PM.date() - timedelta(days=1))


def test_an_arrival_outside_the_offered_slot_is_refused(market, published):
    """LAN-HC-3.5: the arrival time falls inside each offered slot."""
    offer = published.offers.get(provider=market["provider"])
    with pytest.raises(ValidationError, match="outside the slot 07:30–09:00"):
        accept(market, offer, arrivals=answer_times(published, hour_offset=2))
    assert not OfferSlot.objects.exists()


def test_the_gender_preference_must_be_answered_when_there_is_one(market, make_referral):
    with time_machine.travel(FRIDAY_4PM, tick=False):
        referral = services.referral_publish(
            by=market["broker"], referral=make_referral(preferred_worker_gender="female")
        )
    offer = referral.offers.get(provider=market["provider"])
    with pytest.raises(ValidationError, match="preferred worker gender"):
        accept(market, offer)
    assert accept(market, offer, gender_preference_met=True).gender_preference_met is True


def test_a_decline_needs_a_reason_from_the_list(market, published):
    """LAN-HC-3.6: decline with a reason."""
    offer = published.offers.get(provider=market["provider"])
    with time_machine.travel(FRIDAY_4PM + timedelta(minutes=20), tick=False):
        with pytest.raises(ValidationError, match="Choose a reason"):
            services.offer_decline(by=market["coordinator"], offer=offer, reason="busy")
        with pytest.raises(ValidationError, match="Say why"):
            services.offer_decline(by=market["coordinator"], offer=offer, reason="other")
        services.offer_decline(
            by=market["coordinator"], offer=offer, reason="no_staff_in_area", details="All on leave"
        )
    offer.refresh_from_db()
    assert (offer.status, offer.response_minutes) == (Offer.Status.DECLINED, 20)


def test_confirming_makes_an_active_package_in_the_providers_books(market, published):
    offer = accept(market, published.offers.get(provider=market["provider"]))
    with time_machine.travel(FRIDAY_4PM + timedelta(hours=2), tick=False):
        services.offer_decline(
            by=market["second_coordinator"],
            offer=published.offers.get(provider=market["second"]),
            reason="no_capacity",
        )
        [package] = services.referral_confirm(
            by=market["broker"],
            referral=published,
            allocations={v.pk: offer.pk for v in published.visits.all()},
        )
    assert package.organisation == market["provider"]
    assert package.status == "active"
    assert package.start_date == FRIDAY_4PM.date() + timedelta(days=1)
    assert package.pattern.count() == 14
    assert {e.start_time for e in package.pattern.all()} == {time(7, 30), time(17, 0)}
    assert package.visits.filter(date=package.start_date).count() == 2
    published.refresh_from_db()
    assert published.status == Referral.Status.PLACED
    assert Offer.objects.get(pk=offer.pk).status == Offer.Status.CONFIRMED


def test_confirming_withdraws_the_other_offers(market, published):
    offer = accept(market, published.offers.get(provider=market["provider"]))
    with time_machine.travel(FRIDAY_4PM + timedelta(hours=2), tick=False):
        services.referral_confirm(
            by=market["broker"],
            referral=published,
            allocations={v.pk: offer.pk for v in published.visits.all()},
        )
    other = published.offers.get(provider=market["second"])
    assert other.status == Offer.Status.WITHDRAWN
    with pytest.raises(ValidationError, match="withdrawn"), time_machine.travel(FRIDAY_4PM):
        accept(market, other, who="second_coordinator")


def test_only_accepted_offers_can_be_confirmed_and_a_failure_saves_nothing(market, published):
    open_offer = published.offers.get(provider=market["second"])
    with pytest.raises(ValidationError, match="accepted"):
        services.referral_confirm(
            by=market["broker"],
            referral=published,
            allocations={v.pk: open_offer.pk for v in published.visits.all()},
        )
    published.refresh_from_db()
    assert published.status == Referral.Status.PUBLISHED
    assert not CarePackage.objects.filter(reference__startswith=published.reference).exists()


def test_a_package_is_split_between_providers_where_the_contract_allows(market, published):
    """KENT-3.2.7: a package may be shared between two or more providers."""
    for contract in (market["contract"], market["second_contract"]):
        contract.rulebook = "kent"
        contract.save()
    first = accept(market, published.offers.get(provider=market["provider"]))
    second = accept(
        market, published.offers.get(provider=market["second"]), who="second_coordinator"
    )
    mornings = {v.pk: first.pk for v in published.visits.filter(slot_start=time(7, 30))}
    teas = {v.pk: second.pk for v in published.visits.filter(slot_start=time(17))}
    with time_machine.travel(FRIDAY_4PM + timedelta(hours=2), tick=False):
        packages = services.referral_confirm(
            by=market["broker"], referral=published, allocations={**mornings, **teas}
        )
    assert {p.organisation for p in packages} == {market["provider"], market["second"]}
    assert all(p.pattern.count() == 7 for p in packages)


def test_a_split_is_refused_where_the_contract_does_not_allow_it(market, published):
    first = accept(market, published.offers.get(provider=market["provider"]))
    second = accept(
        market, published.offers.get(provider=market["second"]), who="second_coordinator"
    )
    visits = list(published.visits.all())
    allocations = {v.pk: (first.pk if i % 2 else second.pk) for i, v in enumerate(visits)}
    with pytest.raises(ValidationError, match="does not allow a package to be split"):
        services.referral_confirm(by=market["broker"], referral=published, allocations=allocations)


def test_cancelling_a_placed_referral_releases_the_capacity_from_tomorrow(market, published):
    """LAN-ST-4.25: short-notice cancellations release capacity at once, except
    staff already committed, for at most one day."""
    offer = accept(
        market,
        published.offers.get(provider=market["provider"]),
        start_date=FRIDAY_4PM.date(),
        when=FRIDAY_4PM + timedelta(minutes=10),
    )
    with time_machine.travel(FRIDAY_4PM + timedelta(minutes=20), tick=False):
        [package] = services.referral_confirm(
            by=market["broker"],
            referral=published,
            allocations={v.pk: offer.pk for v in published.visits.all()},
        )
        services.referral_cancel(
            by=market["broker"], referral=published, reason="Moved to a care home"
        )
    package.refresh_from_db()
    assert package.status == "ceased"
    today = package.visits.filter(date=FRIDAY_4PM.date())
    later = package.visits.filter(date__gt=FRIDAY_4PM.date())
    assert {v.status for v in today} == {"planned"}
    assert {v.status for v in later} == {"cancelled"}


def test_a_restart_goes_to_the_previous_provider_first_with_a_two_hour_clock(market, make_referral):
    """LAN-HC-6.4 and LAN-HC-6.5."""
    with time_machine.travel(FRIDAY_4PM, tick=False):
        referral = services.referral_publish(
            by=market["broker"],
            referral=make_referral(kind="restart", previous_package=market["package"]),
        )
    [offer] = referral.offers.all()
    assert offer.provider == market["provider"]
    assert offer.round == Offer.Round.PREVIOUS_PROVIDER
    assert offer.due_at == FRIDAY_4PM + timedelta(hours=2)
    with time_machine.travel(FRIDAY_4PM + timedelta(minutes=30), tick=False):
        services.offer_decline(by=market["coordinator"], offer=offer, reason="no_capacity")
    opened = referral.offers.filter(round=Offer.Round.OPEN)
    assert list(opened.values_list("provider", flat=True)) == [market["second"].pk]


def test_an_overdue_restart_can_be_offered_to_others(market, make_referral):
    with time_machine.travel(FRIDAY_4PM, tick=False):
        referral = services.referral_publish(
            by=market["broker"],
            referral=make_referral(kind="restart", previous_package=market["package"]),
        )
    with time_machine.travel(FRIDAY_4PM + timedelta(hours=3), tick=False):
        services.referral_offer_to_others(by=market["broker"], referral=referral)
        with pytest.raises(ValidationError, match="already open"):
            services.referral_offer_to_others(by=market["broker"], referral=referral)
    first = referral.offers.get(round=Offer.Round.PREVIOUS_PROVIDER)
    assert first.status == Offer.Status.WITHDRAWN
