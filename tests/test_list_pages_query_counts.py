"""List pages are paginated and their query count does not grow with the data."""

from datetime import time, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from homecare.packages import services
from tests import factories as f


def grow(world, n):
    """Add n more people, each with a package, a worker and a visit tomorrow."""
    tomorrow = timezone.localdate() + timedelta(days=1)
    for _ in range(n):
        person = f.IndividualFactory(organisation=world["council"], area=world["area"])
        package = f.CarePackageFactory(contract=world["contract"], individual=person)
        worker = f.CareWorkerFactory(organisation=world["provider"])
        worker.skills.add(f.SkillFactory())
        services.pattern_entry_add(
            by=world["coordinator"],
            package=package,
            weekdays=[tomorrow.weekday()],
            start_time=time(10),
            end_time=time(10, 30),
        )


PAGES = [
    ("coordinator", "people:list"),
    ("coordinator", "packages:list"),
    ("coordinator", "workforce:list"),
    ("coordinator", "organisations:list"),
    ("coordinator", "core:home"),
    ("broker", "people:list"),
    ("broker", "core:home"),
    ("commissioner", "core:home"),
    ("worker", "core:home"),
    ("daughter", "core:home"),
]


def _count(client, url, _unused):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize(("who", "name"), PAGES)
def test_query_count_is_fixed_regardless_of_size(
    world, login, who, name, django_assert_num_queries
):
    client = login(world[who])
    url = reverse(name)
    client.get(url)  # warm the session and caches
    grow(world, 2)
    small = _count(client, url, None)
    grow(world, 8)
    with django_assert_num_queries(small):
        client.get(url)


def test_lists_are_paginated(world, login, settings):
    settings.HOMECARE_PAGE_SIZE = 5
    grow(world, 7)
    page = login(world["coordinator"]).get(reverse("people:list")).content.decode()
    assert "Page 1 of 2" in page
    assert "8 in all" in page


def _thicken(world, n):
    """n more pattern lines (with skills) and rostered visits on the world's package."""
    package, tomorrow = world["package"], timezone.localdate() + timedelta(days=1)
    for i in range(n):
        [entry] = services.pattern_entry_add(
            by=world["coordinator"],
            package=package,
            weekdays=[tomorrow.weekday()],
            start_time=time(12 + i % 8, 0),
            end_time=time(12 + i % 8, 30),
            skills=[f.SkillFactory()],
        )
        visit = package.visits.get(pattern_entry=entry, date=tomorrow)
        services.visit_assign_workers(
            by=world["coordinator"], visit=visit, workers=[world["care_worker"]]
        )


@pytest.mark.parametrize(
    ("who", "name", "key"),
    [
        ("coordinator", "packages:detail", "package"),
        ("coordinator", "people:detail", "person"),
        ("coordinator", "workforce:detail", "care_worker"),
        ("broker", "organisations:detail", "contract"),
        ("broker", "packages:detail", "package"),
    ],
)
def test_detail_pages_query_count_is_fixed(world, login, django_assert_num_queries, who, name, key):
    client = login(world[who])
    url = reverse(name, args=[world[key].pk])
    client.get(url)
    _thicken(world, 1)
    small = _count(client, url, None)
    _thicken(world, 5)
    with django_assert_num_queries(small):
        client.get(url)
