"""`homecare otp USERNAME` prints a demo account's current sign-in code, and only
when DEBUG is on: production never relaxes two-factor sign-in."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.test import Client

from .conftest import code_now

pytestmark = pytest.mark.django_db


def _otp(*args) -> str:
    out = StringIO()
    call_command("otp", *args, stdout=out)
    return out.getvalue()


def test_it_prints_the_current_code_in_debug(world, enrol, settings):
    settings.DEBUG = True
    device = enrol(world["coordinator"])
    assert _otp(world["coordinator"].username).strip() == code_now(device)


def test_the_printed_code_signs_in(world, enrol, sign_in, settings):
    settings.DEBUG = True
    enrol(world["coordinator"])
    code = _otp(world["coordinator"].username).strip()
    assert sign_in(Client(), world["coordinator"], code=code).status_code == 302


def test_with_uri_it_prints_the_otpauth_uri_too(world, enrol, settings):
    settings.DEBUG = True
    device = enrol(world["coordinator"])
    lines = _otp(world["coordinator"].username, "--uri").splitlines()
    assert lines[0] == code_now(device)
    assert lines[1].startswith(f"otpauth://totp/Homecare%3A{world['coordinator'].username}?")
    assert "secret=" in lines[1]
    assert "issuer=Homecare" in lines[1]


def test_it_refuses_when_debug_is_off(world, enrol, settings):
    settings.DEBUG = False
    enrol(world["coordinator"])
    with pytest.raises(CommandError, match="DEBUG is off"):
        _otp(world["coordinator"].username)


def test_an_unknown_username_is_a_clear_error(db, settings):
    settings.DEBUG = True
    with pytest.raises(CommandError, match="No account with username 'nobody'"):
        _otp("nobody")


def test_an_account_without_an_authenticator_is_a_clear_error(world, settings):
    settings.DEBUG = True
    with pytest.raises(CommandError, match="no authenticator"):
        _otp(world["coordinator"].username)
