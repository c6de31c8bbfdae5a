"""The API's lists cost the same number of queries however many rows they hold."""

from datetime import timedelta

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from homecare.api_tokens import services as tokens
from homecare.referrals import services
from tests.referrals.helpers import FRIDAY_4PM


def _queries(client, url, headers):
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url, headers=headers).status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize("who", ["broker", "coordinator"])
@pytest.mark.parametrize("name", ["api:referrals", "api:offers"])
def test_api_lists_have_a_fixed_query_count(
    client, market, make_referral, django_assert_num_queries, who, name
):
    def grow(n):
        with time_machine.travel(FRIDAY_4PM, tick=False):
            for _ in range(n):
                services.referral_publish(by=market["broker"], referral=make_referral())

    _, plaintext = tokens.token_create(user=market[who], name="Queries")
    headers = {"Authorization": f"Bearer {plaintext}"}
    url = reverse(name)
    grow(2)
    with time_machine.travel(FRIDAY_4PM + timedelta(hours=1), tick=False):
        client.get(url, headers=headers)  # the token's first use is recorded once
        small = _queries(client, url, headers)
        grow(6)
        with django_assert_num_queries(small):
            response = client.get(url, headers=headers)
    assert response.json()["count"] >= 8
