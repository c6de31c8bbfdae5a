"""The phone's token: a care worker signed in on the phone app gets one, and the
phone signs its API calls with it instead of the session, so that each call
skips the session, the OTP device and the timeout bookkeeping. It works on the
phone app's API only, expires, and signing out revokes it."""

import json
import uuid
from datetime import timedelta

import pytest
import time_machine
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from homecare.api_tokens.models import ApiToken
from homecare.visits.models import CallRecord, VisitEvent
from tests.visits.conftest import HOME, dose_payload

pytestmark = pytest.mark.django_db
EVENTS = reverse("visits:api_events")
TOKEN = reverse("visits:api_device_token")


def _event(visit, kind="check_in"):
    return {
        "key": str(uuid.uuid4()),
        "kind": kind,
        "visit": str(visit.pk),
        "device_at": timezone.now().isoformat(),
        "latitude": str(HOME[0]),
        "longitude": str(HOME[1]),
        "accuracy": 15,
        "method": "gps",
    }


def _phone_token(client) -> str:
    csrf = client.get(reverse("visits:api_rota")).json()["csrf_token"]
    response = client.post(TOKEN, HTTP_X_CSRFTOKEN=csrf)
    assert response.status_code == 201
    return response.json()["token"]


def _post(token, events, path=EVENTS):
    body = {"sent_at": timezone.now().isoformat(), "events": events}
    return Client().post(
        path,
        json.dumps(body),
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {token}",
    )


def test_the_phone_checks_in_and_out_with_its_token_and_no_session(ward, login, nine, send):
    token = _phone_token(login(ward["worker"]))
    with CaptureQueriesContext(connection) as check_in:
        answer = _post(token, [_event(ward["visit"])]).json()
    assert answer["results"][0]["outcome"] == "accepted"
    for hhmm, med in [("08:00", "paracetamol"), ("09:00", "donepezil")]:
        send("worker", "medication", **dose_payload(ward[med], ward["visit"], hhmm))
    later = time_machine.travel(nine + timedelta(minutes=30), tick=False)
    with later, CaptureQueriesContext(connection) as check_out:
        answer = _post(token, [_event(ward["visit"], "check_out")]).json()
    assert answer["results"][0]["outcome"] == "accepted", answer
    assert CallRecord.objects.get(visit=ward["visit"]).status == "completed"
    for captured in (check_in, check_out):
        sql = " ".join(q["sql"] for q in captured.captured_queries)
        assert "django_session" not in sql and "otp_" not in sql
        # The token (and user), the worker, the locked visit and what a batch of
        # check-ins reads with it (call, rota, call workers, watch, keys; read again once
        # the monitor's watch is made, as this visit has none yet), the MAR lines,
        # the writes: no other re-reads. (On PostgreSQL the batch's reads go as one
        # query, its writes as two.)
        assert len(captured.captured_queries) <= 33, "\n".join(
            q["sql"][:150] for q in captured.captured_queries
        )


def test_a_phone_token_works_on_the_phone_api_only(ward, login, nine):
    token = _phone_token(login(ward["worker"]))
    response = _post(token, [], path=reverse("api:offers"))
    assert (
        response.status_code == 401
        and "works only on the phone app's API" in response.json()["error"]
    )


def test_only_a_signed_in_care_worker_gets_one(ward, login, nine, world):
    assert Client().post(TOKEN).status_code == 401
    office = login(world["coordinator"])
    csrf = office.get(reverse("visits:api_rota")).json().get("csrf_token")
    assert office.post(TOKEN, HTTP_X_CSRFTOKEN=csrf).status_code == 404
    token = _phone_token(login(ward["worker"]))
    again = Client().post(TOKEN, HTTP_AUTHORIZATION=f"Bearer {token}")
    assert again.status_code == 404  # a token does not make tokens


def test_a_new_token_replaces_the_old_and_signing_out_revokes_it(ward, login, nine):
    client = login(ward["worker"])
    old = _phone_token(client)
    new = _phone_token(client)
    assert _post(old, [_event(ward["visit"])]).status_code == 401
    assert _post(new, [_event(ward["visit"])]).status_code == 200
    client.post(reverse("accounts:logout"))
    refused = _post(new, [_event(ward["visit"], "check_out")])
    assert refused.status_code == 401 and "revoked" in refused.json()["error"]
    assert VisitEvent.objects.count() == 1


def test_a_phone_token_expires_with_the_shift(ward, login, nine, settings):
    token = _phone_token(login(ward["worker"]))
    stored = ApiToken.objects.get(kind="phone")
    assert stored.expires_at == nine + timedelta(minutes=settings.SESSION_ABSOLUTE_TIMEOUT_MINUTES)
    with time_machine.travel(stored.expires_at, tick=False):
        refused = _post(token, [_event(ward["visit"])])
    assert refused.status_code == 401 and "expired" in refused.json()["error"]


