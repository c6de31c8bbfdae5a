"""A council's system records and publishes referrals through the JSON API;
a bad referral is refused with messages a coordinator can act on, and nothing
is created."""

import json

import pytest
import time_machine
from django.urls import reverse

from homecare.referrals import services
from homecare.referrals.models import Referral, ReferralVisit
from tests.referrals.helpers import FRIDAY_4PM


def post_json(client, url, body):
    return client.post(url, json.dumps(body), content_type="application/json")


def referral_body(person, **extra):
    body = {
        "individual": str(person.pk),
        "kind": "hospital_discharge",
        "urgency": "planned",
        "source": "hospital_team",
        "referrer_name": "Ward 4 discharge team",
        "requested_start": "2026-11-21",
        "needs_statement": "Needs help to wash, dress and eat",
        "moving_and_handling": "Zimmer frame",
        "known_risks": "Falls",
        "preferred_worker_gender": "female",
        "safeguarding_concern": True,
        "visits": [
            {
                "weekday": d,
                "slot_start": "07:30",
                "slot_end": "09:00",
                "duration_minutes": 45,
                "tasks": ["Wash and dress", "Breakfast"],
            }
            for d in range(7)
        ]
        + [
            {
                "weekday": 4,
                "slot_start": "17:00",
                "slot_end": "18:30",
                "duration_minutes": 30,
                "workers_required": 2,
            },
        ],
    }
    body.update(extra)
    return body


def test_a_broker_records_a_referral(market, at):
    with at(FRIDAY_4PM, market["broker"]) as client:
        response = post_json(client, reverse("api:referrals"), referral_body(market["person"]))
    assert response.status_code == 201, response.json()
    data = response.json()
    referral = Referral.objects.get(pk=data["id"])
    assert referral.status == Referral.Status.DRAFT
    assert referral.created_by == market["broker"]
    assert referral.safeguarding_concern is True
    assert referral.visits.count() == 8
    assert data["status"] == "draft"
    assert data["received_at"] == "2026-11-20T16:00:00+00:00"
    assert data["weekly_minutes"] == 7 * 45 + 2 * 30
    assert data["visits"][0] == {
        "id": data["visits"][0]["id"],
        "weekday": 0,
        "weekday_name": "Monday",
        "kind": "visit",
        "slot_start": "07:30",
        "slot_end": "09:00",
        "duration_minutes": 45,
        "workers_required": 1,
        "tasks": ["Wash and dress", "Breakfast"],
    }
    assert data["offers"] == []
    assert data["person"]["family_name"] == "Entwistle-Quayle"


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        (
            {"kind": "weekend"},
            "kind",
            "Choose one of: hospital_discharge, urgent_community, planned, restart.",
        ),
        (
            {"requested_start": "21/11/26"},
            "requested_start",
            "Give the date as YYYY-MM-DD, e.g. 2026-11-21.",
        ),
        (
            {"requested_start": 20261121},
            "requested_start",
            "Give the date as YYYY-MM-DD, e.g. 2026-11-21.",
        ),
        ({"needs_statement": ""}, "needs_statement", "Give the needs and outcomes."),
        (
            {"individual": "not-a-uuid"},
            "individual",
            "No person with this id among the people you refer.",
        ),
        ({"visits": []}, "visits", "Add at least one visit wanted."),
        ({"colour": "blue"}, "colour", "Unknown field."),
    ],
)
def test_a_bad_referral_is_refused_with_a_message_and_nothing_is_created(
    market, at, change, field, message
):
    with at(FRIDAY_4PM, market["broker"]) as client:
        response = post_json(
            client, reverse("api:referrals"), referral_body(market["person"], **change)
        )
    assert response.status_code == 400
    assert response.json()["errors"][field] == [message]
    assert not Referral.objects.exists()
    assert not ReferralVisit.objects.exists()


def test_each_bad_visit_is_named_by_its_place_in_the_list(market, at):
    body = referral_body(market["person"])
    body["visits"][1].update(slot_start="09:00", slot_end="08:00")
    body["visits"][2].update(weekday=7, slot_start="7.30am")
    body["visits"][3].update(workers_required=3, duration_minutes=0)
    body["visits"][4] = "Monday at 8"
    with at(FRIDAY_4PM, market["broker"]) as client:
        response = post_json(client, reverse("api:referrals"), body)
    assert response.status_code == 400
    assert response.json()["errors"] == {
        "visits.1.slot_end": ["The slot ends at 08:00, before it starts at 09:00."],
        "visits.2.weekday": ["Give the weekday as a number: 0 for Monday to 6 for Sunday."],
        "visits.2.slot_start": ["Give the time as HH:MM (24-hour clock), e.g. 07:30."],
        "visits.3.workers_required": ["A visit needs 1 worker, or 2 when double-handed."],
        "visits.3.duration_minutes": ["Ensure this value is greater than or equal to 1."],
        "visits.4": [
            "Each visit is an object with weekday, slot_start, slot_end and duration_minutes."
        ],
    }
    assert not Referral.objects.exists()


