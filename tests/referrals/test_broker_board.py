"""The broker's board: open referrals with their offers' clocks, a second view
for the last week's placements and cancellations, search, paging, and a live
part htmx polls every 30 seconds. Its query count does not grow with the data."""

from datetime import timedelta

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from homecare.referrals import services
from tests import factories as f
from tests.referrals.helpers import FRIDAY_4PM, answer_times

NOW = FRIDAY_4PM + timedelta(hours=3)


@pytest.fixture(autouse=True)
def long_sessions(settings):
    settings.SESSION_IDLE_TIMEOUT_MINUTES = settings.SESSION_ABSOLUTE_TIMEOUT_MINUTES = 10**6


def publish(market, make_referral, **kw):
    with time_machine.travel(FRIDAY_4PM, tick=False):
        return services.referral_publish(by=market["broker"], referral=make_referral(**kw))


def accept(market, referral, provider="provider", who="coordinator"):
    with time_machine.travel(FRIDAY_4PM + timedelta(hours=1), tick=False):
        return services.offer_accept(
            by=market[who],
            offer=referral.offers.get(provider=market[provider]),
            start_date=FRIDAY_4PM.date() + timedelta(days=1),
            arrivals=answer_times(referral),
        )


def board(market, login, query=""):
    with time_machine.travel(NOW, tick=False):
        return login(market["broker"]).get(reverse("referrals:board") + query).content.decode()


def test_the_board_shows_each_referral_with_its_offers_and_clocks(market, make_referral, login):
    referral = publish(market, make_referral)
    accept(market, referral)
    page = board(market, login)
    assert referral.reference in page
    assert "Entwistle-Quayle, Margaret" in page
    assert "Hospital discharge" in page
    assert "20 Nov 16:00" in page  # received and published
    assert "Pennine Care at Home Ltd: accepted" in page
    assert "Ribble Valley Homecare: waiting for an answer" in page
    assert "21 h 00 min left" in page
    assert "1 of 2 answered" in page
    assert "1 accepted" in page


def test_drafts_are_counted_but_not_listed_until_published(market, make_referral, login):
    draft = make_referral()
    page = board(market, login)
    assert draft.reference not in page
    assert "Drafts not yet published: 1" in page
    assert draft.reference in board(market, login, "?status=draft")


def test_placed_referrals_show_the_provider_chosen_for_a_week(market, make_referral, login):
    referral = publish(market, make_referral)
    offer = accept(market, referral)
    with time_machine.travel(FRIDAY_4PM + timedelta(hours=2), tick=False):
        services.referral_confirm(
            by=market["broker"],
            referral=referral,
            allocations={v.pk: offer.pk for v in referral.visits.all()},
        )
    assert referral.reference not in board(market, login)
    recent = board(market, login, "?status=recent")
    assert referral.reference in recent
    assert "Placed with Pennine Care at Home Ltd" in recent
    with time_machine.travel(FRIDAY_4PM + timedelta(days=8), tick=False):
        later = login(market["broker"]).get(reverse("referrals:board") + "?status=recent")
    assert referral.reference not in later.content.decode()


def test_the_board_searches_by_reference_or_surname(market, make_referral, login):
    first = publish(market, make_referral)
    other = f.IndividualFactory(
        organisation=market["council"], area=market["area"], family_name="Ormerod"
    )
    with time_machine.travel(FRIDAY_4PM, tick=False):
        second = services.referral_publish(
            by=market["broker"],
            referral=services.referral_create(
                by=market["broker"],
                individual=other,
                visits=[
                    {
                        "weekday": 0,
                        "slot_start": first.visits.first().slot_start,
                        "slot_end": first.visits.first().slot_end,
                        "duration_minutes": 30,
                    }
                ],
                kind="hospital_discharge",
                urgency="urgent",
                source="hospital_team",
                referrer_name="Ward 2",
                requested_start=FRIDAY_4PM.date(),
                needs_statement="Meals",
            ),
        )
    by_name = board(market, login, "?q=ormer")
    assert second.reference in by_name and first.reference not in by_name
    by_reference = board(market, login, f"?q={first.reference}")
    assert first.reference in by_reference and second.reference not in by_reference


def test_the_board_is_paginated(market, make_referral, login, settings):
    settings.HOMECARE_PAGE_SIZE = 2
    for _ in range(3):
        publish(market, make_referral)
    page = board(market, login)
    assert "Page 1 of 2" in page
    assert "3 in all" in page
    assert "?status=open&page=2" in page


def test_the_rows_refresh_themselves_every_30_seconds(market, make_referral, login):
    page = board(market, login, "?status=open&q=REF")
    assert f'hx-get="{reverse("referrals:board_rows")}?status=open&amp;q=REF"' in page
    assert 'hx-trigger="every 30s"' in page
    assert """hx-headers='{"X-Homecare-Poll": "1"}'""" in page


def test_the_polling_part_returns_only_rows(market, make_referral, login):
    referral = publish(market, make_referral)
    with time_machine.travel(NOW, tick=False):
        response = login(market["broker"]).get(
            reverse("referrals:board_rows") + "?status=open",
            headers={"HX-Request": "true", "X-Homecare-Poll": "1"},
        )
    body = response.content.decode().strip()
    assert response.status_code == 200
    assert body.startswith("<tr")
    assert body.endswith("</tr>")
    for whole_page in ("<html", "<table", "<tbody", "<h1", "<form"):
        assert whole_page not in body
    assert referral.reference in body


def grow(market, make_referral, n):
    """n more published referrals, each with two offers, one of them answered."""
    for _ in range(n):
        accept(market, publish(market, make_referral))


def _count(client, url):
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize(
    ("name", "query"),
    [
        ("referrals:board", ""),
        ("referrals:board", "?status=all&q=REF"),
        ("referrals:board_rows", "?status=open"),
    ],
)
def test_the_board_costs_the_same_however_many_referrals(
    market, make_referral, login, django_assert_num_queries, name, query
):
    client = login(market["broker"])
    url = reverse(name) + query
    with time_machine.travel(NOW, tick=False):
        client.get(url)  # warm the session and caches
        grow(market, make_referral, 2)
        small = _count(client, url)
        grow(market, make_referral, 8)
        with django_assert_num_queries(small):
            client.get(url)
