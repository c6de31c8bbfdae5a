"""Between the database and the demo rota: plain rows in, assignments saved."""

from __future__ import annotations

from django.utils import timezone

from homecare.domain.patterns import LONDON
from homecare.packages.models import VisitAssignment

from . import bulk, rota, teams


def worker_for_rota(plan) -> rota.RotaWorker:
    w = plan.worker
    return rota.RotaWorker(
        id=w.id,
        provider_id=w.organisation_id,
        gender=w.gender,
        skills=frozenset(plan.skills),
        latitude=float(w.latitude),
        longitude=float(w.longitude),
        drives=w.drives,
        windows=plan.windows,
    )


def regular_workers(people, workers: list[rota.RotaWorker], *, rules: str) -> teams.Teams:
    """Each person's regular team (KENT-8.1 sizes from the world's rulebook): workers of
    their provider who suit them, live nearby and do their visits on a normal week."""
    from homecare.domain.rulebook import load_rulebook

    book = load_rulebook(rules)
    return teams.regular_teams(
        people,
        workers,
        target=book.value("continuity.team_target"),
        most=book.value("continuity.team_max"),
    )


def visit_for_rota(
    visit_id, plan, entry, occ, *, skills, regulars: teams.Teams, today
) -> rota.RotaVisit:
    local = timezone.localtime(occ.start, LONDON)
    person = plan.individual
    key = (person.id, entry.line.weekday, _minute(entry.line.start_time))
    return rota.RotaVisit(
        id=visit_id,
        provider_id=plan.package.organisation_id,
        individual_id=person.id,
        weekday=occ.date.weekday(),
        day_index=(occ.date - today).days,
        start=local.hour * 60 + local.minute,
        minutes=occ.minutes,
        workers_required=entry.line.workers_required,
        skills=skills,
        window=entry.line.window_minutes,
        latitude=float(person.latitude),
        longitude=float(person.longitude),
        preferred_gender=person.preferred_worker_gender,
        regulars=regulars.team.get(person.id, ()),
        planned=regulars.planned.get(key, ()),
        planned_start=regulars.starts.get(key),
    )


def _minute(t) -> int:
    return t.hour * 60 + t.minute


def save_rota(visits, workers, *, rng, leave_open: float) -> int:
    """Roster ``visits`` and save the assignments (with their history); returns how
    many visits have their workers."""
    provider_of = {v.id: v.provider_id for v in visits}
    pairs = rota.assign(visits, workers, rng=rng, leave_open=leave_open)
    columns = ("organisation_id", "visit_id", "worker_id")
    with bulk.Inserter(VisitAssignment, columns=columns, history=False) as table:
        for visit_id, worker_id in pairs:
            table.add_row((provider_of[visit_id], visit_id, worker_id))
    bulk.write_history(VisitAssignment.objects.all(), reason="Demo rota")
    return len({visit_id for visit_id, _ in pairs})


#: Days before this week whose visits (those not cancelled) carry the workers rostered
#: to them: two weeks, so that every weekday's regulars (one who comes on Tuesdays only
#: as well) are among the person's usual workers on any day of the rota week
#: (``rostering.day``), even after a visit of theirs was cancelled.
DELIVERED_DAYS = 14


def save_delivered(delivered, regulars: teams.Teams, worker_plans) -> int:
    """Who was rostered to the recent past weeks' visits: the workers the person's
    regular team plans for the visit on a normal week (``teams.Teams.planned``) when it
    plans all of them and they had started by then. ``delivered`` holds (visit id,
    package, pattern line, date). Returns how many assignments were saved (with their
    history)."""
    started = {w.worker.id: w.worker.started_on for w in worker_plans}
    columns = ("organisation_id", "visit_id", "worker_id")
    last = VisitAssignment.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    with (
        bulk.indexes_deferred(VisitAssignment),
        bulk.Inserter(VisitAssignment, columns=columns, history=False) as table,
    ):
        for visit_id, package, line, day in delivered:
            key = (package.individual_id, line.weekday, _minute(line.start_time))
            workers = regulars.planned.get(key, ())
            # All its workers or none (a part no member took was someone else's).
            if len(workers) == line.workers_required and all(started[w] <= day for w in workers):
                for worker_id in workers:
                    table.add_row((package.organisation_id, visit_id, worker_id))
        table.flush()
        if table.count:
            bulk.write_history(
                VisitAssignment.objects.filter(pk__gt=last), reason="Delivered (demo)"
            )
    return table.count


#: The demo provider's own tuning of its rota weights, as its manager would set it on
#: /rota/weights/: a stranger at a person with few visits weighs more (their share by
#: the trusted team, KENT-8.1, is what the county checks).
WEIGHTS = {"continuity_share": 2.0}


def tune_weights(builder) -> None:
    from homecare.accounts.models import User
    from homecare.rostering.services import rota_weights_set

    provider = builder.providers[builder.spec.largest.name]
    manager = User.objects.get(username="manager", organisation=provider)
    rota_weights_set(by=manager, provider=provider, values=WEIGHTS)
