"""Optimise tomorrow, repair today: runs in the background, accepted once or discarded (issue 5)."""

import pytest
from django.core.exceptions import ValidationError

from homecare.packages.models import VisitAssignment
from homecare.rostering import rules, services
from homecare.rostering.day import load_day
from homecare.rostering.models import RotaRun


@pytest.fixture(autouse=True)
def quick(settings):
    settings.HOMECARE_ROTA_SECONDS = {"optimise": 1.0, "repair": 1.0}


def _optimise(rota, django_capture_on_commit_callbacks, kind="optimise", day=None):
    with django_capture_on_commit_callbacks(execute=True):
        run = services.rota_run_request(
            by=rota["coordinator"],
            provider=rota["provider"],
            day=day or rota["tomorrow"],
            kind=kind,
        )
    run.refresh_from_db()
    return run


def test_optimise_proposes_a_complete_valid_rota_with_before_and_after(
    rota, django_capture_on_commit_callbacks
):
    """KENT-3.3.7: the double-handed visit gets two workers who start together."""
    run = _optimise(rota, django_capture_on_commit_callbacks)
    assert run.status == RotaRun.Status.DONE, run.error or run.report
    assert run.progress == 100
    assert run.before["unassigned"] == 5  # only Margaret's visit had a worker
    assert run.after["unassigned"] == 0
    assert run.after["conflicts"] == 0
    iris = rota["visits"]["iris1100"]
    assert len(run.proposal[str(iris.pk)]["workers"]) == 2
    # nothing is written until the coordinator accepts
    assert VisitAssignment.objects.filter(visit=iris).count() == 0


def test_accepting_writes_the_rota_once(rota, django_capture_on_commit_callbacks):
    run = _optimise(rota, django_capture_on_commit_callbacks)
    changed = services.rota_accept(by=rota["coordinator"], run=run)
    assert changed >= 5
    day = load_day(rota["provider"], rota["tomorrow"])
    assert rules.conflicts(day, day.current()) == {}
    harold = rota["visits"]["harold1000"]
    assert VisitAssignment.objects.get(visit=harold).worker.gender == "female"
    with pytest.raises(ValidationError, match="already been decided"):
        services.rota_accept(by=rota["coordinator"], run=run)
    run.refresh_from_db()
    assert run.status == RotaRun.Status.ACCEPTED and run.decided_by == rota["coordinator"]


def test_discarding_changes_nothing(rota, django_capture_on_commit_callbacks):
    run = _optimise(rota, django_capture_on_commit_callbacks)
    before = set(VisitAssignment.objects.values_list("visit_id", "worker_id"))
    services.rota_discard(by=rota["coordinator"], run=run)
    assert set(VisitAssignment.objects.values_list("visit_id", "worker_id")) == before
    with pytest.raises(ValidationError):
        services.rota_accept(by=rota["coordinator"], run=run)


def test_a_hand_change_made_while_the_run_ran_stands(rota, django_capture_on_commit_callbacks):
    run = _optimise(rota, django_capture_on_commit_callbacks)
    jack = rota["visits"]["jack1200"]
    services.rota_visit_move(by=rota["coordinator"], visit=jack, workers=[rota["workers"]["ben"]])
    services.rota_accept(by=rota["coordinator"], run=run)
    assert list(VisitAssignment.objects.filter(visit=jack).values_list("worker", flat=True)) == [
        rota["workers"]["ben"].pk
    ]


def test_a_second_run_waits_for_the_first(rota):
    services.rota_run_request(
        by=rota["coordinator"], provider=rota["provider"], day=rota["tomorrow"], kind="optimise"
    )
    with pytest.raises(ValidationError, match="already under way"):
        services.rota_run_request(
            by=rota["coordinator"], provider=rota["provider"], day=rota["tomorrow"], kind="repair"
        )


def test_another_provider_cannot_run_this_rota(rota):
    with pytest.raises(ValidationError):
        services.rota_run_request(
            by=rota["outsider"], provider=rota["provider"], day=rota["tomorrow"], kind="optimise"
        )


def test_sick_worker_then_repair_moves_only_their_visits(rota, django_capture_on_commit_callbacks):
    """A repair covers the sick worker's visits and leaves everyone else's as they were."""
    run = _optimise(rota, django_capture_on_commit_callbacks)
    services.rota_accept(by=rota["coordinator"], run=run)
    before = {}
    for visit_id, worker_id in VisitAssignment.objects.values_list("visit_id", "worker_id"):
        before.setdefault(str(visit_id), set()).add(str(worker_id))
    busiest = max(
        rota["workers"].values(),
        key=lambda w: VisitAssignment.objects.filter(
            worker=w, visit__date=rota["tomorrow"]
        ).count(),
    )
    start = services.rota_day.to_aware(rota["tomorrow"], 0)
    services.worker_mark_sick(
        by=rota["coordinator"],
        worker=busiest,
        starts_at=start,
        ends_at=services.rota_day.to_aware(rota["tomorrow"], 24 * 60),
    )
    repair = _optimise(rota, django_capture_on_commit_callbacks, kind="repair")
    assert repair.status == RotaRun.Status.DONE, repair.error or repair.report
    for visit_id, row in repair.proposal.items():
        if str(busiest.pk) in row["was"]:
            assert str(busiest.pk) not in row["workers"]
        elif row["was"]:
            assert set(row["workers"]) == before[visit_id], visit_id
    services.rota_accept(by=rota["coordinator"], run=repair)
    assert not VisitAssignment.objects.filter(worker=busiest, visit__date=rota["tomorrow"]).exists()


def test_a_proposal_says_when_care_changed_under_it(
    rota, django_capture_on_commit_callbacks, login
):
    """A hospital stay or a change to care moves visits of a day with a proposal
    waiting: the proposal says so before it is accepted, and accepting still
    leaves the rota valid."""
    from django.urls import reverse

    from homecare.journey.models import HospitalStay
    from homecare.journey.signals import visits_moved

    run = _optimise(rota, django_capture_on_commit_callbacks)
    harold = rota["visits"]["harold1000"]
    visits_moved.send(sender=HospitalStay, stay=None, visit_ids=[str(harold.pk)])
    run.refresh_from_db()
    assert run.report["outdated_by"] == [str(harold.pk)]
    html = login(rota["coordinator"]).get(reverse("rostering:run", kwargs={"pk": run.pk}))
    assert "1 visit of this day changed since this proposal was made" in html.content.decode()
    services.rota_accept(by=rota["coordinator"], run=run)
    day = load_day(rota["provider"], rota["tomorrow"])
    assert rules.conflicts(day, day.current()) == {}
    # A decided proposal is not marked again.
    visits_moved.send(sender=HospitalStay, stay=None, visit_ids=[str(harold.pk)])
    assert services.rota_runs_outdate(visit_ids=[str(harold.pk)]) == 0
