"""A coordinator adds visits to a package's weekly pattern and changes its status
from the package page; bad input is explained and saves nothing."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from homecare.packages.models import PatternEntry, Visit


@pytest.fixture
def url(world):
    return reverse("packages:pattern_add", args=[world["package"].pk])


def test_a_coordinator_adds_a_double_handed_morning_visit(world, login, url):
    client = login(world["coordinator"])
    response = client.post(
        url,
        {
            "weekdays": ["0", "2", "4"],
            "kind": "visit",
            "start_time": "07:30",
            "end_time": "08:15",
            "workers_required": "2",
            "window_minutes": "30",
            "tasks": "Hoist transfer\nWash and dress",
        },
    )
    assert response.status_code == 302
    entries = PatternEntry.objects.filter(package=world["package"], start_time="07:30")
    assert entries.count() == 3
    assert {e.duration_minutes for e in entries} == {45}
    assert entries.first().tasks == ["Hoist transfer", "Wash and dress"]
    page = client.get(reverse("packages:detail", args=[world["package"].pk])).content.decode()
    assert "Hoist transfer" in page


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"start_time": "09:00", "end_time": "08:30"}, "before it starts"),
        ({"start_time": "25:00"}, "Enter a valid time"),
        ({"weekdays": []}, "Choose at least one day"),
        (
            {"kind": "overnight_block", "start_time": "23:00", "end_time": "05:00"},
            "at least 8 hours",
        ),
        ({"workers_required": "3"}, "Select a valid choice"),
    ],
)
def test_bad_pattern_lines_are_explained_and_nothing_changes(world, login, url, data, message):
    before = (PatternEntry.objects.count(), Visit.objects.count())
    base = {
        "weekdays": ["1"],
        "kind": "visit",
        "start_time": "12:00",
        "end_time": "12:30",
        "workers_required": "1",
        "window_minutes": "15",
        "tasks": "",
    }
    response = login(world["coordinator"]).post(url, {**base, **data})
    assert response.status_code == 200
    assert message in response.content.decode()
    assert (PatternEntry.objects.count(), Visit.objects.count()) == before


def test_a_coordinator_suspends_a_package_for_a_hospital_stay(world, login):
    package = world["package"]
    tomorrow = timezone.localdate() + timedelta(days=1)
    response = login(world["coordinator"]).post(
        reverse("packages:status", args=[package.pk]),
        {
            "to_status": "suspended",
            "effective_on": tomorrow.isoformat(),
            "reason": "Admitted to RBH",
        },
    )
    assert response.status_code == 302
    package.refresh_from_db()
    assert package.status == "suspended"
    assert world["visit"].__class__.objects.get(pk=world["visit"].pk).status == "cancelled"


def test_an_impossible_status_change_is_refused(world, login):
    package = world["package"]
    response = login(world["coordinator"]).post(
        reverse("packages:status", args=[package.pk]),
        {"to_status": "proposed", "effective_on": timezone.localdate().isoformat(), "reason": "x"},
        follow=True,
    )
    assert "Select a valid choice" in response.content.decode()
    package.refresh_from_db()
    assert package.status == "active"


def test_removing_a_line_cancels_its_future_visits(world, login):
    package = world["package"]
    entry = package.pattern.get()
    client = login(world["coordinator"])
    client.post(reverse("packages:pattern_remove", args=[package.pk, entry.pk]))
    entry.refresh_from_db()
    assert entry.archived_at is not None
    assert entry.archived_by == world["coordinator"]
    assert Visit.objects.get(pk=world["visit"].pk).status == "cancelled"
    again = client.post(reverse("packages:pattern_remove", args=[package.pk, entry.pk]))
    assert again.status_code == 404  # already out of the pattern
