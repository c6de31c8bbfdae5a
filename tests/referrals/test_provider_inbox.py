"""A provider's office sees the offers made to it, each with its clock, open
ones first; the list refreshes itself and costs the same queries however long."""

from datetime import datetime, timedelta

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from homecare.domain.patterns import LONDON
from homecare.referrals import services
from homecare.referrals.models import Offer
from tests.referrals.helpers import FRIDAY_4PM, answer_times


def _offer(referral, provider):
    return referral.offers.get(provider=provider)


def test_the_inbox_lists_the_offer_with_what_the_provider_needs_at_a_glance(market, published, at):
    """LAN-HC-3.8: a hospital discharge is answered within 24 hours; the clock shows it."""
    with at(FRIDAY_4PM + timedelta(hours=2), market["coordinator"]) as client:
        page = client.get(reverse("referrals:inbox")).content.decode()
    assert "Margaret E." in page
    assert "Entwistle-Quayle" not in page  # first name and initial only
    assert "East Lancashire" in page
    assert "Hospital discharge" in page
    assert "8 h 45 min" in page  # 7 × 45 + 7 × 30 minutes a week
    assert "Daily 07:30–09:00, 45 min; Daily 17:00–18:30, 30 min" in page
    assert "Fri 20 Nov 16:00" in page  # offered, UK time
    assert "Sat 21 Nov 16:00" in page  # due
    assert "22 h 00 min left" in page


def test_the_clock_turns_red_at_the_minute_the_answer_is_due(market, published, at):
    """The time left is read from the stored due_at: one minute before, plain;
    one minute after, red (CSS class "overdue")."""
    due = _offer(published, market["provider"]).due_at
    with at(due - timedelta(minutes=1), market["coordinator"]) as client:
        before = client.get(reverse("referrals:inbox")).content.decode()
    with at(due + timedelta(minutes=1), market["coordinator"]) as client:
        after = client.get(reverse("referrals:inbox")).content.decode()
    assert '<td class="clock">1 min left</td>' in before
    assert "clock overdue" not in before
    assert '<td class="clock overdue">1 min overdue</td>' in after


def test_the_manager_sees_the_same_inbox(market, published, at):
    with at(FRIDAY_4PM, market["manager"]) as client:
        assert "Margaret E." in client.get(reverse("referrals:inbox")).content.decode()


def test_a_provider_sees_only_its_own_offers(market, published, at):
    with at(FRIDAY_4PM, market["far_coordinator"]) as client:
        page = client.get(reverse("referrals:inbox")).content.decode()
    assert "Margaret E." not in page
    assert "No offers at the moment" in page


@pytest.mark.parametrize("who", ["broker", "commissioner", "worker", "daughter"])
def test_only_a_providers_office_has_an_inbox(market, published, at, who):
    with at(FRIDAY_4PM, market[who]) as client:
        assert client.get(reverse("referrals:inbox")).status_code == 404
        assert client.get(reverse("referrals:inbox_rows")).status_code == 404


def test_open_offers_come_first_soonest_due_then_the_answered(market, make_referral, at):
    with time_machine.travel(FRIDAY_4PM, tick=False):
        planned = services.referral_publish(
            by=market["broker"], referral=make_referral(kind="planned", urgency="urgent")
        )
        urgent = services.referral_publish(
            by=market["broker"],
            referral=make_referral(kind="urgent_community", urgency="urgent", referrer_name="GP"),
        )
        answered = services.referral_publish(by=market["broker"], referral=make_referral())
    with time_machine.travel(FRIDAY_4PM + timedelta(minutes=30), tick=False):
        services.offer_decline(
            by=market["coordinator"],
            offer=_offer(answered, market["provider"]),
            reason="no_capacity",
        )
    with at(FRIDAY_4PM + timedelta(hours=1), market["coordinator"]) as client:
        response = client.get(reverse("referrals:inbox"))
    rows = [row.offer for row in response.context["rows"]]
    still_open = sorted([planned, urgent], key=lambda r: _offer(r, market["provider"]).due_at)
    assert [o.referral for o in rows] == [*still_open, answered]
    page = response.content.decode()
    assert "Answered or closed in the last 14 days" in page
    assert '<span class="badge declined">Declined</span>' in page


