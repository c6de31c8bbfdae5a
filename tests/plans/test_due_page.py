"""The what-is-due page: every open deadline of the packages the user looks
after, in overdue / today / this week, each with its clause and link, for the
provider's office and the council; nobody else sees it."""

from datetime import datetime, time, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from homecare.domain.deadlines import Deadline
from homecare.plans import deadlines as registry
from tests import factories as f


def _start_plus_days(packages, now):
    """A source for the test: each active package owes something 3 days after
    it started (at local noon); done if the package has notes."""
    rows = packages.filter(status="active").values_list(
        "id", "individual_id", "organisation_id", "contract__organisation_id", "start_date", "notes"
    )
    url = registry.url_maker("packages:detail")
    for pk, person, provider, council, start, notes in rows:
        yield Deadline(
            key=f"test.three_days:{pk}",
            kind="test.three_days",
            title="Three days on",
            due_at=timezone.make_aware(datetime.combine(start + timedelta(days=3), time(12))),
            refs=("LAN-ST-5.7",),
            clause="Something within three days.",
            individual_id=person,
            package_id=pk,
            provider_id=provider,
            council_id=council,
            url=url(pk),
            done_at=timezone.now() if notes else None,
        )


@pytest.fixture
def source():
    registry.register(_start_plus_days, kinds={"test.three_days": "Three days on"})
    yield _start_plus_days
    registry.unregister(_start_plus_days)


def _set_start(package, days_ago):
    package.start_date = timezone.localdate() - timedelta(days=days_ago)
    package.status_effective_on = package.start_date
    package.save()


@pytest.mark.parametrize("who", ["coordinator", "broker", "commissioner", "manager"])
def test_office_and_council_see_the_deadline_with_clause_and_link(world, login, source, who):
    _set_start(world["package"], 10)
    page = login(world[who]).get(reverse("plans:due"))
    assert page.status_code == 200
    html = page.content.decode()
    overdue = html.split('id="due-overdue"')[1].split("</section>")[0]
    assert f'data-key="test.three_days:{world["package"].pk}"' in overdue
    assert "Entwistle-Quayle" in overdue
    assert "LAN-ST-5.7" in overdue and "Something within three days." in overdue
    assert reverse("packages:detail", args=[world["package"].pk]) in overdue


def test_a_deadline_moves_from_this_week_to_today_to_overdue(world, login, source):
    _set_start(world["package"], 0)
    client = login(world["coordinator"])

    def bucket():
        html = client.get(reverse("plans:due")).content.decode()
        for name in ("overdue", "today", "this_week"):
            section = html.split(f'id="due-{name}"')[1].split("</section>")[0]
            if f'data-key="test.three_days:{world["package"].pk}"' in section:
                return name
        return None

    assert bucket() == "this_week"
    _set_start(world["package"], 3)
    assert bucket() in ("today", "overdue")  # noon today: overdue after midday
    _set_start(world["package"], 4)
    assert bucket() == "overdue"


def test_a_done_deadline_clears(world, login, source):
    _set_start(world["package"], 10)
    world["package"].notes = "Done"
    world["package"].save()
    html = login(world["coordinator"]).get(reverse("plans:due")).content.decode()
    assert "test.three_days:" not in html


def test_filter_by_kind(world, login, source):
    _set_start(world["package"], 10)
    client = login(world["coordinator"])
    only = client.get(reverse("plans:due"), {"kind": "test.three_days"}).content.decode()
    assert "test.three_days:" in only and 'data-kind="plan.due_after_start"' not in only
    other = client.get(reverse("plans:due"), {"kind": "plan.due_after_start"}).content.decode()
    assert "test.three_days:" not in other and 'data-kind="plan.due_after_start"' in other


@pytest.mark.parametrize("who", ["worker", "daughter", "outsider", "other_broker"])
def test_others_see_nothing(world, login, source, who):
    _set_start(world["package"], 10)
    response = login(world[who]).get(reverse("plans:due"))
    assert response.status_code in (200, 404)
    assert "Entwistle-Quayle" not in response.content.decode()
    if who in ("worker", "daughter"):
        assert response.status_code == 404


def _more_packages(world, n):
    for _ in range(n):
        f.CarePackageFactory(
            contract=world["contract"], start_date=timezone.localdate() - timedelta(days=10)
        )


@pytest.mark.parametrize("who", ["coordinator", "broker"])
def test_fixed_query_count(world, login, source, who, django_assert_num_queries, settings):
    """The page costs the same number of queries for 1 and for 20 packages."""
    settings.HOMECARE_DUE_CACHE_SECONDS = 0  # every request computes
    client = login(world[who])
    _set_start(world["package"], 10)
    client.get(reverse("plans:due"))  # warm the session

    def count():
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as ctx:
            assert client.get(reverse("plans:due")).status_code == 200
        return len(ctx)

    small = count()
    _more_packages(world, 20)
    with django_assert_num_queries(small):
        html = client.get(reverse("plans:due")).content.decode()
    assert html.count('data-kind="test.three_days"') == 21


def test_the_cache_is_dropped_when_a_record_changes(world, login, source, issue_plan):
    """Cached for a minute, but a deadline done shows as done at the next request."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    _set_start(world["package"], 10)
    client = login(world["coordinator"])
    key = f'data-key="plan.due_after_start:{world["package"].pk}"'
    assert key in client.get(reverse("plans:due")).content.decode()
    with CaptureQueriesContext(connection) as cached:
        assert key in client.get(reverse("plans:due")).content.decode()
    issue_plan()
    with CaptureQueriesContext(connection) as recomputed:
        assert key not in client.get(reverse("plans:due")).content.decode()
    assert len(cached) < len(recomputed)
