"""One provider's day read from the database as plain rows, ready for the optimizer.

Times are minutes after local (Europe/London) midnight of the day, so the
optimizer sees integers; :func:`to_aware` turns them back into UTC instants.
The queries here are a fixed handful whatever the size of the day.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from functools import cached_property

from django.db.models import Q

from homecare.core.selectors import day_bounds
from homecare.domain.patterns import LONDON
from homecare.packages.models import PatternEntry, Visit, VisitAssignment
from homecare.workforce.models import Availability, CareWorker

from .models import PinnedVisit, WorkerAbsence

#: How far back a person's visits count towards their usual workers.
HISTORY_WEEKS = 4
#: A rest break in any shift longer than six hours (Working Time Regulations 1998,
#: reg. 12: at least 20 minutes), placed in the middle of the shift.
BREAK_AFTER_MINUTES = 6 * 60
BREAK_MINUTES = 20


@dataclass
class DayVisit:
    id: str
    individual_id: str
    person: str
    package_id: str
    start: int  # ordered start (the pattern's time), minutes after local midnight
    window: int  # minutes either side of the ordered start
    minutes: int
    workers_required: int
    skills: frozenset[str]
    preferred_gender: str  # "none", "female", "male"
    latitude: float
    longitude: float
    postcode: str
    workers: tuple[str, ...] = ()  # as rostered now
    pinned: bool = False
    team_limit: int = 4
    usual: tuple[str, ...] = ()  # the person's usual workers, most visits first
    status: str = "planned"
    planned: int | None = None  # the rostered start, inside the window

    def __post_init__(self):
        if self.planned is None:
            self.planned = self.start


@dataclass
class DayWorker:
    id: str
    name: str
    gender: str
    skills: frozenset[str]
    latitude: float
    longitude: float
    drives: bool
    shifts: list[tuple[int, int]] = field(default_factory=list)
    #: Minutes left this week under the weekly contract after earlier days (None: no cap).
    cap_minutes: int | None = None
    absent: list[tuple[int, int]] = field(default_factory=list)
    breaks: list[tuple[int, int]] = field(default_factory=list)


def breaks_for(shifts) -> list[tuple[int, int]]:
    """A break in the middle (on the half hour) of each shift longer than six hours."""
    out = []
    for a, b in shifts:
        if b - a > BREAK_AFTER_MINUTES:
            mid = (a + b) // 2 // 30 * 30
            out.append((mid, mid + BREAK_MINUTES))
    return out


@dataclass
class Day:
    provider_id: str
    date: date
    visits: list[DayVisit]
    workers: list[DayWorker]
    team_target: int
    team_max: int

    @cached_property
    def visit(self) -> dict[str, DayVisit]:
        return {v.id: v for v in self.visits}

    @cached_property
    def worker(self) -> dict[str, DayWorker]:
        return {w.id: w for w in self.workers}

    def current(self) -> dict[str, tuple[str, ...]]:
        return {v.id: v.workers for v in self.visits if v.workers}


def minute_of(day: date, instant: datetime) -> int:
    local = instant.astimezone(LONDON)
    midnight = datetime.combine(day, time(0), tzinfo=LONDON)
    return round((local - midnight).total_seconds() / 60)


def to_aware(day: date, minute: int) -> datetime:
    """The UTC instant ``minute`` minutes of wall-clock time after local midnight."""
    from datetime import UTC

    return (datetime.combine(day, time(0), tzinfo=LONDON) + timedelta(minutes=minute)).astimezone(
        UTC
    )


def _clock(t: time) -> int:
    return 1440 if t == time(23, 59) else t.hour * 60 + t.minute


def load_day(provider, day: date) -> Day:
    """``provider``'s planned visits on ``day`` and the workers who may do them."""
    start, end = day_bounds(day)
    contract_rules = _contract_rules(provider)
    visits_qs = (
        Visit.objects.filter(
            organisation=provider,
            archived_at__isnull=True,
            date=day,
            kind="visit",
        )
        .exclude(status=Visit.Status.CANCELLED)
        .order_by("planned_start", "pk")
    )
    rows = list(
        visits_qs.values(
            "pk",
            "individual_id",
            "individual__given_name",
            "individual__family_name",
            "individual__preferred_worker_gender",
            "individual__latitude",
            "individual__longitude",
            "individual__postcode",
            "package_id",
            "planned_start",
            "window_minutes",
            "duration_minutes",
            "workers_required",
            "status",
            "pattern_entry_id",
            "pattern_entry__kind",
            "pattern_entry__start_time",
        )
    )
    ids = [v["pk"] for v in rows]
    skills = defaultdict(set)
    for entry_id, code in PatternEntry.skills.through.objects.filter(
        patternentry__visits__in=ids
    ).values_list("patternentry_id", "skill__code"):
        skills[entry_id].add(code)
    assigned = defaultdict(list)
    for visit_id, worker_id in VisitAssignment.objects.filter(visit_id__in=ids).values_list(
        "visit_id", "worker_id"
    ):
        assigned[visit_id].append(str(worker_id))
    pinned = set(
        PinnedVisit.objects.filter(visit_id__in=ids, archived_at__isnull=True).values_list(
            "visit_id", flat=True
        )
    )
    people = {v["individual_id"] for v in rows}
    usual = _usual_workers(provider, people, day)
    high_hours = set(
        PatternEntry.objects.filter(
            package__in={v["package_id"] for v in rows}, archived_at__isnull=True
        )
        .filter(Q(workers_required__gt=1) | ~Q(kind="visit"))
        .values_list("package_id", flat=True)
    )
    target, most = contract_rules
    visits = []
    for v in rows:
        planned = minute_of(day, v["planned_start"])
        ordered = v["pattern_entry__start_time"]
        if ordered is not None and v["pattern_entry__kind"] == "visit":
            ordered = ordered.hour * 60 + ordered.minute
        else:  # a one-off visit: its own time is the ordered time
            ordered = planned
        visits.append(
            DayVisit(
                id=str(v["pk"]),
                individual_id=str(v["individual_id"]),
                person=f"{v['individual__given_name']} {v['individual__family_name']}",
                package_id=str(v["package_id"]),
                start=ordered,
                planned=planned,
                window=v["window_minutes"],
                minutes=v["duration_minutes"],
                workers_required=v["workers_required"],
                skills=frozenset(skills.get(v["pattern_entry_id"], ())),
                preferred_gender=v["individual__preferred_worker_gender"],
                latitude=float(v["individual__latitude"]),
                longitude=float(v["individual__longitude"]),
                postcode=v["individual__postcode"],
                workers=tuple(sorted(assigned.get(v["pk"], ()))),
                pinned=v["pk"] in pinned,
                team_limit=most if v["package_id"] in high_hours else target,
                usual=usual.get(v["individual_id"], ()),
                status=v["status"],
            )
        )
    return Day(
        provider_id=str(provider.pk),
        date=day,
        visits=visits,
        workers=_workers(provider, day, start, end),
        team_target=target,
        team_max=most,
    )


