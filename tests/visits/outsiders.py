"""Outsider cases for the visits app (see tests/test_outsiders_get_404.py)."""

import uuid

from django.utils import timezone

DETAIL_ROUTES = {
    "visits:approve": ("manual_check_in", {}, "post"),
    "visits:record": ("visit", {}, "get"),
    "visits:home_tag": ("person", {}, "get"),
    "visits:home_tag_issue": ("person", {}, "post"),
}
LIST_ROUTES = {
    "visits:app": None,  # the shell: no personal data; the rota comes from the API
    "visits:api_rota": "Entwistle-Quayle",
    "visits:api_events": None,  # POST only: tested in tests/visits/test_api.py
    "visits:exceptions": "Entwistle-Quayle",
}
OPEN_ROUTES = {"visits:service_worker", "visits:manifest"}
ONE_SIDED = {"visits:exceptions": "office"}


def build(everything) -> dict:
    """A manual check-in awaiting approval on the world's visit."""
    from homecare.visits.models import VisitEvent

    visit, worker = everything["visit"], everything["care_worker"]
    now = timezone.now()
    event = VisitEvent.objects.create(
        organisation_id=visit.organisation_id,
        idempotency_key=str(uuid.uuid4()),
        visit=visit,
        worker=worker,
        kind="check_in",
        device_at=now,
        received_at=now,
        occurred_at=now,
        method="manual",
        payload={"manual_reason": "No signal"},
        outcome="accepted",
        needs_approval=True,
    )
    return {"manual_check_in": event}