def test_a_bad_token_is_not_rescued_by_the_session(ward, login, nine):
    client = login(ward["worker"])
    body = {"events": [_event(ward["visit"])]}
    response = client.post(
        EVENTS, json.dumps(body), content_type="application/json", HTTP_AUTHORIZATION="Bearer hc_no"
    )
    assert response.status_code == 401 and "Unknown API token" in response.json()["error"]
    assert not VisitEvent.objects.exists()


def test_a_process_reads_a_phone_token_once_and_checks_it_once_in_a_while(ward, login, nine):
    """A phone sends events all shift: its token, user and care worker are read once,
    trusted for PHONE_TOKEN_TRUSTED_FOR, then checked again with one small statement
    (still not revoked, user active, care worker live) and trusted again."""
    from homecare.api_tokens.auth import PHONE_TOKEN_TRUSTED_FOR

    token = _phone_token(login(ward["worker"]))
    assert _post(token, [_event(ward["visit"])]).status_code == 200
    later = time_machine.travel(nine + timedelta(seconds=5), tick=False)
    with later, CaptureQueriesContext(connection) as trusted:
        assert _post(token, [_event(ward["evening"])]).status_code == 200
    sql = " ".join(q["sql"] for q in trusted.captured_queries)
    assert "api_tokens_apitoken" not in sql and 'FROM "workforce_careworker"' not in sql
    again = time_machine.travel(nine + PHONE_TOKEN_TRUSTED_FOR + timedelta(seconds=1), tick=False)
    with again, CaptureQueriesContext(connection) as checked:
        assert _post(token, [_event(ward["visit"], "note")]).status_code == 200
    token_sql = [q["sql"] for q in checked.captured_queries if "api_tokens_apitoken" in q["sql"]]
    assert len(token_sql) == 1 and token_sql[0].startswith("SELECT 1 ")
    assert not any(
        'FROM "workforce_careworker"' in q["sql"] and "EXISTS" not in q["sql"]
        for q in checked.captured_queries
    )


def _after_trust(nine, periods: int = 1):
    from homecare.api_tokens.auth import PHONE_TOKEN_TRUSTED_FOR

    return time_machine.travel(
        nine + periods * (PHONE_TOKEN_TRUSTED_FOR + timedelta(seconds=1)), tick=False
    )


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        ("revoked", "revoked"),
        ("switched_off", "switched off"),
        ("worker_archived", "Only a care worker's phone"),
    ],
)
def test_a_change_made_by_another_process_stops_the_token_within_the_trusted_time(
    ward, login, nine, change, reason
):
    """Signing out or the office revoking the token, the account switched off, the
    care worker archived: done in another server process (a plain update here, which
    this process does not hear of), the token stops working at the next check."""
    from homecare.accounts.models import User
    from homecare.workforce.models import CareWorker

    token = _phone_token(login(ward["worker"]))
    assert _post(token, [_event(ward["visit"])]).status_code == 200  # now trusted
    with _after_trust(nine):
        assert _post(token, [_event(ward["visit"], "note")]).status_code == 200  # checked
    stored = ApiToken.objects.get(kind="phone")
    if change == "revoked":
        ApiToken.objects.filter(pk=stored.pk).update(revoked_at=timezone.now())
    elif change == "switched_off":
        User.objects.filter(pk=stored.user_id).update(is_active=False)
    else:
        CareWorker.objects.filter(user_id=stored.user_id).update(archived_at=timezone.now())
    with _after_trust(nine, 2):
        refused = _post(token, [_event(ward["visit"], "check_out")])
    assert refused.status_code in (401, 200)
    answer = refused.json()
    text = answer.get("error") or answer["results"][0]["reason"]
    assert reason in text
    assert not VisitEvent.objects.filter(kind="check_out").exists()
    # The token read again in full: refused, it is no longer trusted; still good (its
    # care worker archived), it is trusted again without the care worker it had.
    from homecare.api_tokens import auth

    if change == "worker_archived":
        assert not hasattr(auth._trusted[stored.key_hash][1], "phone_worker")
    else:
        assert stored.key_hash not in auth._trusted


def test_a_token_revoked_by_the_office_stops_at_once_in_the_same_process(ward, login, nine):
    from homecare.api_tokens.services import token_revoke

    token = _phone_token(login(ward["worker"]))
    assert _post(token, [_event(ward["visit"])]).status_code == 200  # now trusted
    token_revoke(token=ApiToken.objects.get(kind="phone"))
    refused = _post(token, [_event(ward["visit"], "check_out")])
    assert refused.status_code == 401 and "revoked" in refused.json()["error"]