def _contract_rules(provider) -> tuple[int, int]:
    """KENT-8.1: the trusted team's size, from the provider's contracts (the strictest)."""
    from homecare.organisations.models import Contract

    targets, maxima = [], []
    for contract in Contract.objects.filter(provider=provider, archived_at__isnull=True):
        rules = contract.rules()
        targets.append(rules.value("continuity.team_target"))
        maxima.append(rules.value("continuity.team_max"))
    if not targets:
        from homecare.domain.rulebook import load_rulebook

        rules = load_rulebook("kent")
        return rules.value("continuity.team_target"), rules.value("continuity.team_max")
    return min(targets), min(maxima)


def _usual_workers(provider, people: set, day: date) -> dict:
    """Each person's usual workers: who visited (or is rostered to visit) them in the
    last few weeks and the week ahead, most visits first; the day itself is left out."""
    counts: dict = defaultdict(Counter)
    rows = VisitAssignment.objects.filter(
        organisation=provider,
        visit__individual__in=people,
        visit__date__gte=day - timedelta(weeks=HISTORY_WEEKS),
        visit__date__lte=day + timedelta(days=6),
        visit__archived_at__isnull=True,
    ).exclude(visit__date=day)
    for person, worker in rows.exclude(visit__status=Visit.Status.CANCELLED).values_list(
        "visit__individual_id", "worker_id"
    ):
        counts[person][str(worker)] += 1
    return {
        person: tuple(w for w, _ in sorted(c.items(), key=lambda kv: (-kv[1], kv[0])))
        for person, c in counts.items()
    }


def _workers(provider, day: date, start: datetime, end: datetime) -> list[DayWorker]:
    qs = CareWorker.objects.filter(organisation=provider, archived_at__isnull=True).filter(
        Q(left_on__isnull=True) | Q(left_on__gt=day)
    )
    workers = list(qs.filter(started_on__lte=day).order_by("family_name", "given_name", "pk"))
    ids = [w.pk for w in workers]
    skills = defaultdict(set)
    for worker_id, code in CareWorker.skills.through.objects.filter(
        careworker_id__in=ids
    ).values_list("careworker_id", "skill__code"):
        skills[worker_id].add(code)
    shifts = defaultdict(list)
    for a in Availability.objects.filter(
        worker_id__in=ids, weekday=day.weekday(), archived_at__isnull=True
    ):
        shifts[a.worker_id].append((_clock(a.start_time), _clock(a.end_time)))
    week_start = day - timedelta(days=day.weekday())
    week_minutes = Counter()
    for worker_id, minutes in (
        VisitAssignment.objects.filter(
            worker_id__in=ids,
            visit__date__gte=week_start,
            visit__date__lt=day,
            visit__archived_at__isnull=True,
        )
        .exclude(visit__status=Visit.Status.CANCELLED)
        .values_list("worker_id", "visit__duration_minutes")
    ):
        week_minutes[worker_id] += minutes
    absent = defaultdict(list)
    for worker_id, a, b in WorkerAbsence.objects.filter(
        worker_id__in=ids, archived_at__isnull=True, starts_at__lt=end, ends_at__gt=start
    ).values_list("worker_id", "starts_at", "ends_at"):
        absent[worker_id].append((max(0, minute_of(day, a)), min(24 * 60, minute_of(day, b))))
    out = []
    for w in workers:
        cap = None
        if w.contracted_minutes:
            cap = max(0, w.contracted_minutes - week_minutes[w.pk])
        out.append(
            DayWorker(
                id=str(w.pk),
                name=f"{w.given_name} {w.family_name}",
                gender=w.gender,
                skills=frozenset(skills.get(w.pk, ())),
                latitude=float(w.latitude),
                longitude=float(w.longitude),
                drives=w.drives,
                shifts=sorted(shifts.get(w.pk, ())),
                cap_minutes=cap,
                absent=sorted(absent.get(w.pk, ())),
                breaks=breaks_for(sorted(shifts.get(w.pk, ()))),
            )
        )
    return out
