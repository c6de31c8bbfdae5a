"""A provider's system lists its offers and answers them through the JSON API;
the council's sees the offers of its referrals."""

import json
from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse

from homecare.referrals import services
from homecare.referrals.models import Offer, OfferSlot
from tests.referrals.helpers import FRIDAY_4PM


@pytest.fixture
def offer(market, published):
    return published.offers.get(provider=market["provider"])


AN_HOUR_LATER = FRIDAY_4PM + timedelta(hours=1)


def post_json(client, url, body):
    return client.post(url, json.dumps(body), content_type="application/json")


def acceptance(referral, *, hour_offset=0, **extra):
    body = {
        "start_date": "2026-11-21",
        "arrivals": {
            str(v.pk): f"{v.slot_start.hour + hour_offset:02d}:{v.slot_start.minute:02d}"
            for v in referral.visits.all()
        },
    }
    body.update(extra)
    return body


def test_a_provider_lists_its_offers_with_their_clocks(market, published, at):
    with at(AN_HOUR_LATER, market["coordinator"]) as client:
        data = client.get(reverse("api:offers")).json()
    assert data["count"] == 1
    [item] = data["results"]
    assert item["provider"]["name"] == "Pennine Care at Home Ltd"
    assert item["referral"]["person"] == {"id": str(market["person"].pk), "name": "Margaret E."}
    assert item["offered_at"] == "2026-11-20T16:00:00+00:00"
    assert item["due_at"] == "2026-11-21T16:00:00+00:00"
    assert item["time_left_minutes"] == 23 * 60
    assert item["overdue"] is False


def test_an_overdue_offer_says_so(market, offer, at):
    with at(offer.due_at + timedelta(minutes=1), market["coordinator"]) as client:
        item = client.get(reverse("api:offer", args=[offer.pk])).json()
    assert item["overdue"] is True
    assert item["time_left_minutes"] == -1


def test_the_offer_carries_the_visits_wanted_and_the_window(market, offer, at):
    """LAN-HC-3.4 slots; LAN-HC-3.9 the latest start."""
    with at(AN_HOUR_LATER, market["coordinator"]) as client:
        data = client.get(reverse("api:offer", args=[offer.pk])).json()
    assert len(data["visits"]) == 14
    assert data["visits"][0]["slot_start"] == "07:30"
    assert data["visits"][0]["slot_end"] == "09:00"
    assert data["latest_start"] == "2026-11-22T16:00:00+00:00"
    assert data["latest_start_ref"] == "LAN-HC-3.9"
    assert data["deadline_rule"] == "referral.response.hospital_discharge"
    assert data["person"]["given_name"] == "Margaret"
    assert data["needs_start_time"] is False


def test_the_status_filter(market, make_referral, published, at):
    with time_machine.travel(FRIDAY_4PM, tick=False):
        other = services.referral_publish(by=market["broker"], referral=make_referral())
    with time_machine.travel(AN_HOUR_LATER, tick=False):
        services.offer_decline(
            by=market["coordinator"],
            offer=other.offers.get(provider=market["provider"]),
            reason="no_capacity",
        )
    with at(AN_HOUR_LATER, market["coordinator"]) as client:
        open_ = client.get(reverse("api:offers") + "?status=open").json()
        declined = client.get(reverse("api:offers") + "?status=declined").json()
        bad = client.get(reverse("api:offers") + "?status=maybe")
    assert [o["referral"]["id"] for o in open_["results"]] == [str(published.pk)]
    assert [o["referral"]["id"] for o in declined["results"]] == [str(other.pk)]
    assert bad.status_code == 400
    assert "Choose one of: open, accepted" in bad.json()["errors"]["status"][0]


def test_a_council_sees_every_offer_of_its_referrals(market, published, at):
    with at(AN_HOUR_LATER, market["broker"]) as client:
        data = client.get(reverse("api:offers")).json()
    assert {o["provider"]["name"] for o in data["results"]} == {
        "Pennine Care at Home Ltd",
        "Ribble Valley Homecare",
    }


def test_a_provider_accepts_through_the_api(market, offer, at):
    """LAN-HC-3.5, LAN-HC-3.6; KENT-GLOSS-RT response time."""
    first = offer.referral.visits.first()
    body = acceptance(offer.referral)
    body["arrivals"][str(first.pk)] = "08:10"
    with at(AN_HOUR_LATER, market["coordinator"]) as client:
        response = post_json(client, reverse("api:offer_accept", args=[offer.pk]), body)
    assert response.status_code == 200, response.json()
    data = response.json()
    assert data["status"] == "accepted"
    assert data["start_date"] == "2026-11-21"
    assert data["response_minutes"] == 60
    assert data["answered_at"] == "2026-11-20T17:00:00+00:00"
    assert data["time_left_minutes"] is None
    assert data["visits"][0]["arrival_time"] == "08:10"
    offer.refresh_from_db()
    assert offer.status == Offer.Status.ACCEPTED
    assert offer.slots.count() == 14


def test_a_provider_declines_through_the_api(market, offer, at):
    with at(AN_HOUR_LATER, market["manager"]) as client:
        response = post_json(
            client,
            reverse("api:offer_decline", args=[offer.pk]),
            {"reason": "times", "details": "Nobody free before 09:00"},
        )
    assert response.status_code == 200
    assert (response.json()["status"], response.json()["decline_reason"]) == ("declined", "times")
    offer.refresh_from_db()
    assert (offer.status, offer.decline_details) == (
        Offer.Status.DECLINED,
        "Nobody free before 09:00",
    )


