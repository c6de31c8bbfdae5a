"""The provider reads an offer and answers it on the page: accept with an arrival
inside each slot and a start date, or decline with a reason. Bad answers are
refused with a clear message and change nothing."""

from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse

from homecare.referrals import services
from homecare.referrals.models import Offer, OfferSlot
from tests import factories as f
from tests.referrals.helpers import FRIDAY_4PM


@pytest.fixture
def offer(market, published):
    return published.offers.get(provider=market["provider"])


SATURDAY = FRIDAY_4PM.date() + timedelta(days=1)
AN_HOUR_LATER = FRIDAY_4PM + timedelta(hours=1)


def acceptance(referral, *, hour_offset=0, **extra):
    data = {"start_date": SATURDAY.isoformat()}
    for v in referral.visits.all():
        data[f"arrival_{v.pk}"] = f"{v.slot_start.hour + hour_offset:02d}:{v.slot_start.minute:02d}"
    data.update(extra)
    return data


def _page(response):
    return response.content.decode()


def test_the_offer_page_shows_what_the_provider_needs_to_decide(market, offer, at):
    """LAN-ST-5.1: the referral's facts; the clock and the rule that set it;
    LAN-HC-3.9: the latest start."""
    person = market["person"]
    person.medical_conditions = "Type 2 diabetes"
    person.communication_needs = "Hard of hearing: face her when speaking"
    person.save()
    with at(AN_HOUR_LATER, market["coordinator"]) as client:
        page = _page(client.get(reverse("referrals:offer", args=[offer.pk])))
    for text in [
        "Margaret Entwistle-Quayle",
        "Needs help to wash, dress and eat",
        "Type 2 diabetes",
        "Zimmer frame",
        "Falls",
        "Hard of hearing",
        "07:30–09:00",
        "17:00–18:30",
        "referral.response.hospital_discharge",
        "LAN-HC-3.8",
        "23 h 00 min left",
        "Sunday 22 November 2026",
        "LAN-HC-3.9",
        "Accept",
        "Decline",
        'min="07:30" max="09:00"',
    ]:
        assert text in page, text
    assert person.nhs_number_display not in page


def test_missing_basic_information_is_flagged(market, make_referral, offer, at):
    """LAN-ST-5.4: a referral without moving and handling instructions may be declined."""
    with at(AN_HOUR_LATER, market["coordinator"]) as client:
        complete = _page(client.get(reverse("referrals:offer", args=[offer.pk])))
    with time_machine.travel(FRIDAY_4PM, tick=False):
        lacking = services.referral_publish(
            by=market["broker"], referral=make_referral(moving_and_handling="")
        )
    with at(AN_HOUR_LATER, market["coordinator"]) as client:
        page = _page(
            client.get(
                reverse(
                    "referrals:offer", args=[lacking.offers.get(provider=market["provider"]).pk]
                )
            )
        )
    assert "Information missing from this referral" not in complete
    assert "Information missing from this referral (LAN-ST-5.4)" in page
    assert "<li>moving and handling equipment and instructions</li>" in page


def test_the_gender_question_appears_only_when_the_referral_has_a_preference(
    market, make_referral, offer, at
):
    with time_machine.travel(FRIDAY_4PM, tick=False):
        female = services.referral_publish(
            by=market["broker"], referral=make_referral(preferred_worker_gender="female")
        )
    with at(AN_HOUR_LATER, market["coordinator"]) as client:
        without = _page(client.get(reverse("referrals:offer", args=[offer.pk])))
        with_pref = _page(
            client.get(
                reverse("referrals:offer", args=[female.offers.get(provider=market["provider"]).pk])
            )
        )
    question = "Can you provide the preferred worker gender?"
    assert question not in without
    assert question in with_pref


def test_accepting_on_the_page_records_the_arrival_times_and_start(market, offer, at):
    """LAN-HC-3.5 and LAN-HC-3.6: an arrival inside each slot, and the start date."""
    with at(AN_HOUR_LATER, market["coordinator"]) as client:
        response = client.post(
            reverse("referrals:offer_accept", args=[offer.pk]),
            acceptance(offer.referral, **{f"arrival_{offer.referral.visits.first().pk}": "08:15"}),
            follow=True,
        )
    offer.refresh_from_db()
    assert offer.status == Offer.Status.ACCEPTED
    assert offer.start_date == SATURDAY
    assert offer.response_minutes == 60  # KENT-GLOSS-RT
    assert offer.slots.count() == 14
    assert {f"{s.arrival_time:%H:%M}" for s in offer.slots.all()} == {"07:30", "08:15", "17:00"}
    page = _page(response)
    assert "Accepted: the council will confirm the package" in page
    assert "You accepted this offer" in page
    assert 'action="{}"'.format(reverse("referrals:offer_accept", args=[offer.pk])) not in page
    assert "08:15" in page


