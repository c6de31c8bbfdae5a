"""An answer not in by its due time turns red on the referral page and the
board, at the minute it falls due: worked out from the stored due time."""

from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse

from homecare.referrals import services
from tests.referrals.helpers import FRIDAY_4PM

DUE = FRIDAY_4PM + timedelta(hours=24)  # LAN-HC-3.8: a hospital discharge, 24 hours


@pytest.fixture(autouse=True)
def long_sessions(settings):
    """Time travel must not sign the broker out."""
    settings.SESSION_IDLE_TIMEOUT_MINUTES = settings.SESSION_ABSOLUTE_TIMEOUT_MINUTES = 10**6


def _page(market, login, name, *args):
    return login(market["broker"]).get(reverse(name, args=args)).content.decode()


def test_an_answer_due_in_a_minute_is_not_red(market, published, login):
    with time_machine.travel(DUE - timedelta(minutes=1), tick=False):
        page = _page(market, login, "referrals:detail", published.pk)
    assert "1 min left" in page
    assert "clock overdue" not in page


def test_an_answer_a_minute_past_due_is_red(market, published, login):
    """LAN-HC-3.8: the 24 hours are up at 16:00 on Saturday."""
    with time_machine.travel(DUE + timedelta(minutes=1), tick=False):
        page = _page(market, login, "referrals:detail", published.pk)
    assert page.count('class="clock overdue"') == 2
    assert "1 min overdue" in page


def test_the_board_turns_red_at_the_same_minute(market, published, login):
    with time_machine.travel(DUE - timedelta(minutes=1), tick=False):
        assert "clock overdue" not in _page(market, login, "referrals:board")
    with time_machine.travel(DUE + timedelta(minutes=1), tick=False):
        page = _page(market, login, "referrals:board")
    assert page.count('class="clock overdue"') == 2
    assert "2 overdue" in page


def test_an_answered_offer_has_no_clock_but_says_if_it_was_late(market, published, login):
    offer = published.offers.get(provider=market["provider"])
    with time_machine.travel(DUE + timedelta(hours=1), tick=False):
        services.offer_decline(by=market["coordinator"], offer=offer, reason="no_capacity")
        page = _page(market, login, "referrals:detail", published.pk)
    assert page.count('class="clock overdue"') == 1  # the other provider's, still open
    assert "Declined: No capacity" in page
    assert "1500 min after the offer" in page
    assert '<span class="flag">late</span>' in page
