"""The demo shows the phone app with realistic data: home profiles with tag codes,
medication schedules, and the records of the calls already made today."""

import pytest
from django.db import transaction

from homecare.demo.world import build_world
from homecare.monitoring.models import CallWatch
from homecare.visits import selectors
from homecare.visits.models import (
    CallRecord,
    DoseRecord,
    HomeProfile,
    Medication,
    MedicationDose,
    TaskRecord,
    VisitEvent,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def small_world(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        yield build_world(size="small", seed=7)
        transaction.set_rollback(True)


def test_every_call_made_has_its_phone_records(small_world):
    started = CallWatch.objects.filter(first_arrival_at__isnull=False)
    assert started.exists()
    assert CallRecord.objects.count() == started.count()
    completed = CallRecord.objects.filter(status="completed")
    assert completed.exists()
    assert all(c.visit.status == "completed" for c in completed[:50])
    assert VisitEvent.objects.filter(kind="check_out").count() >= completed.count()
    assert TaskRecord.objects.exists()
    assert MedicationDose.objects.count() == DoseRecord.objects.count() > 0


def test_people_have_tag_codes_and_some_take_medication(small_world):
    assert HomeProfile.objects.exclude(tag_code="").count() > 10
    assert Medication.objects.exists()


def test_the_demo_carer_has_a_rota_on_the_phone(small_world):
    from homecare.accounts.models import User

    username = next(login.username for login in small_world.logins if login.role == "care_worker")
    carer = User.objects.get(username=username)
    rota = selectors.rota(carer)
    assert rota["visits"], "the demo carer has visits today or tomorrow"
    assert all(v["person"]["access_notes"] for v in rota["visits"])
