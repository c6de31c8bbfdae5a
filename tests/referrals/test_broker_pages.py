"""The broker pages are the council's: brokers act, commissioners look, and
everyone else (a provider, even one with an offer on the referral; a care
worker; family; another council) gets a 404 and learns nothing."""

import pytest
import time_machine
from django.urls import reverse

from homecare.referrals import services
from homecare.referrals.models import Referral
from tests.referrals.helpers import FRIDAY_4PM

# route name -> HTTP methods that reach it
LIST_ROUTES = {
    "referrals:board": ["get"],
    "referrals:board_rows": ["get"],
    "referrals:create": ["get", "post"],
}
DETAIL_ROUTES = {
    "referrals:detail": ["get"],
    "referrals:publish": ["post"],
    "referrals:confirm": ["get", "post"],
    "referrals:cancel": ["post"],
    "referrals:offer_to_others": ["post"],
}
ACTIONS = {
    "referrals:publish": "post",
    "referrals:confirm": "get",
    "referrals:cancel": "post",
    "referrals:offer_to_others": "post",
}
NOT_COUNCIL = ["coordinator", "manager", "worker", "daughter", "outsider"]


@pytest.fixture
def referral(market, make_referral):
    """Published, so the world's provider has an offer on it."""
    with time_machine.travel(FRIDAY_4PM, tick=False):
        return services.referral_publish(by=market["broker"], referral=make_referral())


def _cases(routes):
    return [(name, method) for name, methods in routes.items() for method in methods]


@pytest.mark.parametrize("who", NOT_COUNCIL)
@pytest.mark.parametrize(("name", "method"), _cases(LIST_ROUTES))
def test_nobody_outside_the_council_reaches_the_board_or_the_form(market, login, who, name, method):
    response = getattr(login(market[who]), method)(reverse(name))
    assert response.status_code == 404


@pytest.mark.parametrize("who", [*NOT_COUNCIL, "other_broker"])
@pytest.mark.parametrize(("name", "method"), _cases(DETAIL_ROUTES))
def test_nobody_outside_the_council_reaches_a_referral(market, referral, login, who, name, method):
    response = getattr(login(market[who]), method)(reverse(name, args=[referral.pk]))
    assert response.status_code == 404


def test_another_councils_broker_sees_none_of_it_on_their_board(market, referral, login):
    page = login(market["other_broker"]).get(reverse("referrals:board")).content.decode()
    assert referral.reference not in page


@pytest.mark.parametrize(("name", "method"), _cases(DETAIL_ROUTES))
def test_a_signed_out_visitor_is_sent_to_sign_in(market, referral, client, name, method):
    response = getattr(client, method)(reverse(name, args=[referral.pk]))
    assert response.status_code == 302
    assert reverse("accounts:login") in response.url


def test_the_commissioner_sees_the_board_and_the_referral(market, referral, login):
    client = login(market["commissioner"])
    board = client.get(reverse("referrals:board")).content.decode()
    assert referral.reference in board
    assert reverse("referrals:create") not in board
    page = client.get(reverse("referrals:detail", args=[referral.pk])).content.decode()
    assert "Pennine Care at Home Ltd" in page
    for name in ACTIONS:
        assert reverse(name, args=[referral.pk]) not in page


@pytest.mark.parametrize(("name", "method"), ACTIONS.items())
def test_the_commissioner_cannot_act(market, referral, login, name, method):
    response = getattr(login(market["commissioner"]), method)(
        reverse(name, args=[referral.pk]), {"reason": "Not mine to cancel"}
    )
    assert response.status_code == 404
    assert Referral.objects.get(pk=referral.pk).status == Referral.Status.PUBLISHED


def test_the_commissioner_cannot_record_a_referral(market, login):
    assert login(market["commissioner"]).get(reverse("referrals:create")).status_code == 404


def test_the_broker_sees_the_actions(market, referral, login):
    page = (
        login(market["broker"])
        .get(reverse("referrals:detail", args=[referral.pk]))
        .content.decode()
    )
    assert reverse("referrals:cancel", args=[referral.pk]) in page
