"""A double-handed visit beside the world's single-handed one."""

from datetime import time, timedelta

import pytest
from django.utils import timezone

from homecare.packages import services as package_services
from tests import factories as f


@pytest.fixture
def double(world):
    """A double-handed visit the day after tomorrow, with two workers on it."""
    day = timezone.localdate() + timedelta(days=2)
    package_services.pattern_entry_add(
        by=world["coordinator"],
        package=world["package"],
        weekdays=[day.weekday()],
        start_time=time(18, 0),
        end_time=time(18, 30),
        workers_required=2,
    )
    visit = world["package"].visits.get(date=day, workers_required=2)
    partner = f.CareWorkerFactory(organisation=world["provider"], given_name="Bronwen")
    package_services.visit_assign_workers(
        by=world["coordinator"], visit=visit, workers=[world["care_worker"], partner]
    )
    return {"visit": visit, "first": world["care_worker"], "partner": partner}


def minutes_after(visit, minutes: float):
    return visit.planned_start + timedelta(minutes=minutes)


@pytest.fixture
def mailbox(settings, tmp_path):
    """The real file mail backend the demo uses (pytest-django swaps in locmem)."""
    from pathlib import Path

    settings.EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    settings.EMAIL_FILE_PATH = str(tmp_path / "mail")
    return Path(settings.EMAIL_FILE_PATH)


def mails(mailbox) -> list[str]:
    return [p.read_text() for p in sorted(mailbox.glob("*.log"))] if mailbox.exists() else []


@pytest.fixture
def council_email(world):
    world["council"].email = "adult.social.care@lancashire.example.org"
    world["council"].save()
    return world["council"].email
