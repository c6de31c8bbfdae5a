"""Signing in through the real sign-in page, with a code from the person's authenticator."""

import pytest
from django.urls import reverse
from django_otp.oath import totp

from homecare.accounts import services
from homecare.accounts.forms import confirmed_totp_device

PASSWORD = "correct horse battery staple"  # tests.factories.UserFactory's password


def code_now(device) -> str:
    """The code the person's authenticator app shows right now."""
    return f"{totp(device.bin_key, device.step, device.t0, device.digits, device.drift):06d}"


def wrong_code(device) -> str:
    """A code the device would not accept now (not within its tolerance either)."""
    accepted = {
        f"{totp(device.bin_key, device.step, device.t0 + shift * device.step):06d}"
        for shift in (-1, 0, 1)
    }
    return next(c for c in ("000000", "111111", "222222", "333333") if c not in accepted)


@pytest.fixture
def enrol():
    """Give a user a confirmed authenticator device (as their manager would)."""

    def _enrol(user):
        return confirmed_totp_device(user) or services.user_enrol_totp(user=user)

    return _enrol


@pytest.fixture
def sign_in():
    """POST the sign-in form as ``user``; the code defaults to the right one now."""

    def _sign_in(client, user, *, password=PASSWORD, code=None, next_url=None):
        device = confirmed_totp_device(user)
        if code is None:
            code = code_now(device) if device else ""
        url = reverse("accounts:login")
        data = {"username": user.username, "password": password, "otp_token": code}
        if next_url is not None:
            data["next"] = next_url
        return client.post(url, data)

    return _sign_in
