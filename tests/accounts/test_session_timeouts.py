"""A session ends after 30 minutes without activity, and 12 hours after sign-in
whatever the activity (SessionTimeoutMiddleware); the person is told why."""

import time
from datetime import timedelta
from urllib.parse import urlencode

import pytest
import time_machine
from django.contrib.auth import SESSION_KEY
from django.urls import reverse
from django.utils import timezone

pytestmark = pytest.mark.django_db

HOME = reverse("core:home")
TIMED_OUT = f"{reverse('accounts:login')}?{urlencode({'timed_out': '1', 'next': HOME})}"


@pytest.fixture
def traveller():
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        yield traveller


def test_the_middleware_clock_moves_with_time_machine(traveller):
    """SessionTimeoutMiddleware reads time.time(); time_machine moves it."""
    before = time.time()
    traveller.shift(timedelta(minutes=31))
    assert time.time() - before == pytest.approx(31 * 60)


def test_a_session_survives_29_idle_minutes(world, login, traveller):
    client = login(world["coordinator"])
    assert client.get(HOME).status_code == 200
    traveller.shift(timedelta(minutes=29))
    assert client.get(HOME).status_code == 200


def test_a_session_ends_after_30_idle_minutes(world, login, traveller):
    client = login(world["coordinator"])
    assert client.get(HOME).status_code == 200
    traveller.shift(timedelta(minutes=31))
    response = client.get(HOME)
    assert response.status_code == 302
    assert response["Location"] == TIMED_OUT
    assert SESSION_KEY not in client.session
    # Signed out for good: the next page asks for a sign-in, with no time-out notice.
    assert client.get(HOME)["Location"].startswith(reverse("accounts:login"))
    assert "timed_out" not in client.get(HOME)["Location"]


def test_the_sign_in_page_says_why_the_person_was_signed_out(world, login, traveller):
    client = login(world["coordinator"])
    client.get(HOME)
    traveller.shift(timedelta(minutes=45))
    response = client.get(HOME, follow=True)
    assert "You were signed out after a period of inactivity" in response.text
    assert reverse("accounts:login") in response.redirect_chain[-1][0]


def test_the_sign_in_page_without_a_time_out_says_nothing_about_one(client, db):
    response = client.get(reverse("accounts:login"))
    assert "period of inactivity" not in response.text


def test_a_session_ends_12_hours_after_sign_in_however_busy(world, login, traveller):
    client = login(world["coordinator"])
    assert client.get(HOME).status_code == 200
    for _ in range(28):  # a page every 25 minutes: 11 h 40 min
        traveller.shift(timedelta(minutes=25))
        assert client.get(HOME).status_code == 200
    traveller.shift(timedelta(minutes=25))  # 12 h 05 min after sign-in
    response = client.get(HOME)
    assert response.status_code == 302
    assert response["Location"] == TIMED_OUT
    assert SESSION_KEY not in client.session


def test_a_time_out_on_a_form_post_does_not_carry_the_post_on(world, login, traveller):
    client = login(world["coordinator"])
    client.get(HOME)
    traveller.shift(timedelta(hours=1))
    response = client.post(reverse("packages:status", args=[world["package"].pk]), {})
    assert response["Location"] == f"{reverse('accounts:login')}?timed_out=1"


def test_a_page_polling_on_a_timer_does_not_keep_the_session_alive(world, login):
    import time_machine
    from django.urls import reverse
    from django.utils import timezone

    start = timezone.now()
    with time_machine.travel(start, tick=False):
        client = login(world["coordinator"])
        assert client.get(reverse("core:home")).status_code == 200
    for minutes in (10, 20, 29):
        with time_machine.travel(start + timezone.timedelta(minutes=minutes), tick=False):
            polled = client.get(
                reverse("core:home"), headers={"X-Homecare-Poll": "1", "HX-Request": "true"}
            )
            assert polled.status_code == 200
    with time_machine.travel(start + timezone.timedelta(minutes=31), tick=False):
        polled = client.get(
            reverse("core:home"), headers={"X-Homecare-Poll": "1", "HX-Request": "true"}
        )
    assert polled.status_code == 204
    assert polled["HX-Redirect"].startswith(reverse("accounts:login"))