def test_declining_on_the_page_records_the_reason(market, offer, at):
    """LAN-HC-3.6: decline with a reason."""
    with at(FRIDAY_4PM + timedelta(minutes=20), market["manager"]) as client:
        response = client.post(
            reverse("referrals:offer_decline", args=[offer.pk]),
            {"decline_reason": "no_staff_in_area", "decline_details": "All on leave"},
            follow=True,
        )
    offer.refresh_from_db()
    assert (offer.status, offer.decline_reason, offer.response_minutes) == (
        Offer.Status.DECLINED,
        "no_staff_in_area",
        20,
    )
    page = _page(response)
    assert "You declined this offer" in page
    assert "No staff in that area: All on leave" in page
    assert "decline-form" not in page


def test_an_answer_after_the_deadline_is_taken_and_shown_as_late(market, offer, at):
    with at(offer.due_at + timedelta(minutes=5), market["coordinator"]) as client:
        before = _page(client.get(reverse("referrals:offer", args=[offer.pk])))
        response = client.post(
            reverse("referrals:offer_accept", args=[offer.pk]),
            acceptance(offer.referral),
            follow=True,
        )
    assert "5 min overdue" in before
    assert "recorded as late" in before
    offer.refresh_from_db()
    assert offer.status == Offer.Status.ACCEPTED
    assert offer.answered_late is True
    assert "answered late" in _page(response)


def _refused(market, offer, at, data, *, url="referrals:offer_accept"):
    with at(AN_HOUR_LATER, market["coordinator"]) as client:
        response = client.post(reverse(url, args=[offer.pk]), data)
    assert response.status_code == 200
    offer.refresh_from_db()
    assert offer.status == Offer.Status.OPEN
    assert not OfferSlot.objects.filter(offer=offer).exists()
    page = _page(response)
    assert "Nothing was saved" in page
    return page


def test_an_arrival_outside_the_slot_is_refused(market, offer, at):
    """LAN-HC-3.5."""
    page = _refused(market, offer, at, acceptance(offer.referral, hour_offset=2))
    assert "Arrival 09:30 is outside the slot 07:30–09:00 (LAN-HC-3.5)." in page
    assert 'value="09:30"' in page  # what was typed is kept


def test_accepting_without_a_start_date_is_refused(market, offer, at):
    page = _refused(market, offer, at, acceptance(offer.referral, start_date=""))
    assert "Give the date care can start." in page


def test_a_start_outside_the_window_is_refused(market, offer, at):
    """LAN-HC-3.9: the window ends Saturday 16:00, so the start is Sunday at the latest."""
    late_start = (FRIDAY_4PM.date() + timedelta(days=3)).isoformat()
    page = _refused(market, offer, at, acceptance(offer.referral, start_date=late_start))
    assert "The start must be on or before Sunday 22 November (LAN-HC-3.9)." in page


def test_a_missing_arrival_time_is_refused(market, offer, at):
    data = acceptance(offer.referral)
    first = offer.referral.visits.first()
    del data[f"arrival_{first.pk}"]
    page = _refused(market, offer, at, data)
    assert "Give an arrival time for Monday 07:30–09:00, 45 min." in page


def test_the_gender_preference_must_be_answered(market, make_referral, at):
    with time_machine.travel(FRIDAY_4PM, tick=False):
        referral = services.referral_publish(
            by=market["broker"], referral=make_referral(preferred_worker_gender="female")
        )
    offer = referral.offers.get(provider=market["provider"])
    page = _refused(market, offer, at, acceptance(referral))
    assert "Say whether the preferred worker gender can be provided." in page
    with at(AN_HOUR_LATER, market["coordinator"]) as client:
        client.post(
            reverse("referrals:offer_accept", args=[offer.pk]),
            acceptance(referral, gender_preference_met="no"),
        )
    offer.refresh_from_db()
    assert (offer.status, offer.gender_preference_met) == (Offer.Status.ACCEPTED, False)


