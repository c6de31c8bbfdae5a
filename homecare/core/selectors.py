"""Reads for the home pages: counts and short lists, a fixed number of queries each."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db.models import Count, F, Q, Sum

from homecare.domain.patterns import LONDON, local_to_utc
from homecare.packages.models import Visit, VisitAssignment

from . import access


def day_bounds(day: date) -> tuple[datetime, datetime]:
    """The UTC instants of local midnight at the start and end of ``day``."""
    return local_to_utc(day, time(0)), local_to_utc(day + timedelta(days=1), time(0))


def visits_between(user, start: datetime, end: datetime):
    """The user's visits starting in [start, end), not cancelled, in time order."""
    return (
        access.visits_for(user)
        .filter(planned_start__gte=start, planned_start__lt=end)
        .exclude(status=Visit.Status.CANCELLED)
        .order_by("planned_start", "pk")
    )


@dataclass(frozen=True)
class VisitRow:
    """One visit as a list shows it: formatted once, in Python, not per template tag."""

    times: str
    person_id: object
    person: str
    address: str
    length: str
    workers: str
    tasks: str


def visit_days(visits, *, full_names: bool) -> list[tuple[date, list[VisitRow]]]:
    """``visits`` grouped by their local date, ready to show: two queries however
    many visits (the visits with their person, then who is on each).

    ``full_names``: staff see workers' full names; family see first names only.
    """
    rows = list(
        visits.values_list(
            "pk",
            "date",
            "planned_start",
            "planned_end",
            "duration_minutes",
            "workers_required",
            "tasks",
            "individual_id",
            "individual__given_name",
            "individual__family_name",
            "individual__address_line_1",
            "individual__postcode",
        )
    )
    names: dict = {}
    for visit_id, given, family in VisitAssignment.objects.filter(
        visit_id__in=[r[0] for r in rows]
    ).values_list("visit_id", "worker__given_name", "worker__family_name"):
        names.setdefault(visit_id, []).append(f"{given} {family}" if full_names else given)
    days: dict[date, list[VisitRow]] = {}
    for (
        pk,
        day,
        start,
        end,
        minutes,
        workers,
        tasks,
        person_id,
        given,
        family,
        line1,
        postcode,
    ) in rows:
        length = f"{minutes} min" + (" · double-handed" if workers == 2 else "")
        days.setdefault(day, []).append(
            VisitRow(
                times=f"{start.astimezone(LONDON):%H:%M}–{end.astimezone(LONDON):%H:%M}",
                person_id=person_id,
                person=f"{given} {family}",
                address=f"{line1}, {postcode}",
                length=length,
                workers=", ".join(sorted(names.get(pk, []))),
                tasks=", ".join(tasks or []),
            )
        )
    return list(days.items())


def provider_summary(user, today: date) -> dict:
    start, end = day_bounds(today)
    _, tomorrow_end = day_bounds(today + timedelta(days=1))
    visits = access.visits_for(user).exclude(status=Visit.Status.CANCELLED)
    counts = visits.aggregate(
        today_count=Count("pk", filter=Q(planned_start__gte=start, planned_start__lt=end)),
        tomorrow_count=Count(
            "pk", filter=Q(planned_start__gte=end, planned_start__lt=tomorrow_end)
        ),
    )
    unassigned = (
        visits.filter(planned_start__gte=start, planned_start__lt=tomorrow_end)
        .annotate(n=Count("assignments"))
        .filter(n__lt=F("workers_required"))
    )
    return {
        **counts,
        "packages": access.packages_for(user).filter(status="active").count(),
        "workers": access.workers_for(user).filter(left_on__isnull=True).count(),
        "unassigned_count": unassigned.count(),
        "unassigned": unassigned.select_related("individual").order_by("planned_start")[:15],
    }


def contracts_with_usage(user, today: date):
    """Each contract with the care minutes planned this week (Monday to Sunday) and,
    for block contracts, that as a share of the block's start level (LAN-ST-4.1)."""
    week_start = today - timedelta(days=today.weekday())
    start, _ = day_bounds(week_start)
    end, _ = day_bounds(week_start + timedelta(days=7))
    contracts = list(
        access.contracts_for(user)
        .select_related("provider")
        .annotate(
            active_packages=Count("packages", filter=Q(packages__status="active"), distinct=True)
        )
        .order_by("reference")
    )
    planned = dict(
        access.visits_for(user)
        .filter(planned_start__gte=start, planned_start__lt=end)
        .exclude(status=Visit.Status.CANCELLED)
        .values("package__contract_id")
        .annotate(minutes=Sum(F("duration_minutes") * F("workers_required")))
        .values_list("package__contract_id", "minutes")
    )
    for contract in contracts:
        contract.week_minutes = planned.get(contract.pk, 0)
        level = contract.block_minutes_start or contract.block_minutes_max
        contract.block_usage = round(100 * contract.week_minutes / level) if level else None
    return contracts, week_start
