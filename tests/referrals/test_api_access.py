"""Who may call the API: a signed-in session (with CSRF on POST) or a bearer
token; an object the caller may not see is a 404 for every URL; the NHS
number never leaves in a response."""

import json
from datetime import timedelta

import pytest
import time_machine
from django.test import Client
from django.urls import get_resolver, reverse

from homecare.api_tokens import services as tokens
from homecare.referrals.models import Offer, Referral
from tests.referrals.helpers import FRIDAY_4PM

AN_HOUR_LATER = FRIDAY_4PM + timedelta(hours=1)


@pytest.fixture
def offer(market, published):
    return published.offers.get(provider=market["provider"])


def post_json(client, url, body, **kwargs):
    return client.post(url, json.dumps(body), content_type="application/json", **kwargs)


# route name -> (the object: "referral" or "offer", method)
OBJECT_ROUTES = {
    "api:referral": ("referral", "get"),
    "api:referral_publish": ("referral", "post"),
    "api:offer": ("offer", "get"),
    "api:offer_accept": ("offer", "post"),
    "api:offer_decline": ("offer", "post"),
}
LIST_ROUTES = {"api:referrals", "api:offers"}


def test_every_api_route_is_in_the_sweep():
    names = {f"api:{p.name}" for p in get_resolver("homecare.referrals.api_urls").url_patterns}
    assert names == set(OBJECT_ROUTES) | LIST_ROUTES


def _url(name, published, offer):
    target = published if OBJECT_ROUTES[name][0] == "referral" else offer
    return reverse(name, args=[target.pk])


@pytest.mark.parametrize("name", sorted(OBJECT_ROUTES))
@pytest.mark.parametrize(
    "who", ["outsider", "far_coordinator", "other_broker", "worker", "daughter"]
)
def test_an_outsider_gets_404_for_each_object(market, published, offer, at, name, who):
    """far_coordinator works for a provider of the same council that was not
    offered this referral; outsider and other_broker have nothing to do with it."""
    with at(AN_HOUR_LATER, market[who]) as client:
        response = getattr(client, OBJECT_ROUTES[name][1])(_url(name, published, offer))
    assert response.status_code == 404
    assert response.json() == {"error": "Not found"}
    assert Offer.objects.get(pk=offer.pk).status == Offer.Status.OPEN


@pytest.mark.parametrize("name", sorted(LIST_ROUTES))
@pytest.mark.parametrize(
    "who", ["outsider", "far_coordinator", "other_broker", "worker", "daughter"]
)
def test_an_outsider_lists_nothing(market, published, at, name, who):
    with at(AN_HOUR_LATER, market[who]) as client:
        data = client.get(reverse(name)).json()
    assert data["count"] == 0
    assert data["results"] == []


def test_another_provider_offered_the_same_referral_sees_only_its_own_offer(market, published, at):
    theirs = published.offers.get(provider=market["second"])
    mine = published.offers.get(provider=market["provider"])
    with at(AN_HOUR_LATER, market["second_coordinator"]) as client:
        assert client.get(reverse("api:offer", args=[mine.pk])).status_code == 404
        assert client.get(reverse("api:offer", args=[theirs.pk])).status_code == 200
        referral = client.get(reverse("api:referral", args=[published.pk])).json()
    assert [o["id"] for o in referral["offers"]] == [str(theirs.pk)]


@pytest.mark.parametrize("name", sorted(OBJECT_ROUTES) + sorted(LIST_ROUTES))
def test_an_anonymous_caller_gets_401_json(client, published, offer, name):
    if name in LIST_ROUTES:
        url, method = reverse(name), "get"
    else:
        url, method = _url(name, published, offer), OBJECT_ROUTES[name][1]
    response = getattr(client, method)(url)
    assert response.status_code == 401
    assert response["WWW-Authenticate"].startswith("Bearer")
    assert "API token" in response.json()["error"]


def test_a_wrong_method_is_a_405(market, offer, at):
    with at(AN_HOUR_LATER, market["coordinator"]) as client:
        response = client.get(reverse("api:offer_accept", args=[offer.pk]))
    assert response.status_code == 405
    assert response["Allow"] == "POST"


# ---------------------------------------------------------------- bearer tokens


def bearer(plaintext):
    return {"Authorization": f"Bearer {plaintext}"}


def test_a_bearer_token_acts_as_its_user(market, offer):
    _, plaintext = tokens.token_create(user=market["coordinator"], name="Rostering system")
    client = Client(enforce_csrf_checks=True)
    with time_machine.travel(AN_HOUR_LATER, tick=False):
        listed = client.get(reverse("api:offers"), headers=bearer(plaintext))
        answered = post_json(
            client,
            reverse("api:offer_decline", args=[offer.pk]),
            {"reason": "no_capacity"},
            headers=bearer(plaintext),
        )
    assert listed.status_code == 200
    assert [o["id"] for o in listed.json()["results"]] == [str(offer.pk)]
    assert answered.status_code == 200  # no CSRF token needed with a bearer token
    offer.refresh_from_db()
    assert (offer.status, offer.answered_by) == (Offer.Status.DECLINED, market["coordinator"])
    assert offer.history.first().history_user == market["coordinator"]