def test_a_restart_without_the_previous_package_is_refused_by_the_service(market, at):
    with at(FRIDAY_4PM, market["broker"]) as client:
        response = post_json(
            client, reverse("api:referrals"), referral_body(market["person"], kind="restart")
        )
    assert response.status_code == 400
    assert response.json()["errors"] == {
        "previous_package": ["A restart names the package held during the stay."]
    }
    assert not Referral.objects.exists()


def test_a_body_that_is_not_json_is_refused(market, at):
    with at(FRIDAY_4PM, market["broker"]) as client:
        response = client.post(reverse("api:referrals"), "kind=planned", content_type="text/plain")
        listed = post_json(client, reverse("api:referrals"), ["not", "an", "object"])
    assert response.status_code == 400
    assert response.json() == {"error": "The body must be JSON."}
    assert listed.json() == {"error": "The body must be a JSON object."}


def test_a_broker_cannot_refer_another_councils_person(market, at):
    with at(FRIDAY_4PM, market["other_broker"]) as client:
        response = post_json(client, reverse("api:referrals"), referral_body(market["person"]))
    assert response.status_code == 400
    assert "individual" in response.json()["errors"]
    assert not Referral.objects.exists()


@pytest.mark.parametrize("who", ["commissioner", "coordinator", "manager"])
def test_only_a_broker_may_record_a_referral(market, at, who):
    with at(FRIDAY_4PM, market[who]) as client:
        response = post_json(client, reverse("api:referrals"), referral_body(market["person"]))
    assert response.status_code == 404
    assert response.json() == {"error": "Not found"}
    assert not Referral.objects.exists()


def test_a_broker_publishes_and_gets_the_offers_back(market, at):
    """LAN-HC-3.8: a hospital discharge goes at once to every provider in the
    area, each answer due within 24 hours."""
    with at(FRIDAY_4PM, market["broker"]) as client:
        created = post_json(
            client, reverse("api:referrals"), referral_body(market["person"])
        ).json()
        response = client.post(reverse("api:referral_publish", args=[created["id"]]))
        again = client.post(reverse("api:referral_publish", args=[created["id"]]))
    assert response.status_code == 200
    data = response.json()
    assert data["status"] == "published"
    assert data["published_at"] == "2026-11-20T16:00:00+00:00"
    assert {o["provider"]["name"] for o in data["offers"]} == {
        "Pennine Care at Home Ltd",
        "Ribble Valley Homecare",
    }
    first = data["offers"][0]
    assert first["due_at"] == "2026-11-21T16:00:00+00:00"
    assert first["time_left_minutes"] == 24 * 60
    assert first["overdue"] is False
    assert (first["deadline_rule"], first["deadline_ref"]) == (
        "referral.response.hospital_discharge",
        "LAN-HC-3.8",
    )
    assert again.status_code == 409
    assert "already been published" in again.json()["error"]


def test_publishing_with_no_provider_to_offer_is_a_400(market, make_referral, at):
    with time_machine.travel(FRIDAY_4PM, tick=False):
        referral = make_referral()
    market["contract"].status = "ended"
    market["contract"].save()
    market["second_contract"].status = "ended"
    market["second_contract"].save()
    with at(FRIDAY_4PM, market["broker"]) as client:
        response = client.post(reverse("api:referral_publish", args=[referral.pk]))
    assert response.status_code == 400
    assert "No provider can be offered this referral" in response.json()["errors"]["__all__"][0]
    referral.refresh_from_db()
    assert referral.status == Referral.Status.DRAFT


def test_a_council_lists_its_referrals_page_by_page(market, make_referral, at, settings):
    settings.HOMECARE_PAGE_SIZE = 2
    with time_machine.travel(FRIDAY_4PM, tick=False):
        made = [make_referral() for _ in range(3)]
    with at(FRIDAY_4PM, market["commissioner"]) as client:
        first = client.get(reverse("api:referrals")).json()
        second = client.get(reverse("api:referrals") + "?page=2").json()
    assert (first["count"], first["pages"], first["next"], first["previous"]) == (3, 2, 2, None)
    assert len(first["results"]) == 2
    assert second["previous"] == 1
    ids = {r["id"] for r in first["results"] + second["results"]}
    assert ids == {str(r.pk) for r in made}
    assert first["results"][0]["person"]["name"] == "Margaret E."


def test_a_provider_lists_only_the_referrals_offered_to_it(market, make_referral, at):
    with time_machine.travel(FRIDAY_4PM, tick=False):
        offered = services.referral_publish(by=market["broker"], referral=make_referral())
        make_referral()  # a draft: offered to nobody yet
    with at(FRIDAY_4PM, market["coordinator"]) as client:
        listed = client.get(reverse("api:referrals")).json()
        detail = client.get(reverse("api:referral", args=[offered.pk])).json()
    assert [r["id"] for r in listed["results"]] == [str(offered.pk)]
    assert [o["provider"]["name"] for o in detail["offers"]] == ["Pennine Care at Home Ltd"]


def test_the_referral_detail_carries_the_missing_information(market, make_referral, at):
    """LAN-ST-5.4."""
    with time_machine.travel(FRIDAY_4PM, tick=False):
        referral = make_referral(known_risks="")
    with at(FRIDAY_4PM, market["broker"]) as client:
        data = client.get(reverse("api:referral", args=[referral.pk])).json()
    assert data["missing_information"] == ["known risks and how they are managed"]
