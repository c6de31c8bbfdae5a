"""The broker cancels a referral with a reason (LAN-ST-4.25), and moves a
restart on to other providers when the previous one has not answered
(LAN-HC-6.4, LAN-HC-6.5)."""

from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse

from homecare.referrals import services
from homecare.referrals.models import Offer, Referral
from tests.referrals.helpers import FRIDAY_4PM, answer_times


@pytest.fixture(autouse=True)
def long_sessions(settings):
    settings.SESSION_IDLE_TIMEOUT_MINUTES = settings.SESSION_ABSOLUTE_TIMEOUT_MINUTES = 10**6


@time_machine.travel(FRIDAY_4PM, tick=False)
def test_the_broker_cancels_a_published_referral_and_its_offers_are_withdrawn(
    market, make_referral, login
):
    referral = services.referral_publish(by=market["broker"], referral=make_referral())
    response = login(market["broker"]).post(
        reverse("referrals:cancel", args=[referral.pk]),
        {"reason": "Family are caring for her"},
        follow=True,
    )
    assert "Cancelled. Offers still open are withdrawn." in response.content.decode()
    referral.refresh_from_db()
    assert referral.status == Referral.Status.CANCELLED
    assert referral.cancellation_reason == "Family are caring for her"
    assert set(referral.offers.values_list("status", flat=True)) == {Offer.Status.WITHDRAWN}


@time_machine.travel(FRIDAY_4PM, tick=False)
def test_cancelling_without_a_reason_is_refused(market, make_referral, login):
    referral = make_referral()
    response = login(market["broker"]).post(
        reverse("referrals:cancel", args=[referral.pk]), {"reason": ""}, follow=True
    )
    assert "Say why the referral is cancelled." in response.content.decode()
    assert Referral.objects.get(pk=referral.pk).status == Referral.Status.DRAFT


def test_cancelling_a_placed_referral_releases_the_package_from_tomorrow(
    market, make_referral, login
):
    """LAN-ST-4.25: today's visits stand; the rest are cancelled."""
    with time_machine.travel(FRIDAY_4PM, tick=False):
        referral = services.referral_publish(by=market["broker"], referral=make_referral())
    offer = referral.offers.get(provider=market["provider"])
    with time_machine.travel(FRIDAY_4PM + timedelta(hours=1), tick=False):
        services.offer_accept(
            by=market["coordinator"],
            offer=offer,
            start_date=FRIDAY_4PM.date() + timedelta(days=1),
            arrivals=answer_times(referral),
        )
        [package] = services.referral_confirm(
            by=market["broker"],
            referral=referral,
            allocations={v.pk: offer.pk for v in referral.visits.all()},
        )
    with time_machine.travel(FRIDAY_4PM + timedelta(days=2), tick=False):
        response = login(market["broker"]).post(
            reverse("referrals:cancel", args=[referral.pk]), {"reason": "Readmitted"}, follow=True
        )
    assert "every visit from tomorrow is cancelled" in response.content.decode()
    package.refresh_from_db()
    assert package.status == "ceased"


@time_machine.travel(FRIDAY_4PM, tick=False)
def test_cancelling_twice_says_so(market, make_referral, login):
    referral = make_referral()
    client = login(market["broker"])
    url = reverse("referrals:cancel", args=[referral.pk])
    client.post(url, {"reason": "No longer needed"})
    response = client.post(url, {"reason": "Again"}, follow=True)
    assert "This referral is already cancelled." in response.content.decode()
    assert Referral.objects.get(pk=referral.pk).cancellation_reason == "No longer needed"


@time_machine.travel(FRIDAY_4PM, tick=False)
def test_a_restart_waiting_on_the_previous_provider_can_be_offered_to_others(
    market, make_referral, login
):
    """LAN-HC-6.4: previous provider first; LAN-HC-6.5: then the others."""
    referral = services.referral_publish(
        by=market["broker"],
        referral=make_referral(
            kind="restart", urgency="urgent", previous_package=market["package"]
        ),
    )
    assert [o.provider for o in referral.offers.all()] == [market["provider"]]
    client = login(market["broker"])
    detail = reverse("referrals:detail", args=[referral.pk])
    url = reverse("referrals:offer_to_others", args=[referral.pk])
    page = client.get(detail).content.decode()
    assert "Offer to other providers" in page
    assert "Previous provider first (LAN-HC-6.4)" in page
    response = client.post(url, follow=True)
    assert "Offered to the other providers" in response.content.decode()
    offers = {o.provider: o.status for o in Offer.objects.filter(referral=referral)}
    assert offers == {
        market["provider"]: Offer.Status.WITHDRAWN,
        market["second"]: Offer.Status.OPEN,
    }
    assert "Offer to other providers" not in client.get(detail).content.decode()


@time_machine.travel(FRIDAY_4PM, tick=False)
def test_offer_to_others_is_not_offered_for_an_ordinary_referral(market, make_referral, login):
    referral = services.referral_publish(by=market["broker"], referral=make_referral())
    client = login(market["broker"])
    page = client.get(reverse("referrals:detail", args=[referral.pk])).content.decode()
    assert "Offer to other providers" not in page
    response = client.post(reverse("referrals:offer_to_others", args=[referral.pk]), follow=True)
    assert "already open to other providers" in response.content.decode()