def test_a_bearer_token_for_a_broker_creates_and_publishes(market, make_referral):
    _, plaintext = tokens.token_create(user=market["broker"], name="Case management")
    with time_machine.travel(FRIDAY_4PM, tick=False):
        draft = make_referral()
        response = Client().post(
            reverse("api:referral_publish", args=[draft.pk]), headers=bearer(plaintext)
        )
    assert response.status_code == 200
    assert Referral.objects.get(pk=draft.pk).status == Referral.Status.PUBLISHED


@pytest.mark.parametrize(
    "header",
    [
        "Bearer hc_not-a-real-token",
        "Basic Y29vcmRpbmF0b3I6cGFzc3dvcmQ=",
        "Bearer ",
    ],
)
def test_an_unknown_or_malformed_token_is_a_401(client, market, offer, header):
    response = client.get(reverse("api:offers"), headers={"Authorization": header})
    assert response.status_code == 401
    assert "error" in response.json()


def test_a_revoked_token_is_refused(client, market, offer):
    token, plaintext = tokens.token_create(user=market["coordinator"], name="Old system")
    assert client.get(reverse("api:offers"), headers=bearer(plaintext)).status_code == 200
    tokens.token_revoke(token=token)
    response = post_json(
        client,
        reverse("api:offer_decline", args=[offer.pk]),
        {"reason": "no_capacity"},
        headers=bearer(plaintext),
    )
    assert response.status_code == 401
    assert response.json() == {"error": "This API token has been revoked."}
    assert Offer.objects.get(pk=offer.pk).status == Offer.Status.OPEN


def test_a_token_of_a_switched_off_account_is_refused(client, market):
    _, plaintext = tokens.token_create(user=market["coordinator"], name="Rostering system")
    market["coordinator"].is_active = False
    market["coordinator"].save()
    assert client.get(reverse("api:offers"), headers=bearer(plaintext)).status_code == 401


def test_a_bad_token_does_not_fall_back_to_the_session(market, at):
    with at(AN_HOUR_LATER, market["coordinator"]) as client:
        response = client.get(reverse("api:offers"), headers=bearer("hc_stolen"))
    assert response.status_code == 401


# ---------------------------------------------------------------- CSRF


def _signed_in(client, user):
    """As tests/conftest.py's ``login``, for a client that enforces CSRF."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = TOTPDevice.objects.filter(user=user).first() or TOTPDevice.objects.create(
        user=user, name="test", confirmed=True
    )
    client.force_login(user)
    session = client.session
    session["otp_device_id"] = device.persistent_id
    session.save()
    return client


def test_a_session_post_needs_the_csrf_token(market, offer):
    with time_machine.travel(AN_HOUR_LATER, tick=False):
        client = _signed_in(Client(enforce_csrf_checks=True), market["coordinator"])
        refused = post_json(
            client, reverse("api:offer_decline", args=[offer.pk]), {"reason": "no_capacity"}
        )
        assert Offer.objects.get(pk=offer.pk).status == Offer.Status.OPEN
        client.get(reverse("referrals:inbox"))  # a page sets the CSRF cookie
        token = client.cookies["csrftoken"].value
        accepted = post_json(
            client,
            reverse("api:offer_decline", args=[offer.pk]),
            {"reason": "no_capacity"},
            headers={"X-CSRFToken": token},
        )
    assert refused.status_code == 403
    assert refused.json()["error"].startswith("CSRF check failed")
    assert accepted.status_code == 200
    assert Offer.objects.get(pk=offer.pk).status == Offer.Status.DECLINED


def test_a_session_get_needs_no_csrf_token(market, offer):
    with time_machine.travel(AN_HOUR_LATER, tick=False):
        client = _signed_in(Client(enforce_csrf_checks=True), market["coordinator"])
        assert client.get(reverse("api:offers")).status_code == 200


# ---------------------------------------------------------------- the NHS number


def test_the_nhs_number_is_never_sent(market, published, offer, at):
    person = market["person"]
    assert len(person.nhs_number) == 10
    urls = [
        reverse("api:referrals"),
        reverse("api:referral", args=[published.pk]),
        reverse("api:offers"),
        reverse("api:offer", args=[offer.pk]),
    ]
    bodies = []
    for who in ["broker", "commissioner", "coordinator"]:
        with at(AN_HOUR_LATER, market[who]) as client:
            bodies += [client.get(url).content.decode() for url in urls]
    with at(AN_HOUR_LATER, market["coordinator"]) as client:
        bodies.append(
            post_json(
                client, reverse("api:offer_decline", args=[offer.pk]), {"reason": "no_capacity"}
            ).content.decode()
        )
    with at(AN_HOUR_LATER, market["broker"]) as client:
        created = post_json(
            client,
            reverse("api:referrals"),
            {
                "individual": str(person.pk),
                "kind": "planned",
                "urgency": "planned",
                "source": "community_team",
                "referrer_name": "Duty team",
                "requested_start": "2026-11-30",
                "needs_statement": "Meals",
                "visits": [
                    {
                        "weekday": 0,
                        "slot_start": "12:00",
                        "slot_end": "13:00",
                        "duration_minutes": 30,
                    }
                ],
            },
        )
        bodies.append(created.content.decode())
    assert created.status_code == 201
    for body in bodies:
        assert person.nhs_number not in body
        assert person.nhs_number_display not in body
        assert "nhs" not in body.lower()