@pytest.mark.parametrize(
    ("change", "errors"),
    [
        ({"start_date": None}, {"start_date": ["Give the date care can start."]}),
        (
            {"start_date": "2026-11-23"},
            {"start_date": ["The start must be on or before Sunday 22 November (LAN-HC-3.9)."]},
        ),
        (
            {"start_date": "next week"},
            {"start_date": ["Give the start date as a date, e.g. 2026-11-21."]},
        ),
        (
            {"gender_preference_met": "perhaps"},
            {"gender_preference_met": ["Answer true or false."]},
        ),
        (
            {"arrivals": ["07:30"]},
            {"arrivals": ['Give the arrivals as {"<visit id>": "HH:MM"}, one per visit wanted.']},
        ),
        ({"colour": "blue"}, {"colour": ["Unknown field."]}),
    ],
)
def test_a_bad_acceptance_is_refused_and_changes_nothing(market, offer, at, change, errors):
    with at(AN_HOUR_LATER, market["coordinator"]) as client:
        response = post_json(
            client,
            reverse("api:offer_accept", args=[offer.pk]),
            acceptance(offer.referral, **change),
        )
    assert response.status_code == 400
    assert response.json()["errors"] == errors
    offer.refresh_from_db()
    assert offer.status == Offer.Status.OPEN
    assert not OfferSlot.objects.exists()


def test_an_arrival_outside_the_slot_is_named_by_its_visit(market, offer, at):
    """LAN-HC-3.5."""
    first = offer.referral.visits.first()
    body = acceptance(offer.referral)
    body["arrivals"][str(first.pk)] = "10:00"
    body["arrivals"]["999999"] = "10:00"
    with at(AN_HOUR_LATER, market["coordinator"]) as client:
        unknown = post_json(client, reverse("api:offer_accept", args=[offer.pk]), body)
        del body["arrivals"]["999999"]
        outside = post_json(client, reverse("api:offer_accept", args=[offer.pk]), body)
        body["arrivals"][str(first.pk)] = "8 o'clock"
        garbled = post_json(client, reverse("api:offer_accept", args=[offer.pk]), body)
    assert unknown.json()["errors"] == {
        "arrivals.999999": ["This referral wants no visit with this id."]
    }
    assert outside.json()["errors"] == {
        f"arrivals.{first.pk}": ["Arrival 10:00 is outside the slot 07:30–09:00 (LAN-HC-3.5)."]
    }
    assert garbled.json()["errors"] == {
        f"arrivals.{first.pk}": ["Give the arrival as HH:MM, between 07:30–09:00."]
    }
    assert Offer.objects.get(pk=offer.pk).status == Offer.Status.OPEN


def test_a_bad_decline_is_refused(market, offer, at):
    with at(AN_HOUR_LATER, market["coordinator"]) as client:
        no_reason = post_json(client, reverse("api:offer_decline", args=[offer.pk]), {})
        other = post_json(
            client, reverse("api:offer_decline", args=[offer.pk]), {"reason": "other"}
        )
        busy = post_json(client, reverse("api:offer_decline", args=[offer.pk]), {"reason": "busy"})
    assert no_reason.json()["errors"] == {"reason": ["Choose a reason from the list."]}
    assert other.json()["errors"] == {"details": ["Say why, when the reason is 'Other'."]}
    assert busy.json()["errors"] == {"reason": ["Choose a reason from the list."]}
    assert Offer.objects.get(pk=offer.pk).status == Offer.Status.OPEN


def test_answering_twice_is_a_409(market, offer, at):
    with at(AN_HOUR_LATER, market["coordinator"]) as client:
        post_json(client, reverse("api:offer_accept", args=[offer.pk]), acceptance(offer.referral))
        again = post_json(
            client, reverse("api:offer_accept", args=[offer.pk]), acceptance(offer.referral)
        )
        decline = post_json(
            client, reverse("api:offer_decline", args=[offer.pk]), {"reason": "other"}
        )
    assert again.status_code == 409
    assert again.json() == {
        "error": "This offer was already answered (accepted) at 17:00 on 20 November."
    }
    assert decline.status_code == 409
    assert Offer.objects.get(pk=offer.pk).status == Offer.Status.ACCEPTED


def test_answering_a_withdrawn_offer_is_a_409(market, published, offer, at):
    with time_machine.travel(FRIDAY_4PM + timedelta(minutes=10), tick=False):
        services.referral_cancel(by=market["broker"], referral=published, reason="Passed away")
    with at(AN_HOUR_LATER, market["coordinator"]) as client:
        response = post_json(
            client, reverse("api:offer_decline", args=[offer.pk]), {"reason": "no_capacity"}
        )
    assert response.status_code == 409
    assert "withdrawn by the council" in response.json()["error"]


def test_an_answer_after_the_deadline_is_recorded_as_late(market, offer, at):
    with at(offer.due_at + timedelta(hours=2), market["coordinator"]) as client:
        response = post_json(
            client, reverse("api:offer_accept", args=[offer.pk]), acceptance(offer.referral)
        )
    assert response.status_code == 200
    assert response.json()["answered_late"] is True


def test_a_council_cannot_answer_for_the_provider(market, offer, at):
    with at(AN_HOUR_LATER, market["broker"]) as client:
        response = post_json(
            client, reverse("api:offer_accept", args=[offer.pk]), acceptance(offer.referral)
        )
    assert response.status_code == 404
    assert Offer.objects.get(pk=offer.pk).status == Offer.Status.OPEN
