"""Pinned visits stay put through a run; a repair of today leaves what has started (issue 5)."""

import pytest

from homecare.rostering import services
from homecare.rostering.day import load_day
from homecare.rostering.models import RotaRun
from homecare.rostering.optimise import build_problem


@pytest.fixture(autouse=True)
def quick(settings):
    settings.HOMECARE_ROTA_SECONDS = {"optimise": 1.0, "repair": 1.0}


def test_a_pinned_visit_keeps_its_worker_through_a_run(rota, django_capture_on_commit_callbacks):
    margaret = rota["visit"]
    services.visit_pin(by=rota["coordinator"], visit=margaret)
    with django_capture_on_commit_callbacks(execute=True):
        run = services.rota_run_request(
            by=rota["coordinator"], provider=rota["provider"], day=rota["tomorrow"], kind="optimise"
        )
    run.refresh_from_db()
    assert run.status == RotaRun.Status.DONE
    assert run.proposal[str(margaret.pk)]["workers"] == [str(rota["care_worker"].pk)]


def test_a_pin_on_a_worker_off_sick_is_let_go(rota):
    margaret = rota["visit"]
    services.visit_pin(by=rota["coordinator"], visit=margaret)
    services.worker_mark_sick(
        by=rota["coordinator"],
        worker=rota["care_worker"],
        starts_at=services.rota_day.to_aware(rota["tomorrow"], 0),
        ends_at=services.rota_day.to_aware(rota["tomorrow"], 24 * 60),
    )
    problem, *_ = build_problem(load_day(rota["provider"], rota["tomorrow"]))
    visit = next(v for v in problem.visits if v.id == str(margaret.pk))
    assert visit.pinned == ()
    aish = next(w for w in problem.workers if w.id == str(rota["care_worker"].pk))
    assert aish.unavailable


def test_a_repair_from_mid_morning_leaves_what_has_started(rota):
    """Visits before the repair's moment stay as rostered; each worker's day goes on
    from the end of their last one, from where it was."""
    day = load_day(rota["provider"], rota["tomorrow"])
    margaret = str(rota["visit"].pk)  # 09:00-09:45 with Aishwarya
    problem, _, fixed, _ = build_problem(day, from_minute=9 * 60 + 15)
    assert margaret in fixed
    assert margaret not in {v.id for v in problem.visits}
    assert {v.id for v in problem.visits} | fixed == {v.id for v in day.visits}
    aish = next(w for w in problem.workers if w.id == str(rota["care_worker"].pk))
    assert aish.shifts[0][0] == 9 * 60 + 45
    person = rota["person"]
    assert aish.start_location == (float(person.latitude), float(person.longitude))
    ben = next(w for w in problem.workers if w.id == str(rota["workers"]["ben"].pk))
    assert ben.shifts[0][0] == 9 * 60 + 15


def test_sickness_cannot_be_recorded_for_a_day_that_is_over(rota):
    from django.core.exceptions import ValidationError

    yesterday = rota["today"].toordinal() - 1
    from datetime import date

    day = date.fromordinal(yesterday)
    with pytest.raises(ValidationError, match="That day is over"):
        services.worker_mark_sick(
            by=rota["coordinator"],
            worker=rota["workers"]["ben"],
            starts_at=services.rota_day.to_aware(day, 0),
            ends_at=services.rota_day.to_aware(day, 24 * 60),
        )
