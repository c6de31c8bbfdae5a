"""The broker chooses among the accepted offers, visit by visit, and the
package lands in the chosen provider's books."""

from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse

from homecare.packages.models import CarePackage
from homecare.referrals import services
from homecare.referrals.models import Offer, Referral
from tests.referrals.helpers import FRIDAY_4PM, answer_times

LATER = FRIDAY_4PM + timedelta(hours=2)


@pytest.fixture(autouse=True)
def long_sessions(settings):
    """Time travel must not sign the broker out."""
    settings.SESSION_IDLE_TIMEOUT_MINUTES = settings.SESSION_ABSOLUTE_TIMEOUT_MINUTES = 10**6


def accept(market, referral, provider, who, hour_offset=0):
    offer = referral.offers.get(provider=market[provider])
    with time_machine.travel(FRIDAY_4PM + timedelta(hours=1), tick=False):
        return services.offer_accept(
            by=market[who],
            offer=offer,
            start_date=FRIDAY_4PM.date() + timedelta(days=1),
            arrivals=answer_times(referral, hour_offset),
        )


@time_machine.travel(LATER, tick=False)
def test_the_broker_places_the_referral_and_the_provider_has_the_package(market, published, login):
    offer = accept(market, published, "provider", "coordinator")
    client = login(market["broker"])
    url = reverse("referrals:confirm", args=[published.pk])
    page = client.get(url).content.decode()
    assert "Pennine Care at Home Ltd" in page
    assert "arrive 07:30" in page
    assert "start Sat 21 Nov" in page
    assert page.count("checked") == published.visits.count() + 1  # one accepted: preselected
    data = {f"visit_{v.pk}": str(offer.pk) for v in published.visits.all()}
    response = client.post(url, data, follow=True)
    page = response.content.decode()
    assert "Placed with Pennine Care at Home Ltd; the package is now in their books." in page
    published.refresh_from_db()
    assert published.status == Referral.Status.PLACED
    package = CarePackage.objects.get(offers__referral=published)
    assert package.status == "active"
    assert reverse("packages:detail", args=[package.pk]) in page
    assert Offer.objects.get(pk=offer.pk).status == Offer.Status.CONFIRMED
    assert Offer.objects.get(provider=market["second"]).status == Offer.Status.WITHDRAWN
    books = login(market["coordinator"]).get(reverse("packages:list")).content.decode()
    assert package.reference in books


@time_machine.travel(LATER, tick=False)
def test_every_visit_can_go_to_one_provider_at_once(market, published, login):
    accept(market, published, "provider", "coordinator")
    second = accept(market, published, "second", "second_coordinator", hour_offset=1)
    client = login(market["broker"])
    url = reverse("referrals:confirm", args=[published.pk])
    page = client.get(url).content.decode()
    assert page.count("checked") == 1  # two offers: only "Choose visit by visit"
    assert "arrive 08:30" in page
    response = client.post(url, {"everything_to": str(second.pk)})
    assert response.status_code == 302
    package = CarePackage.objects.get(offers__referral=published)
    assert package.organisation == market["second"]


@time_machine.travel(LATER, tick=False)
def test_a_visit_left_without_a_provider_is_refused(market, published, login):
    offer = accept(market, published, "provider", "coordinator")
    accept(market, published, "second", "second_coordinator")
    visits = list(published.visits.all())
    data = {f"visit_{v.pk}": str(offer.pk) for v in visits[1:]}
    response = login(market["broker"]).post(reverse("referrals:confirm", args=[published.pk]), data)
    assert response.status_code == 200
    assert f"Choose a provider for {visits[0]}." in response.content.decode()
    assert Referral.objects.get(pk=published.pk).status == Referral.Status.PUBLISHED
    assert not CarePackage.objects.filter(offers__referral=published).exists()


@time_machine.travel(LATER, tick=False)
def test_a_split_the_contract_does_not_allow_is_refused_and_nothing_changes(
    market, published, login
):
    """KENT-3.2.7 allows splits; Lancashire's contract does not."""
    first = accept(market, published, "provider", "coordinator")
    second = accept(market, published, "second", "second_coordinator")
    visits = list(published.visits.all())
    data = {f"visit_{v.pk}": str(first.pk if i % 2 else second.pk) for i, v in enumerate(visits)}
    response = login(market["broker"]).post(reverse("referrals:confirm", args=[published.pk]), data)
    assert "does not allow a package to be split" in response.content.decode()
    assert Referral.objects.get(pk=published.pk).status == Referral.Status.PUBLISHED
    assert set(Offer.objects.values_list("status", flat=True)) == {Offer.Status.ACCEPTED}


@time_machine.travel(LATER, tick=False)
def test_confirm_is_offered_only_once_someone_has_accepted(market, published, login):
    client = login(market["broker"])
    detail = reverse("referrals:detail", args=[published.pk])
    confirm = reverse("referrals:confirm", args=[published.pk])
    assert confirm not in client.get(detail).content.decode()
    response = client.get(confirm, follow=True)
    assert "No provider has accepted this referral yet." in response.content.decode()
    accept(market, published, "provider", "coordinator")
    assert confirm in client.get(detail).content.decode()


@time_machine.travel(LATER, tick=False)
def test_a_placed_referral_cannot_be_confirmed_again(market, published, login):
    offer = accept(market, published, "provider", "coordinator")
    client = login(market["broker"])
    url = reverse("referrals:confirm", args=[published.pk])
    client.post(url, {"everything_to": str(offer.pk)})
    response = client.post(url, {"everything_to": str(offer.pk)}, follow=True)
    assert "This referral is not waiting for a decision." in response.content.decode()
    assert CarePackage.objects.filter(offers__referral=published).count() == 1
