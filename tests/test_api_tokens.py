"""API tokens: made for council and provider office staff, shown once, stored
only as a hash, revocable; ``homecare api-token USERNAME NAME`` prints one."""

import hashlib
from io import StringIO

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.test import RequestFactory

from homecare.api_tokens import auth, services
from homecare.api_tokens.models import ApiToken
from tests.referrals.helpers import FRIDAY_4PM


def test_a_token_is_stored_only_as_its_hash(world):
    token, plaintext = services.token_create(user=world["coordinator"], name="Rostering system")
    assert plaintext.startswith("hc_")
    assert len(plaintext) > 40
    token.refresh_from_db()
    assert token.key_hash == hashlib.sha256(plaintext.encode()).hexdigest()
    assert token.prefix == plaintext[:8]
    stored = " ".join(str(v) for v in ApiToken.objects.values_list().get())
    assert plaintext not in stored


def test_every_token_is_different(world):
    first = services.token_create(user=world["broker"], name="A")[1]
    second = services.token_create(user=world["broker"], name="A")[1]
    assert first != second


@pytest.mark.parametrize("who", ["worker", "daughter"])
def test_only_office_staff_get_tokens(world, who):
    with pytest.raises(ValidationError, match="council and provider office staff"):
        services.token_create(user=world[who], name="Phone app")
    assert not ApiToken.objects.exists()


def test_a_token_needs_a_name(world):
    with pytest.raises(ValidationError, match="Say what the token is for"):
        services.token_create(user=world["broker"], name="  ")


def _request(header=None):
    headers = {"Authorization": header} if header is not None else {}
    return RequestFactory().get("/api/offers/", headers=headers)


def test_reading_the_authorization_header(world):
    token, plaintext = services.token_create(user=world["coordinator"], name="Rostering system")
    assert auth.authenticate(_request()) is None
    with time_machine.travel(FRIDAY_4PM, tick=False):
        assert auth.authenticate(_request(f"Bearer {plaintext}")) == token
    token.refresh_from_db()
    assert token.last_used_at == FRIDAY_4PM
    for header, message in [
        ("Bearer hc_nope", "Unknown API token"),
        (f"Token {plaintext}", "Authorization: Bearer"),
        ("Bearer", "Authorization: Bearer"),
    ]:
        with pytest.raises(auth.TokenError, match=message):
            auth.authenticate(_request(header))


def test_revoking_is_for_good_and_harmless_twice(world):
    token, plaintext = services.token_create(user=world["coordinator"], name="Rostering system")
    with time_machine.travel(FRIDAY_4PM, tick=False):
        services.token_revoke(token=token)
    services.token_revoke(token=token)
    token.refresh_from_db()
    assert token.revoked_at == FRIDAY_4PM
    with pytest.raises(auth.TokenError, match="revoked"):
        auth.authenticate(_request(f"Bearer {plaintext}"))


def test_the_command_prints_the_token_once(world):
    out, err = StringIO(), StringIO()
    call_command(
        "api-token", world["coordinator"].username, "Rostering system", stdout=out, stderr=err
    )
    plaintext = out.getvalue().strip()
    token = ApiToken.objects.get()
    assert token.user == world["coordinator"]
    assert token.name == "Rostering system"
    assert token.key_hash == hashlib.sha256(plaintext.encode()).hexdigest()
    assert "shown only now" in err.getvalue()


def test_the_command_revokes_by_name(world):
    token, _ = services.token_create(user=world["coordinator"], name="Rostering system")
    keep, _ = services.token_create(user=world["coordinator"], name="Finance")
    out = StringIO()
    call_command(
        "api-token", world["coordinator"].username, "Rostering system", "--revoke", stdout=out
    )
    assert "Revoked 1 token" in out.getvalue()
    token.refresh_from_db()
    keep.refresh_from_db()
    assert token.is_revoked
    assert not keep.is_revoked


def test_the_command_refuses_unknown_users_and_roles(world):
    with pytest.raises(CommandError, match="No account"):
        call_command("api-token", "nobody", "x", stdout=StringIO())
    with pytest.raises(CommandError, match="office staff"):
        call_command("api-token", world["worker"].username, "x", stdout=StringIO())


def test_a_token_is_marked_used_at_most_once_a_minute(world, django_assert_num_queries):
    from datetime import timedelta

    token, plaintext = services.token_create(user=world["coordinator"], name="Rostering system")
    with time_machine.travel(FRIDAY_4PM, tick=False):
        auth.authenticate(_request(f"Bearer {plaintext}"))
    later = time_machine.travel(FRIDAY_4PM + timedelta(seconds=59), tick=False)
    with later, django_assert_num_queries(1):  # the read, no write
        auth.authenticate(_request(f"Bearer {plaintext}"))
    token.refresh_from_db()
    assert token.last_used_at == FRIDAY_4PM
    with time_machine.travel(FRIDAY_4PM + timedelta(minutes=1), tick=False):
        auth.authenticate(_request(f"Bearer {plaintext}"))
    token.refresh_from_db()
    assert token.last_used_at == FRIDAY_4PM + timedelta(minutes=1)
