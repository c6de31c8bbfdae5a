"""Before publishing, the broker sees what is missing and who will be offered
the referral; the Publish button makes the offers, each with its own clock."""

from datetime import timedelta

import time_machine
from django.urls import reverse

from homecare.people.models import Contact
from homecare.referrals import services
from homecare.referrals.models import Offer, Referral
from tests.referrals.helpers import FRIDAY_4PM


@time_machine.travel(FRIDAY_4PM, tick=False)
def test_the_draft_shows_who_will_be_offered_it_and_who_is_left_out(market, make_referral, login):
    referral = make_referral()
    page = (
        login(market["broker"])
        .get(reverse("referrals:detail", args=[referral.pk]))
        .content.decode()
    )
    assert "Who will be offered it" in page
    assert "Pennine Care at Home Ltd" in page
    assert "Ribble Valley Homecare" in page
    assert "Preston Community Care" in page
    assert "Does not cover the person&#x27;s area" in page
    assert "Publish to 2 providers" in page


@time_machine.travel(FRIDAY_4PM, tick=False)
def test_the_draft_warns_of_missing_basic_information(market, make_referral, login):
    """LAN-ST-5.4: providers may decline for missing basic information."""
    referral = make_referral()
    Contact.objects.filter(individual=market["person"]).update(is_next_of_kin=False)
    page = (
        login(market["broker"])
        .get(reverse("referrals:detail", args=[referral.pk]))
        .content.decode()
    )
    assert "Providers may decline for missing basic information (LAN-ST-5.4)" in page
    assert "Next of kin" in page


@time_machine.travel(FRIDAY_4PM, tick=False)
def test_publishing_through_the_page_makes_the_offers(market, make_referral, login):
    """LAN-HC-3.8: a hospital discharge is answered within 24 hours."""
    referral = make_referral()
    client = login(market["broker"])
    response = client.post(reverse("referrals:publish", args=[referral.pk]), follow=True)
    referral.refresh_from_db()
    assert referral.status == Referral.Status.PUBLISHED
    offers = referral.offers.all()
    assert {o.provider for o in offers} == {market["provider"], market["second"]}
    assert {o.due_at for o in offers} == {FRIDAY_4PM + timedelta(hours=24)}
    page = response.content.decode()
    assert "Published to Pennine Care at Home Ltd and Ribble Valley Homecare." in page
    assert "referral.response.hospital_discharge" in page
    assert "LAN-HC-3.8" in page
    assert "Sat 21 Nov 16:00" in page
    assert "1 d 0 h left" in page
    assert "Publish to" not in page


@time_machine.travel(FRIDAY_4PM.replace(hour=11), tick=False)
def test_planned_work_is_queued_for_the_daily_batch(market, make_referral, login):
    """LAN-HC-3.2: planned referrals are circulated once a day."""
    referral = make_referral(kind="planned", urgency="planned")
    response = login(market["broker"]).post(
        reverse("referrals:publish", args=[referral.pk]), follow=True
    )
    assert "Queued: it goes out with the daily batch at 09:00 on Saturday 21 November" in (
        response.content.decode()
    )
    assert Referral.objects.get(pk=referral.pk).status == Referral.Status.QUEUED


@time_machine.travel(FRIDAY_4PM, tick=False)
def test_publishing_twice_is_refused_with_a_message(market, make_referral, login):
    referral = services.referral_publish(by=market["broker"], referral=make_referral())
    response = login(market["broker"]).post(
        reverse("referrals:publish", args=[referral.pk]), follow=True
    )
    assert "This referral has already been published." in response.content.decode()
    assert Offer.objects.count() == 2


@time_machine.travel(FRIDAY_4PM, tick=False)
def test_a_referral_no_provider_may_take_is_refused_with_the_reasons(market, make_referral, login):
    referral = make_referral()
    market["contract"].areas.clear()
    market["second_contract"].areas.clear()
    response = login(market["broker"]).post(
        reverse("referrals:publish", args=[referral.pk]), follow=True
    )
    page = response.content.decode()
    assert "No provider can be offered this referral" in page
    assert Referral.objects.get(pk=referral.pk).status == Referral.Status.DRAFT
    assert Offer.objects.count() == 0
