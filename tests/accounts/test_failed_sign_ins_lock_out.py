"""Five failed sign-ins (wrong password or wrong code) lock the account from that
address for 30 minutes, even against the right password and code (django-axes)."""

from datetime import timedelta

import pytest
import time_machine
from axes.models import AccessAttempt
from django.contrib.auth import SESSION_KEY
from django.utils import timezone

from .conftest import wrong_code

pytestmark = pytest.mark.django_db

LOCKED = "Too many failed sign-ins"


def test_five_wrong_passwords_lock_the_account_even_for_the_right_password(
    world, client, enrol, sign_in
):
    user = world["coordinator"]
    enrol(user)
    for _ in range(4):
        response = sign_in(client, user, password="guess")
        assert response.status_code == 200
    response = sign_in(client, user, password="guess")
    assert response.status_code == 429
    assert LOCKED in response.text
    assert "Try again in 30 minutes, or ask your manager" in response.text

    response = sign_in(client, user)
    assert response.status_code == 429
    assert LOCKED in response.text
    assert SESSION_KEY not in client.session


def test_wrong_codes_count_as_failed_sign_ins(world, client, enrol, sign_in):
    user = world["coordinator"]
    device = enrol(user)
    for _ in range(4):
        assert sign_in(client, user, code=wrong_code(device)).status_code == 200
    assert AccessAttempt.objects.get(username=user.username).failures_since_start == 4
    assert sign_in(client, user, code=wrong_code(device)).status_code == 429

    response = sign_in(client, user)
    assert response.status_code == 429
    assert SESSION_KEY not in client.session


def test_a_mix_of_wrong_passwords_and_wrong_codes_locks_too(world, client, enrol, sign_in):
    user = world["coordinator"]
    device = enrol(user)
    for _ in range(3):
        sign_in(client, user, password="guess")
    sign_in(client, user, code=wrong_code(device))
    assert sign_in(client, user, password="guess").status_code == 429


def test_a_lock_on_one_account_leaves_colleagues_alone(world, client, enrol, sign_in):
    enrol(world["coordinator"])
    enrol(world["manager"])
    for _ in range(5):
        sign_in(client, world["coordinator"], password="guess")
    response = sign_in(client, world["manager"])
    assert response.status_code == 302
    assert client.session[SESSION_KEY] == str(world["manager"].pk)


def test_the_lock_lifts_thirty_minutes_after_the_last_attempt(world, client, enrol, sign_in):
    """Each attempt during the lock starts its 30 minutes again (axes'
    AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT), so someone still guessing stays out."""
    user = world["coordinator"]
    enrol(user)
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        for _ in range(5):
            sign_in(client, user, password="guess")
        traveller.shift(timedelta(minutes=29))
        assert sign_in(client, user).status_code == 429
        traveller.shift(timedelta(minutes=29))
        assert sign_in(client, user).status_code == 429
        traveller.shift(timedelta(minutes=31))
        response = sign_in(client, user)
    assert response.status_code == 302
    assert client.session[SESSION_KEY] == str(user.pk)


def test_a_successful_sign_in_clears_earlier_failures(world, client, enrol, sign_in):
    user = world["coordinator"]
    enrol(user)
    for _ in range(4):
        sign_in(client, user, password="guess")
    assert sign_in(client, user).status_code == 302
    client.post("/accounts/logout/")
    with time_machine.travel(timezone.now() + timedelta(seconds=31), tick=False):
        for _ in range(4):
            sign_in(client, user, password="guess")
        assert sign_in(client, user).status_code == 302