def test_answered_offers_leave_the_inbox_after_14_days(market, published, at):
    offer = _offer(published, market["provider"])
    with time_machine.travel(FRIDAY_4PM + timedelta(hours=1), tick=False):
        services.offer_accept(
            by=market["coordinator"],
            offer=offer,
            start_date=FRIDAY_4PM.date() + timedelta(days=1),
            arrivals=answer_times(published),
        )
    with at(FRIDAY_4PM + timedelta(days=13), market["coordinator"]) as client:
        assert "Margaret E." in client.get(reverse("referrals:inbox")).content.decode()
    with at(FRIDAY_4PM + timedelta(days=15), market["coordinator"]) as client:
        assert "Margaret E." not in client.get(reverse("referrals:inbox")).content.decode()


def test_the_rows_refresh_themselves_every_30_seconds(market, published, at):
    with at(FRIDAY_4PM, market["coordinator"]) as client:
        page = client.get(reverse("referrals:inbox")).content.decode()
        rows = client.get(reverse("referrals:inbox_rows"), headers={"X-Homecare-Poll": "1"})
    assert f'hx-get="{reverse("referrals:inbox_rows")}"' in page
    assert 'hx-trigger="every 30s"' in page
    assert """hx-headers='{"X-Homecare-Poll": "1"}'""" in page
    assert rows.status_code == 200
    body = rows.content.decode()
    assert "Margaret E." in body
    assert "<html" not in body


def test_the_inbox_is_paginated(market, make_referral, at, settings):
    settings.HOMECARE_PAGE_SIZE = 2
    with time_machine.travel(FRIDAY_4PM, tick=False):
        for _ in range(3):
            services.referral_publish(by=market["broker"], referral=make_referral())
    with at(FRIDAY_4PM, market["coordinator"]) as client:
        page = client.get(reverse("referrals:inbox")).content.decode()
        second = client.get(reverse("referrals:inbox") + "?page=2")
    assert "Page 1 of 2" in page
    assert "3 in all" in page
    assert len(second.context["rows"]) == 1


def _queries(client, url):
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize("name", ["referrals:inbox", "referrals:inbox_rows"])
def test_the_inbox_query_count_is_fixed_regardless_of_size(
    market, make_referral, at, django_assert_num_queries, name
):
    def grow(n):
        with time_machine.travel(FRIDAY_4PM, tick=False):
            for _ in range(n):
                referral = services.referral_publish(by=market["broker"], referral=make_referral())
        with time_machine.travel(FRIDAY_4PM + timedelta(minutes=5), tick=False):
            services.offer_decline(
                by=market["coordinator"],
                offer=_offer(referral, market["provider"]),
                reason="no_capacity",
            )

    url = reverse(name)
    grow(2)
    with at(FRIDAY_4PM + timedelta(hours=1), market["coordinator"]) as client:
        client.get(url)  # warm the session
        small = _queries(client, url)
        grow(8)
        assert Offer.objects.filter(provider=market["provider"]).count() == 10
        with django_assert_num_queries(small):
            client.get(url)


def test_times_are_shown_in_uk_time_in_summer(market, make_referral, at):
    """Stored in UTC, shown in Europe/London: 16:00 BST is 15:00 UTC."""
    summer = datetime(2026, 7, 10, 16, 0, tzinfo=LONDON)
    with time_machine.travel(summer, tick=False):
        services.referral_publish(by=market["broker"], referral=make_referral())
    with at(summer + timedelta(minutes=1), market["coordinator"]) as client:
        page = client.get(reverse("referrals:inbox")).content.decode()
    assert "Fri 10 Jul 16:00" in page
    assert "Sat 11 Jul 16:00" in page
    assert "23 h 59 min left" in page
