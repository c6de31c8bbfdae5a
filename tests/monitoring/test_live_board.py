"""The coordinator's live board and the council's late and missed calls."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from homecare.monitoring import monitor, services
from homecare.monitoring.models import CallWatch
from homecare.notifications.models import Notification
from homecare.packages import services as package_services
from homecare.packages.models import Visit
from tests import factories as f


def _visit_today(world, *, minutes_ago: int, person=None, workers=None):
    start = timezone.now().replace(second=0, microsecond=0) - timedelta(minutes=minutes_ago)
    person = person or world["person"]
    package = world["package"] if person == world["person"] else person.packages.get()
    visit = Visit.objects.create(
        organisation=world["provider"],
        package=package,
        individual=person,
        date=timezone.localdate(),
        planned_start=start,
        planned_end=start + timedelta(minutes=30),
        duration_minutes=30,
    )
    package_services.visit_assign_workers(
        by=world["coordinator"], visit=visit, workers=workers or [world["care_worker"]]
    )
    services.watch_for(visit)
    return visit


@pytest.fixture
def board_day(world):
    late = _visit_today(world, minutes_ago=50)
    missed = _visit_today(world, minutes_ago=130)
    monitor.sweep()
    return {"late": late, "missed": missed}


def test_the_board_shows_late_and_missed_calls_in_red(world, login, board_day):
    """KENT-3.9.4 and KENT-3.9.5 on the board, computed by the monitor."""
    response = login(world["coordinator"]).get(reverse("monitoring:board"))
    html = response.content.decode()
    assert response.status_code == 200
    assert html.count('class="call-late red"') == 1
    assert html.count('class="call-missed red"') == 1
    assert "Entwistle-Quayle, Margaret" in html
    assert "every 15s" in html


def _more_visits(world, n):
    for _ in range(n):
        person = f.IndividualFactory(organisation=world["council"], area=world["area"])
        f.CarePackageFactory(
            contract=world["contract"],
            individual=person,
            status="active",
            start_date=timezone.localdate() - timedelta(days=3),
        )
        _visit_today(
            world,
            minutes_ago=10,
            person=person,
            workers=[f.CareWorkerFactory(organisation=world["provider"])],
        )


@pytest.mark.parametrize("name", ["monitoring:board", "monitoring:board_rows"])
def test_the_board_runs_the_same_queries_for_two_visits_or_twenty(
    world, login, board_day, django_assert_num_queries, name
):
    client = login(world["coordinator"])
    client.get(reverse(name))  # warm the session and caches
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        client.get(reverse(name))
    _more_visits(world, 18)
    with django_assert_num_queries(len(few.captured_queries)):
        response = client.get(reverse(name))
    assert response.content.decode().count("data-visit=") == 20


def test_filters_show_only_the_problems(world, login, board_day):
    _visit_today(world, minutes_ago=5)
    monitor.sweep()
    client = login(world["coordinator"])
    html = client.get(reverse("monitoring:board"), {"state": "problems"}).content.decode()
    assert html.count("data-visit=") == 2
    html = client.get(reverse("monitoring:board"), {"state": "late"}).content.decode()
    assert html.count("data-visit=") == 1


def test_a_bad_date_gets_a_clear_message_and_today(world, login, board_day):
    response = login(world["coordinator"]).get(reverse("monitoring:board"), {"date": "31/13/2026"})
    html = response.content.decode()
    assert "is not a date (use YYYY-MM-DD)" in html
    assert html.count("data-visit=") == 2


def test_one_click_reassigns_a_late_call(world, login, board_day):
    watch = CallWatch.objects.get(visit=board_day["late"])
    other = f.CareWorkerFactory(organisation=world["provider"], given_name="Chidi")
    response = login(world["coordinator"]).post(
        reverse("monitoring:reassign", args=[watch.pk]), {"worker": other.pk}
    )
    assert response.status_code == 302
    assert list(board_day["late"].workers.all()) == [other]
    watch.refresh_from_db()
    assert "reassigned" in watch.flags


def test_a_worker_of_another_provider_cannot_be_given_the_call(world, login, board_day):
    watch = CallWatch.objects.get(visit=board_day["late"])
    stranger = f.CareWorkerFactory(organisation=world["other_provider"])
    client = login(world["coordinator"])
    response = client.post(
        reverse("monitoring:reassign", args=[watch.pk]), {"worker": stranger.pk}, follow=True
    )
    assert "That worker is not one of yours." in response.content.decode()
    assert list(board_day["late"].workers.all()) == [world["care_worker"]]


def test_a_started_call_cannot_be_reassigned(world, login, board_day):
    visit = _visit_today(world, minutes_ago=20)
    services.call_started(visit=visit, worker=world["care_worker"], at=timezone.now())
    watch = CallWatch.objects.get(visit=visit)
    other = f.CareWorkerFactory(organisation=world["provider"])
    response = login(world["coordinator"]).post(
        reverse("monitoring:reassign", args=[watch.pk]), {"worker": other.pk}, follow=True
    )
    assert "Only a call nobody has started can be reassigned." in response.content.decode()


def test_one_click_records_a_call_ahead_to_the_person(world, login, board_day):
    """KENT-8.4.6: affected people are called ahead."""
    watch = CallWatch.objects.get(visit=board_day["late"])
    login(world["coordinator"]).post(
        reverse("monitoring:call_ahead", args=[watch.pk]), {"note": "Spoke to Margaret."}
    )
    watch.refresh_from_db()
    assert watch.called_ahead_by == world["coordinator"]
    assert watch.call_ahead_note == "Spoke to Margaret."


def test_the_office_records_a_no_response_call_and_the_council_is_told(world, login, board_day):
    """KENT-3.8.1: no-response calls are notified."""
    watch = CallWatch.objects.get(visit=board_day["late"])
    login(world["coordinator"]).post(
        reverse("monitoring:not_delivered", args=[watch.pk]), {"outcome": "no_response"}
    )
    watch.refresh_from_db()
    assert watch.outcome == "no_response"
    assert Notification.objects.filter(kind="no_response").count() == 1


def test_the_council_sees_the_late_and_missed_calls_on_its_contracts(world, login, board_day):
    html = login(world["broker"]).get(reverse("monitoring:council")).content.decode()
    assert html.count("Entwistle-Quayle, Margaret") == 2
    assert "Missed" in html and "Late" in html


@pytest.mark.parametrize("who", ["worker", "daughter", "broker"])
def test_the_board_is_for_the_provider_office_only(world, login, board_day, who):
    assert login(world[who]).get(reverse("monitoring:board")).status_code == 404


def test_a_bad_outcome_or_a_long_note_is_refused_and_changes_nothing(world, login, board_day):
    watch = CallWatch.objects.get(visit=board_day["late"])
    client = login(world["coordinator"])
    response = client.post(
        reverse("monitoring:not_delivered", args=[watch.pk]), {"outcome": "nonsense"}, follow=True
    )
    assert "Choose what happened: no response or void call." in response.content.decode()
    response = client.post(
        reverse("monitoring:call_ahead", args=[watch.pk]), {"note": "x" * 501}, follow=True
    )
    assert "The note is too long" in response.content.decode()
    watch.refresh_from_db()
    assert (watch.outcome, watch.called_ahead_at, watch.state) == ("", None, "late")
    assert not Notification.objects.filter(kind__in=["no_response", "void_call"]).exists()
