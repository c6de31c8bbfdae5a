"""The person's or family's view: who is coming and when, and shared visit notes."""

import uuid

import pytest
from django.urls import reverse
from django.utils import timezone

from homecare.visits.models import VisitEvent, VisitNote


def _note(world, text, shared):
    visit = world["visit"]
    event = VisitEvent.objects.create(
        organisation=world["provider"],
        idempotency_key=str(uuid.uuid4()),
        visit=visit,
        worker=world["care_worker"],
        kind="note",
        device_at=timezone.now(),
        received_at=timezone.now(),
        occurred_at=timezone.now(),
    )
    VisitNote.objects.create(
        organisation=world["provider"],
        visit=visit,
        worker=world["care_worker"],
        event=event,
        recorded_at=timezone.now(),
        individual=world["person"],
        text=text,
        shared_with_person=shared,
    )


def test_the_family_sees_who_is_coming_by_first_name_and_the_shared_notes(world, login):
    """DERBY-4.6: customers learn the names of their workers in advance;
    KENT-3.9.1: the record is accessible to the person and family."""
    _note(world, "Enjoyed her porridge; asked for the blue cardigan tomorrow.", shared=True)
    _note(world, "Bruise on left shin, reported to office.", shared=False)
    html = login(world["daughter"]).get(reverse("monitoring:coming")).content.decode()
    assert "09:00" in html
    assert "Aishwarya" in html
    assert world["care_worker"].family_name not in html
    assert "blue cardigan" in html
    assert "Bruise" not in html


@pytest.mark.parametrize("who", ["coordinator", "broker", "worker", "outsider", "other_broker"])
def test_only_the_family_has_this_page(world, login, who):
    assert login(world[who]).get(reverse("monitoring:coming")).status_code == 404
