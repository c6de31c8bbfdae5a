"""Signing in takes a username, a password and the 6-digit code from an authenticator
app; without the right code, or without an authenticator at all, nobody gets in."""

import pytest
from django.contrib.auth import SESSION_KEY
from django.urls import reverse
from django_otp import DEVICE_ID_SESSION_KEY

from .conftest import code_now, wrong_code

pytestmark = pytest.mark.django_db


def test_the_right_password_and_the_right_code_sign_in(world, client, enrol, sign_in):
    user = world["coordinator"]
    device = enrol(user)
    response = sign_in(client, user)
    assert response.status_code == 302
    assert response["Location"] == reverse("core:home")
    assert client.session[SESSION_KEY] == str(user.pk)
    assert client.session[DEVICE_ID_SESSION_KEY] == device.persistent_id
    assert client.get(reverse("core:home")).status_code == 200


def test_after_sign_in_the_person_goes_where_they_were_heading(world, client, enrol, sign_in):
    user = world["coordinator"]
    enrol(user)
    target = reverse("people:detail", args=[world["person"].pk])
    response = sign_in(client, user, next_url=target)
    assert response["Location"] == target


def test_a_next_page_on_another_site_is_ignored(world, client, enrol, sign_in):
    user = world["coordinator"]
    enrol(user)
    response = sign_in(client, user, next_url="https://evil.example/phish")
    assert response["Location"] == reverse("core:home")


def test_a_wrong_code_is_refused_with_a_message_a_coordinator_understands(
    world, client, enrol, sign_in
):
    user = world["coordinator"]
    device = enrol(user)
    response = sign_in(client, user, code=wrong_code(device))
    assert response.status_code == 200
    assert "That code didn&#x27;t match. Codes change every 30 seconds" in response.text
    assert SESSION_KEY not in client.session


def test_a_missing_code_is_refused(world, client, enrol, sign_in):
    user = world["coordinator"]
    enrol(user)
    response = sign_in(client, user, code="")
    assert "Enter the 6-digit code" in response.text
    assert SESSION_KEY not in client.session


def test_a_code_can_be_used_only_once(world, client, enrol, sign_in):
    user = world["coordinator"]
    device = enrol(user)
    code = code_now(device)
    assert sign_in(client, user, code=code).status_code == 302
    client.post(reverse("accounts:logout"))
    response = sign_in(client, user, code=code)
    assert "That code didn&#x27;t match" in response.text
    assert SESSION_KEY not in client.session


def test_staff_without_an_authenticator_cannot_sign_in(world, client, sign_in):
    response = sign_in(client, world["coordinator"], code="123456")
    assert response.status_code == 200
    assert "Ask your manager to set up two-factor sign-in" in response.text
    assert SESSION_KEY not in client.session


def test_an_unconfirmed_authenticator_does_not_count(world, client, sign_in):
    from django_otp.plugins.otp_totp.models import TOTPDevice

    TOTPDevice.objects.create(user=world["coordinator"], name="half set up", confirmed=False)
    response = sign_in(client, world["coordinator"], code="123456")
    assert "Ask your manager to set up two-factor sign-in" in response.text
    assert SESSION_KEY not in client.session


def test_a_wrong_password_is_refused_without_mentioning_the_code(world, client, enrol, sign_in):
    user = world["coordinator"]
    enrol(user)
    response = sign_in(client, user, password="not my password")
    assert "That username and password didn&#x27;t match" in response.text
    assert "code" not in str(response.context["form"].non_field_errors())
    assert SESSION_KEY not in client.session


def test_a_disabled_account_cannot_sign_in_even_with_the_right_code(world, client, enrol, sign_in):
    user = world["coordinator"]
    enrol(user)
    user.is_active = False
    user.save(update_fields=["is_active"])
    response = sign_in(client, user)
    assert response.status_code == 200
    assert SESSION_KEY not in client.session


def test_a_session_without_the_second_factor_reaches_nothing(world, client):
    """A password-only session (e.g. from another sign-in route) is sent back to sign in."""
    client.force_login(world["coordinator"])
    response = client.get(reverse("core:home"))
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:login")
    assert SESSION_KEY not in client.session


def test_signing_out_takes_a_post_and_ends_the_session(world, login):
    client = login(world["coordinator"])
    assert client.get(reverse("accounts:logout")).status_code == 405
    response = client.post(reverse("accounts:logout"))
    assert response["Location"] == reverse("accounts:login")
    assert SESSION_KEY not in client.session
    assert client.get(reverse("core:home")).status_code == 302


def test_an_api_call_without_the_second_factor_gets_a_json_401(world, client):
    client.force_login(world["coordinator"])  # password only: no verified device
    response = client.get("/api/offers/")
    assert response.status_code == 401
    assert response.json() == {"error": "Sign in with your second factor."}
