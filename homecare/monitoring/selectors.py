"""Reads of call monitoring that are more than a filter: the live board's rows."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from django.db.models import Prefetch
from django.utils import timezone

from homecare.core import access
from homecare.domain import calls
from homecare.workforce.models import CareWorker

#: Board filters: value -> (label, states or None for a special rule).
FILTERS = {
    "": "Every call",
    "problems": "Late, missed or not delivered",
    "planned": "Planned",
    "due": "Due",
    "in_progress": "In progress",
    "completed": "Completed",
    "late": "Late",
    "missed": "Missed",
    "cancelled": "Cancelled",
}
LABELS = {
    calls.PLANNED: "Planned",
    calls.DUE: "Due",
    calls.IN_PROGRESS: "In progress",
    calls.COMPLETED: "Completed",
    calls.LATE: "Late",
    calls.MISSED: "Missed",
    calls.CANCELLED: "Cancelled",
}
FLAG_LABELS = {
    "early": "started early",
    "late_start": "started late",
    "short": "short",
    "waiting_for_partner": "waiting for partner",
    "started_after_missed": "started after 2 h",
    "reassigned": "reassigned",
    "called_ahead": "called ahead",
}


@dataclass
class BoardRow:
    visit: object
    watch: object | None
    state: str
    person: str
    workers: list[str]
    worker_ids: list
    flags: list[str] = field(default_factory=list)

    @property
    def label(self) -> str:
        if self.watch is not None and self.watch.outcome in ("void", "no_response"):
            return f"Missed · {self.watch.get_outcome_display().lower()}"
        return LABELS[self.state]

    @property
    def flag_text(self) -> list[str]:
        return flag_labels(self.flags)

    @property
    def red(self) -> bool:
        return self.state in (calls.LATE, calls.MISSED)

    @property
    def may_act(self) -> bool:
        """Due or late and nobody in yet: reassign, call ahead, record no response."""
        return self.watch is not None and self.state in (calls.DUE, calls.LATE)

    @property
    def problem(self) -> bool:
        return self.red or "no_checkout" in self.flags


def board_rows(user, *, day: date, now: datetime, state: str = "", q: str = "") -> list[BoardRow]:
    """Every visit of ``day`` the user's office runs, with its call state.

    Three queries whatever the number of visits: the visits with their person,
    watch and contract; their workers; nothing else (rules are cached).
    """
    visits = (
        access.visits_for(user)
        .filter(date=day)
        .select_related("individual", "call_watch", "package__contract")
        .prefetch_related(Prefetch("workers", queryset=CareWorker.objects.order_by("given_name")))
        .order_by("planned_start", "pk")
    )
    if q:
        visits = visits.filter(individual__family_name__icontains=q)
    rules_of: dict = {}
    rows = []
    for visit in visits:
        watch = getattr(visit, "call_watch", None)
        if watch is not None:
            current = watch.state
        elif visit.status == "cancelled":
            current = calls.CANCELLED
        elif visit.status == "completed":
            current = calls.COMPLETED
        else:  # not watched yet: what the clock says, as the monitor will
            contract = visit.package.contract
            if contract.pk not in rules_of:
                rules_of[contract.pk] = calls.CallRules.from_rulebook(contract.rules())
            current = calls.waiting_state(visit.planned_start, now, rules_of[contract.pk])
        flags = list(watch.flags) if watch is not None else []
        if watch is not None and watch.no_checkout_at:
            flags.append("no_checkout")
        workers = list(visit.workers.all())
        person = visit.individual
        rows.append(
            BoardRow(
                visit=visit,
                watch=watch,
                state=current,
                person=f"{person.family_name}, {person.given_name}",
                workers=[f"{w.given_name} {w.family_name}" for w in workers],
                worker_ids=[w.pk for w in workers],
                flags=flags,
            )
        )
    if state == "problems":
        rows = [r for r in rows if r.problem]
    elif state in LABELS:
        rows = [r for r in rows if r.state == state]
    return rows


def flag_labels(flags: list[str]) -> list[str]:
    return [FLAG_LABELS.get(f, "no check-out" if f == "no_checkout" else f) for f in flags]


def local_day(raw: str | None) -> tuple[date, str]:
    """The board's day from ``?date=YYYY-MM-DD`` (today when absent), and an error."""
    today = timezone.localdate()
    if not raw:
        return today, ""
    try:
        return date.fromisoformat(raw), ""
    except ValueError:
        return today, f"“{raw}” is not a date (use YYYY-MM-DD): showing today."


def family_state(watch, visit) -> str:
    """A plain phrase for the family: no 'late' codes, what is happening."""
    if watch is None:
        return "Completed" if visit.status == "completed" else ""
    if watch.state == calls.IN_PROGRESS:
        return "With you now"
    if watch.state == calls.COMPLETED:
        return "Visit done"
    if watch.state == calls.LATE:
        return "Running late: the office knows"
    if watch.state == calls.MISSED:
        return "Did not happen: the office knows"
    if watch.state == calls.DUE and "waiting_for_partner" in watch.flags:
        return "One carer is here, waiting for the second"
    if watch.state == calls.DUE:
        return "Due now"
    return ""


def shared_notes(user, *, since):
    """Visit notes the person agreed to share (KENT-3.9.1), newest first."""
    from homecare.visits.models import VisitNote

    return (
        VisitNote.objects.filter(
            archived_at__isnull=True,
            shared_with_person=True,
            individual__in=access.individuals_for(user).values("pk"),
            recorded_at__date__gte=since,
        )
        .select_related("worker")
        .order_by("-recorded_at")[:50]
    )
