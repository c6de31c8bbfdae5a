"""A day that cannot be fully rostered: the run says why, plans the rest, never crashes (issue 5)."""

from datetime import time

import pytest
from django.urls import reverse

from homecare.packages import services as package_services
from homecare.rostering import services
from homecare.rostering.models import RotaRun
from tests import factories as f


@pytest.fixture(autouse=True)
def quick(settings):
    settings.HOMECARE_ROTA_SECONDS = {"optimise": 1.0, "repair": 1.0}


@pytest.fixture
def awkward(rota):
    """Lou needs a male worker with the hoist (nobody is); Max's hour-long visit is at
    20:30 with no leeway, after every shift has ended."""
    weekday = rota["tomorrow"].weekday()
    for name, pref, start, end, window, skills in [
        ("Lou", "male", time(15), time(15, 30), 30, [rota["hoist"]]),
        ("Max", "none", time(20, 30), time(21, 30), 0, []),
    ]:
        person = f.IndividualFactory(
            organisation=rota["council"],
            area=rota["area"],
            given_name=name,
            family_name="Client",
            preferred_worker_gender=pref,
        )
        package = f.CarePackageFactory(contract=rota["contract"], individual=person)
        package_services.pattern_entry_add(
            by=rota["coordinator"],
            package=package,
            weekdays=[weekday],
            start_time=start,
            end_time=end,
            window_minutes=window,
            skills=skills,
        )
    return rota


def _run(rota, capture):
    with capture(execute=True):
        run = services.rota_run_request(
            by=rota["coordinator"], provider=rota["provider"], day=rota["tomorrow"], kind="optimise"
        )
    run.refresh_from_db()
    return run


def test_the_run_plans_the_rest_and_gives_each_reason(awkward, django_capture_on_commit_callbacks):
    run = _run(awkward, django_capture_on_commit_callbacks)
    assert run.status == RotaRun.Status.DONE, run.error or run.report
    reasons = {u["label"]: u["reason"] for u in run.report["unassigned"]}
    assert reasons["Lou Client 15:00–15:30"] == (
        "nobody on the staff is qualified: it needs hoist and a male worker"
    )
    assert reasons["Max Client 20:30–21:30"].startswith("window impossible")
    assert len(reasons) == 2
    assert run.after["unassigned"] == 2
    assert "Eve Worker has no availability on this day." in run.report["notes"]
    # everyone else is planned
    planned = [row for row in run.proposal.values() if row["workers"]]
    assert len(planned) == len(run.proposal) - 2


def test_the_run_page_shows_the_reasons(awkward, login, django_capture_on_commit_callbacks):
    run = _run(awkward, django_capture_on_commit_callbacks)
    html = login(awkward["coordinator"]).get(reverse("rostering:run", kwargs={"pk": run.pk}))
    text = html.content.decode()
    assert "Visits it could not place (2)" in text
    assert "nobody on the staff is qualified: it needs hoist and a male worker" in text
    assert "Eve Worker has no availability on this day." in text


def test_a_provider_with_no_workers_fails_with_a_reason(world, django_capture_on_commit_callbacks):
    from homecare.workforce.models import CareWorker

    CareWorker.objects.filter(organisation=world["provider"]).update(left_on=world["visit"].date)
    with django_capture_on_commit_callbacks(execute=True):
        run = services.rota_run_request(
            by=world["coordinator"],
            provider=world["provider"],
            day=world["visit"].date,
            kind="optimise",
        )
    run.refresh_from_db()
    assert run.status == RotaRun.Status.FAILED
    assert run.error == "The day cannot be planned as it stands."
    assert "there are no workers" in run.report["problems"]


def test_a_bad_day_in_the_form_is_refused(rota, login):
    client = login(rota["coordinator"])
    response = client.post(
        reverse("rostering:run_request"), {"date": "not a day", "kind": "optimise"}, follow=True
    )
    assert "Choose a day to plan." in response.content.decode()
    assert not RotaRun.objects.exists()
    response = client.post(
        reverse("rostering:run_request"), {"date": "2020-01-01", "kind": "optimise"}, follow=True
    )
    assert "A day that is over cannot be re-planned." in response.content.decode()
    assert not RotaRun.objects.exists()
