"""The phone app's JSON API: the rota of the signed-in worker, and batches of
events with idempotency keys (session auth with CSRF, as the referrals API)."""

import json
import uuid
from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from homecare.visits.models import CallWorker, VisitEvent
from tests.visits.conftest import HOME

pytestmark = pytest.mark.django_db
EVENTS = reverse("visits:api_events")


def _event(visit, kind="check_in", key=None, **extra):
    return {
        "key": key or str(uuid.uuid4()),
        "kind": kind,
        "visit": str(visit.pk),
        "device_at": timezone.now().isoformat(),
        "latitude": str(HOME[0]),
        "longitude": str(HOME[1]),
        "accuracy": 15,
        "method": "gps",
        **extra,
    }


def _post(client, events, sent_at=None):
    body = {"sent_at": (sent_at or timezone.now()).isoformat(), "events": events}
    return client.post(EVENTS, json.dumps(body), content_type="application/json")


def test_the_rota_shows_today_and_tomorrow_with_what_the_worker_needs(ward, login, nine):
    client = login(ward["worker"])
    data = client.get(reverse("visits:api_rota")).json()
    assert [v["start"][11:16] for v in data["visits"]] == ["09:00", "18:00"]
    morning, evening = data["visits"]
    assert morning["person"]["name"] == "Margaret Entwistle-Quayle"
    assert morning["person"]["access_notes"].startswith("Key safe")
    assert "Oxygen in use: no naked flames." in morning["person"]["safety"]
    assert [t["task"] for t in morning["tasks"]] == ["Personal care", "Breakfast"]
    assert [d["name"] for d in morning["doses"]] == ["Paracetamol", "Donepezil"]
    assert evening["partners"] == [f"Tomasz {ward['partner'].family_name}"]
    assert data["csrf_token"]


def test_the_rota_takes_a_fixed_number_of_queries(ward, login, nine, django_assert_max_num_queries):
    client = login(ward["worker"])
    with django_assert_max_num_queries(20):
        client.get(reverse("visits:api_rota"))


def test_a_batch_is_recorded_in_order_and_a_replay_counts_once(ward, login, nine):
    client = login(ward["worker"])
    batch = [
        _event(ward["visit"]),
        _event(ward["visit"], "task", payload={"task": "Personal care", "outcome": "done"}),
    ]
    for _ in range(3):
        response = _post(client, batch)
        assert response.status_code == 200
        assert [r["outcome"] for r in response.json()["results"]] == ["accepted", "accepted"]
    assert VisitEvent.objects.count() == 2 and CallWorker.objects.count() == 1
    assert response.json()["results"][0]["replayed"] is True


def test_bad_events_get_a_reason_each_and_change_nothing(ward, login, nine):
    client = login(ward["worker"])
    results = _post(
        client,
        [
            _event(ward["visit"], key="short"),
            _event(ward["visit"], device_at="yesterday"),
            _event(ward["visit"], kind="dance"),
            _event(ward["visit"], latitude="91"),
            {**_event(ward["visit"]), "visit": str(uuid.uuid4())},
            _event(ward["visit"], device_at=(timezone.now() + timedelta(days=2)).isoformat()),
        ],
    ).json()["results"]
    assert [r["outcome"] for r in results] == ["invalid"] * 5 + ["rejected"]
    assert "8 to 64" in results[0]["reason"] and "ISO 8601" in results[1]["reason"]
    assert "Unknown kind" in results[2]["reason"] and "between -90 and 90" in results[3]["reason"]
    assert "not on your rota" in results[4]["reason"]
    assert "2 days in the future" in results[5]["reason"]
    assert not CallWorker.objects.exists()


def test_a_body_that_is_not_a_batch_is_a_400(ward, login, nine):
    client = login(ward["worker"])
    assert client.post(EVENTS, "nope", content_type="application/json").status_code == 400
    response = client.post(EVENTS, json.dumps({"events": {}}), content_type="application/json")
    assert response.status_code == 400 and "events" in response.json()["error"]


def test_session_posts_need_the_csrf_token(ward, nine):
    from django_otp.plugins.otp_totp.models import TOTPDevice

    client = Client(enforce_csrf_checks=True)
    device = TOTPDevice.objects.create(user=ward["worker"], name="phone", confirmed=True)
    client.force_login(ward["worker"])
    session = client.session
    session["otp_device_id"] = device.persistent_id
    session.save()
    refused = _post(client, [_event(ward["visit"])])
    assert refused.status_code == 403 and "CSRF" in refused.json()["error"]
    token = client.get(reverse("visits:api_rota")).json()["csrf_token"]
    body = {"events": [_event(ward["visit"])]}
    accepted = client.post(
        EVENTS, json.dumps(body), content_type="application/json", HTTP_X_CSRFTOKEN=token
    )
    assert accepted.json()["results"][0]["outcome"] == "accepted"


def test_a_signed_out_phone_is_told_to_sign_in(ward, client, nine):
    response = _post(client, [_event(ward["visit"])])
    assert response.status_code in (302, 401)
    assert not VisitEvent.objects.exists()


def test_the_office_approves_a_manual_check_in_from_the_exceptions_page(ward, login, nine):
    worker = login(ward["worker"])
    _post(worker, [_event(ward["visit"], method="manual", manual_reason="Phone has no GPS")])
    office = login(ward["coordinator"])
    page = office.get(reverse("visits:exceptions")).content.decode()
    assert "Phone has no GPS" in page and "Approve" in page
    event = VisitEvent.objects.get()
    response = office.post(reverse("visits:approve", kwargs={"pk": event.pk}), follow=True)
    assert "Approved." in response.content.decode()
    event.refresh_from_db()
    assert event.approved_by == ward["coordinator"]


def test_the_app_shell_and_its_service_worker(ward, login):
    client = login(ward["worker"])
    shell = client.get(reverse("visits:app")).content.decode()
    assert 'rel="manifest"' in shell and "visits/app.js" in shell
    sw = client.get(reverse("visits:service_worker"))
    assert sw["Content-Type"].startswith("application/javascript")
    assert "visits/app.js" in sw.content.decode()
    manifest = json.loads(client.get(reverse("visits:manifest")).content)
    assert manifest["start_url"] == "/visits/app/" and manifest["display"] == "standalone"


def test_the_visit_record_stands_an_audit(ward, login, nine):
    """KENT-8.2.1: date and time, support given; the six EVV data elements."""
    worker = login(ward["worker"])
    _post(
        worker,
        [
            _event(ward["visit"]),
            _event(ward["visit"], "task", payload={"task": "Personal care", "outcome": "done"}),
            _event(ward["visit"], "check_out"),  # refused: two doses are due
        ],
    )
    for who in ("coordinator", "broker"):
        page = login(ward[who]).get(reverse("visits:record", kwargs={"pk": ward["visit"].pk}))
        text = page.content.decode()
        assert page.status_code == 200
        assert "Personal care: <strong>Done</strong>" in text
        assert "Record each dose due on this visit" in text and "Check in · GPS" in text
    assert (
        login(ward["worker"])
        .get(reverse("visits:record", kwargs={"pk": ward["visit"].pk}))
        .status_code
        == 404
    )
