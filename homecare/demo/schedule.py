"""The demo's visits: four weeks of them from the weekly patterns, written fast.

Exactly what ``packages.services.visits_regenerate`` makes of the same
patterns (``homecare.domain.patterns.occurrences``, UTC instants, real-time
durations across the clock changes; the tests check that running the service
afterwards finds nothing to create, move or cancel), written with the fast
inserter: through the ORM, county scale takes minutes. Visits start from the
beginning of today rather than from now, so that today's rota is whole.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import time, timedelta

from django.conf import settings

from homecare.domain.patterns import VISITING, PatternLine, VisitKind, local_to_utc, occurrences
from homecare.packages.models import Visit

from . import bulk
from .needs import Line

REASON = "Generated from the weekly pattern"
#: Days rostered ahead (today and the week after it), as a provider publishes its rota.
ROTA_DAYS = 8
_COLUMNS = (
    "id",
    "organisation_id",
    "package_id",
    "individual_id",
    "pattern_entry_id",
    "date",
    "kind",
    "planned_start",
    "planned_end",
    "duration_minutes",
    "window_minutes",
    "workers_required",
    "tasks",
)


@dataclass(slots=True)
class Entry:
    """A saved pattern entry, as the builder remembers it."""

    id: object
    line: Line
    tasks: list[str]


def write_visits(people, entries: dict, *, ids, today) -> tuple[int, list]:
    """Write the visits of every active package; returns how many, and those of
    the ``ROTA_DAYS`` from today as (visit id, person plan, entry, occurrence) for
    the rota."""
    midnight = local_to_utc(today, time(0))
    last = today + timedelta(days=settings.HOMECARE_VISIT_HORIZON_DAYS)
    rota_end = today + timedelta(days=ROTA_DAYS - 1)
    near = []
    dates: dict = {}  # many lines share a weekday and time: work out their dates once
    with bulk.Inserter(Visit, columns=_COLUMNS, reason=REASON) as table:
        for plan in people:
            package = plan.package
            if package.status not in VISITING:
                continue
            first = max(today, package.start_date, package.status_effective_on)
            end = min(last, package.end_date) if package.end_date else last
            for entry in entries[package.id]:
                line = entry.line
                key = (line.weekday, line.kind, line.start_time, line.end_time,
                       line.duration_minutes, first, end)  # fmt: skip
                if key not in dates:
                    dates[key] = [
                        occ for occ in occurrences([_line(line)], first, end)
                        if occ.start > midnight
                    ]  # fmt: skip
                for occ in dates[key]:
                    visit_id = ids()
                    table.add_row((
                        visit_id, package.organisation_id, package.id, package.individual_id,
                        entry.id, occ.date, line.kind, occ.start, occ.end, occ.minutes,
                        line.window_minutes, line.workers_required, entry.tasks,
                    ))  # fmt: skip
                    if occ.date <= rota_end:
                        near.append((visit_id, plan, entry, occ))
    return table.count, near


def _line(line: Line) -> PatternLine:
    return PatternLine(
        key=None,
        weekday=line.weekday,
        start_time=line.start_time,
        duration_minutes=line.duration_minutes,
        kind=VisitKind(line.kind),
        end_time=line.end_time,
        workers_required=line.workers_required,
        window_minutes=line.window_minutes,
        tasks=line.tasks,
    )
