"""Between the database and the demo rota: plain rows in, assignments saved."""

from __future__ import annotations

from django.utils import timezone

from homecare.domain.patterns import LONDON
from homecare.packages.models import VisitAssignment

from . import bulk, rota
from .places import distance_km

#: How many nearby workers count as a person's regular team.
REGULARS = 3


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


def regular_workers(people, workers: list[rota.RotaWorker]) -> dict:
    """Each person's regular team: the nearest few workers of their provider who suit them."""
    by_provider: dict = {}
    for worker in workers:
        by_provider.setdefault(worker.provider_id, []).append(worker)
    out = {}
    for plan in people:
        if plan.package.status != "active":
            continue
        person = plan.individual
        lat, lon = float(person.latitude), float(person.longitude)
        pref = person.preferred_worker_gender
        team = [
            w
            for w in by_provider.get(plan.package.organisation_id, [])
            if pref == "none" or w.gender == pref
        ]
        team.sort(key=lambda w: (distance_km(lat, lon, w.latitude, w.longitude), str(w.id)))
        out[person.id] = tuple(w.id for w in team[:REGULARS])
    return out


def visit_for_rota(visit_id, plan, entry, occ, *, skills, regulars, today) -> rota.RotaVisit:
    local = timezone.localtime(occ.start, LONDON)
    person = plan.individual
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
        regulars=regulars.get(person.id, ()),
    )


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
