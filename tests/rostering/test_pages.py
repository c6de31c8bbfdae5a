"""The rota page, a visit's page (manual moves, pins), a worker's route, marking sick (issue 5)."""

from django.urls import reverse

from homecare.packages.models import VisitAssignment
from homecare.rostering.models import PinnedVisit, WorkerAbsence


def _rota_url(rota, key="tomorrow"):
    return f"{reverse('rostering:day')}?date={rota[key].isoformat()}"


def test_the_rota_page_shows_one_row_per_worker_and_the_unassigned_in_red(rota, login):
    response = login(rota["coordinator"]).get(_rota_url(rota))
    assert response.status_code == 200
    html = response.content.decode()
    for name in ["Aishwarya", "Ben Worker", "Chloe Worker", "Dev Worker", "Eve Worker"]:
        assert name in html
    assert "Visits without workers (5)" in html
    assert "Iris Client 11:00–11:45</a> (double-handed) · needs hoist" in html
    assert "Optimise tomorrow" in html


def test_the_rota_page_costs_the_same_queries_for_a_bigger_day(
    rota, login, django_assert_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests import factories as f

    client = login(rota["coordinator"])
    client.get(_rota_url(rota))  # warm the session and the rulebook cache
    with CaptureQueriesContext(connection) as small:
        client.get(_rota_url(rota))
    for n in range(3):
        worker = f.CareWorkerFactory(organisation=rota["provider"], given_name=f"Extra{n}")
        worker.skills.set([rota["hoist"]])
        VisitAssignment.objects.create(
            organisation=rota["provider"], visit=rota["visits"]["kath1400"], worker=worker
        )
    with django_assert_num_queries(len(small)):
        client.get(_rota_url(rota))


def test_double_handed_partners_are_linked_on_the_page(rota, login):
    iris = rota["visits"]["iris1100"]
    VisitAssignment.objects.create(
        organisation=rota["provider"], visit=iris, worker=rota["workers"]["chloe"]
    )
    VisitAssignment.objects.create(
        organisation=rota["provider"], visit=iris, worker=rota["workers"]["dev"]
    )
    html = login(rota["coordinator"]).get(_rota_url(rota)).content.decode()
    assert "Iris Client ⇄ Dev Worker" in html
    assert "Iris Client ⇄ Chloe Worker" in html


def test_a_move_that_breaks_a_rule_is_refused_with_the_reason(rota, login):
    client = login(rota["coordinator"])
    harold = rota["visits"]["harold1000"]
    url = reverse("rostering:visit", kwargs={"pk": harold.pk})
    response = client.post(url, {"first": str(rota["workers"]["ben"].pk)})
    assert response.status_code == 200
    assert "Harold Client asks for female workers; Ben Worker is male." in response.content.decode()
    assert not VisitAssignment.objects.filter(visit=harold).exists()


def test_a_move_without_the_skill_or_the_shift_is_refused(rota, login):
    client = login(rota["coordinator"])
    kath = rota["visits"]["kath1400"]
    url = reverse("rostering:visit", kwargs={"pk": kath.pk})
    html = client.post(url, {"first": str(rota["workers"]["eve"].pk)}).content.decode()
    assert "Eve Worker lacks the skills this visit needs: hoist." in html
    assert "Eve Worker is not available 14:00–14:30 (shifts that day: none)." in html
    html = client.post(url, {"first": str(rota["workers"]["dev"].pk)}).content.decode()
    assert "Dev Worker has a break 14:00–14:20." in html
    assert not VisitAssignment.objects.filter(visit=kath).exists()


def test_a_double_handed_visit_needs_two_workers(rota, login):
    client = login(rota["coordinator"])
    iris = rota["visits"]["iris1100"]
    url = reverse("rostering:visit", kwargs={"pk": iris.pk})
    html = client.post(url, {"first": str(rota["workers"]["chloe"].pk)}).content.decode()
    assert "This visit is double-handed: choose two workers." in html
    response = client.post(
        url,
        {"first": str(rota["workers"]["chloe"].pk), "second": str(rota["workers"]["dev"].pk)},
    )
    assert response.status_code == 302
    assert VisitAssignment.objects.filter(visit=iris).count() == 2


def test_a_worker_in_two_places_at_once_is_refused(rota, login):
    client = login(rota["coordinator"])
    aish = rota["workers"]["aishwarya"]
    jack = rota["visits"]["jack0930"]  # Aishwarya is with Margaret 09:00–09:45
    url = reverse("rostering:visit", kwargs={"pk": jack.pk})
    html = client.post(url, {"first": str(aish.pk)}).content.decode()
    assert "is with Margaret Entwistle-Quayle 09:00–09:45 then." in html


def test_a_good_move_is_made_and_a_pinned_visit_stays_put(rota, login):
    client = login(rota["coordinator"])
    jack = rota["visits"]["jack1200"]
    url = reverse("rostering:visit", kwargs={"pk": jack.pk})
    response = client.post(url, {"first": str(rota["workers"]["ben"].pk)})
    assert response.status_code == 302
    assert VisitAssignment.objects.get(visit=jack).worker == rota["workers"]["ben"]
    client.post(reverse("rostering:visit_pin", kwargs={"pk": jack.pk}))
    assert PinnedVisit.objects.filter(visit=jack, archived_at__isnull=True).exists()
    html = client.post(url, {"first": str(rota["workers"]["eve"].pk)}).content.decode()
    assert "This visit is pinned: unpin it before moving it." in html
    client.post(reverse("rostering:visit_pin", kwargs={"pk": jack.pk}), {"pin": "off"})
    assert not PinnedVisit.objects.filter(visit=jack, archived_at__isnull=True).exists()


def test_marking_a_worker_sick_shows_on_the_rota(rota, login):
    client = login(rota["coordinator"])
    ben = rota["workers"]["ben"]
    response = client.post(
        reverse("rostering:worker_sick", kwargs={"pk": ben.pk}),
        {"date": rota["today"].isoformat()},
    )
    assert response.status_code == 302
    absence = WorkerAbsence.objects.get(worker=ben)
    assert absence.recorded_by == rota["coordinator"]
    html = client.get(_rota_url(rota, "today")).content.decode()
    assert "Ben Worker</a> · off sick" in html


def test_a_workers_route_is_drawn_from_coordinates(rota, login):
    client = login(rota["coordinator"])
    url = reverse("rostering:worker", kwargs={"pk": rota["care_worker"].pk})
    html = client.get(url + f"?date={rota['tomorrow'].isoformat()}").content.decode()
    assert "<svg" in html and "<polyline" in html
    assert "Margaret Entwistle-Quayle" in html


def test_care_workers_and_councils_do_not_see_the_rota(rota, login):
    for who in ["worker", "broker", "daughter"]:
        assert login(rota[who]).get(reverse("rostering:day")).status_code == 404
