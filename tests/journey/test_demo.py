"""The demo shows people mid-journey."""

import pytest
from django.db import transaction

from homecare.demo.world import build_world
from homecare.journey.models import HandBack, HospitalStay, PackageChange

pytestmark = pytest.mark.django_db


def test_the_small_demo_has_a_request_a_stay_in_its_hold_and_a_hand_back():
    with transaction.atomic():
        build_world(size="small", seed=7, scale=0.1)
        assert PackageChange.objects.filter(status="requested").count() == 1
        assert PackageChange.objects.filter(status="applied").count() == 1
        stay = HospitalStay.objects.get()
        assert stay.status == "held" and stay.package.status == "suspended"
        assert stay.held_visits.exists()
        assert HandBack.objects.filter(status="notice").count() == 1
        transaction.set_rollback(True)