def test_a_decline_needs_a_reason_and_details_for_other(market, offer, at):
    page = _refused(market, offer, at, {"decline_reason": ""}, url="referrals:offer_decline")
    assert "Choose a reason from the list." in page
    page = _refused(market, offer, at, {"decline_reason": "other"}, url="referrals:offer_decline")
    assert "Say why, when the reason is &#x27;Other&#x27;." in page


def test_answering_twice_is_refused_with_a_clear_message(market, offer, at):
    with at(AN_HOUR_LATER, market["coordinator"]) as client:
        client.post(reverse("referrals:offer_accept", args=[offer.pk]), acceptance(offer.referral))
        response = client.post(
            reverse("referrals:offer_decline", args=[offer.pk]),
            {"decline_reason": "no_capacity"},
            follow=True,
        )
    assert "This offer was already answered (accepted) at 17:00 on 20 November." in _page(response)
    offer.refresh_from_db()
    assert offer.status == Offer.Status.ACCEPTED


def test_a_withdrawn_offer_says_so_and_cannot_be_answered(market, published, offer, at):
    with time_machine.travel(FRIDAY_4PM + timedelta(minutes=30), tick=False):
        services.referral_cancel(
            by=market["broker"], referral=published, reason="Went to a care home"
        )
    with at(AN_HOUR_LATER, market["coordinator"]) as client:
        page = _page(client.get(reverse("referrals:offer", args=[offer.pk])))
        response = client.post(
            reverse("referrals:offer_accept", args=[offer.pk]),
            acceptance(offer.referral),
            follow=True,
        )
    assert "This offer was withdrawn by the council" in page
    assert "accept-form" not in page
    assert "decline-form" not in page
    assert "it can no longer be answered" in _page(response)
    offer.refresh_from_db()
    assert offer.status == Offer.Status.WITHDRAWN
    assert not offer.slots.exists()


def test_a_get_on_an_answer_address_goes_back_to_the_offer(market, offer, at):
    with at(AN_HOUR_LATER, market["coordinator"]) as client:
        response = client.get(reverse("referrals:offer_accept", args=[offer.pk]))
    assert response.status_code == 302
    assert response["Location"] == reverse("referrals:offer", args=[offer.pk])


PROVIDER_ROUTES = [
    ("referrals:offer", "get"),
    ("referrals:offer_accept", "post"),
    ("referrals:offer_decline", "post"),
    ("referrals:offer_accept", "get"),
]


@pytest.mark.parametrize(("name", "method"), PROVIDER_ROUTES)
@pytest.mark.parametrize(
    "who", ["second_coordinator", "far_coordinator", "outsider", "broker", "other_broker", "worker"]
)
def test_anyone_but_the_offered_provider_gets_404(market, offer, at, name, method, who):
    """Another provider's offer (and any offer, for a council or a care worker) is a 404."""
    with at(AN_HOUR_LATER, market[who]) as client:
        response = getattr(client, method)(
            reverse(name, args=[offer.pk]), acceptance(offer.referral)
        )
    assert response.status_code == 404
    offer.refresh_from_db()
    assert offer.status == Offer.Status.OPEN


@pytest.mark.parametrize(("name", "method"), PROVIDER_ROUTES)
def test_a_signed_out_visitor_is_sent_to_sign_in(client, offer, name, method):
    response = getattr(client, method)(reverse(name, args=[offer.pk]))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_a_confirmed_offer_links_to_its_package(market, published, offer, at):
    with at(AN_HOUR_LATER, market["coordinator"]) as client:
        client.post(reverse("referrals:offer_accept", args=[offer.pk]), acceptance(published))
    with time_machine.travel(AN_HOUR_LATER + timedelta(minutes=5), tick=False):
        [package] = services.referral_confirm(
            by=market["broker"],
            referral=published,
            allocations={v.pk: offer.pk for v in published.visits.all()},
        )
    with at(AN_HOUR_LATER + timedelta(minutes=10), market["coordinator"]) as client:
        page = _page(client.get(reverse("referrals:offer", args=[offer.pk])))
    assert "the council confirmed" in page
    assert reverse("packages:detail", args=[package.pk]) in page


def test_next_of_kin_is_shown_but_not_other_contacts(market, offer, at):
    """LAN-ST-5.1: the referral carries the next of kin."""
    f.ContactFactory(individual=market["person"], name="Dr Okafor", is_next_of_kin=False)
    with at(AN_HOUR_LATER, market["coordinator"]) as client:
        page = _page(client.get(reverse("referrals:offer", args=[offer.pk])))
    assert "Susan Hargreaves (Son or daughter), +447700900123" in page
    assert "Dr Okafor" not in page
