"""What really happened, as plain records: the one place billing reads deliveries.

Every invoice, council check, block gauge and capacity update reads visits
through :func:`deliveries` and hospital holds through :func:`hospital_holds`,
never through ``Visit.objects`` directly. Today a visit's record is the
``packages.Visit`` row: ``completed`` means delivered, and the planned times
stand for the actual ones. Electronic call monitoring (the ``visits`` app)
plugs its check-in and check-out times in with :func:`register_actuals`; the
journey app plugs hospital admissions in with :func:`register_hospital_holds`
and the visits an admission cancelled but are still paid with
:func:`register_held_visits` (LAN-HC-6.1).

A completed visit whose actuals have a check-in and no check-out comes back
with ``actual_end=None``: the pricing engine refuses it ("no check-out").
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

from django.db.models import Q

from homecare.domain.pricing import DeliveredVisit, HospitalAdmission
from homecare.packages.models import Visit

#: Rows fetched from the database at a time while streaming.
CHUNK = 5000
_LONDON = ZoneInfo("Europe/London")
#: A visit's kind (``packages``) as the pricing engine prices it: a day block by
#: the hour, a night (overnight block, waking night, sleep-in) in night sessions.
PRICING_KIND = {
    "visit": "visit",
    "day_block": "block",
    "overnight_block": "night",
    "waking_night": "night",
    "sleep_in": "night",
}


@dataclass(frozen=True, slots=True)
class DeliveryRecord:
    """One visit as billing sees it."""

    visit_id: str
    package_id: str
    person_id: str
    date: date
    planned_start: datetime
    planned_end: datetime
    actual_start: datetime | None
    actual_end: datetime | None
    workers: int
    kind: str
    status: str
    hospital_hold: bool = False

    @property
    def delivered(self) -> bool:
        return self.status == Visit.Status.COMPLETED

    def for_pricing(self, *, planned: bool = False) -> DeliveredVisit:
        """The pricing engine's record; ``planned=True`` prices what was
        commissioned (the council's own computation), not what was delivered."""
        start = self.planned_start if planned else self.actual_start
        end = self.planned_end if planned else self.actual_end
        local_start = self.planned_start.astimezone(_LONDON)
        return DeliveredVisit(
            visit_id=self.visit_id,
            package_id=self.package_id,
            person_id=self.person_id,
            local_date=self.date,
            start_minute=local_start.hour * 60 + local_start.minute,
            planned_minutes=_minutes(self.planned_end - self.planned_start),
            actual_minutes=_minutes(end - start) if start and end else None,
            workers=self.workers,
            kind=PRICING_KIND.get(self.kind, self.kind),
            planned_start=self.planned_start,
            hospital_hold=self.hospital_hold,
        )


def _minutes(delta) -> int:
    seconds = delta.total_seconds()
    return int(seconds // 60) if seconds >= 0 else -int(-seconds // 60)


#: visit ids -> {visit id: (actual start, actual end or None)}
ActualsSource = Callable[[list[str]], dict[str, tuple[datetime, datetime | None]]]
#: (contract id, first day, last day) -> hospital admissions in or overlapping the span
HoldsSource = Callable[[str, date, date], Iterable[HospitalAdmission]]
#: (contract id, first day, last day) -> ids of visits a hospital admission
#: cancelled that are still paid (LAN-HC-6.1)
HeldSource = Callable[[str, date, date], set[str]]
_ACTUALS: list[ActualsSource] = []
_HOLDS: list[HoldsSource] = []
_HELD: list[HeldSource] = []


def register_actuals(source: ActualsSource) -> ActualsSource:
    """Check-in and check-out times from call monitoring, overriding the planned
    times of the visits it knows. Returns ``source`` (usable as a decorator)."""
    if source not in _ACTUALS:
        _ACTUALS.append(source)
    return source


def unregister_actuals(source: ActualsSource) -> None:
    if source in _ACTUALS:
        _ACTUALS.remove(source)


def register_hospital_holds(source: HoldsSource) -> HoldsSource:
    if source not in _HOLDS:
        _HOLDS.append(source)
    return source


def unregister_hospital_holds(source: HoldsSource) -> None:
    if source in _HOLDS:
        _HOLDS.remove(source)


def register_held_visits(source: HeldSource) -> HeldSource:
    """Visits cancelled by a hospital admission that are still paid: they are
    priced as held (on their planned minutes) for the contract's period."""
    if source not in _HELD:
        _HELD.append(source)
    return source


def unregister_held_visits(source: HeldSource) -> None:
    if source in _HELD:
        _HELD.remove(source)


_FIELDS = (
    "id",
    "package_id",
    "individual_id",
    "date",
    "planned_start",
    "planned_end",
    "workers_required",
    "kind",
    "status",
)


def _visits(contract_id, first: date, last: date, statuses, package_ids=None, held=()):
    wanted = Q(status__in=statuses)
    if held:
        wanted |= Q(status=Visit.Status.CANCELLED, pk__in=list(held))
    qs = Visit.objects.filter(
        wanted,
        archived_at__isnull=True,
        package__contract_id=contract_id,
        date__gte=first,
        date__lte=last,
    )
    if package_ids is not None:
        qs = qs.filter(package_id__in=package_ids)
    return qs.order_by("date", "planned_start", "id").values_list(*_FIELDS)


def deliveries(
    *, contract_id, first: date, last: date, planned: bool = False, package_ids=None
) -> Iterator[DeliveryRecord]:
    """Visits of a contract's packages dated ``first``..``last`` (inclusive), in
    date order, streamed. By default the delivered (completed) ones; with
    ``planned=True`` every visit not cancelled (what the council commissioned)."""
    statuses = (
        [Visit.Status.PLANNED, Visit.Status.COMPLETED, Visit.Status.MISSED]
        if planned
        else [Visit.Status.COMPLETED]
    )
    held: set[str] = set()
    for source in _HELD:
        held |= source(str(contract_id), first, last)
    rows = _visits(contract_id, first, last, statuses, package_ids, held).iterator(chunk_size=CHUNK)
    batch: list[tuple] = []
    for row in rows:
        batch.append(row)
        if len(batch) >= CHUNK:
            yield from _records(batch, planned, held)
            batch = []
    if batch:
        yield from _records(batch, planned, held)


def _records(rows: list[tuple], planned: bool, held=frozenset()) -> Iterator[DeliveryRecord]:
    actuals: dict = {}
    if _ACTUALS and not planned:
        ids = [str(r[0]) for r in rows]
        for source in _ACTUALS:
            actuals.update(source(ids))
    for vid, pkg, person, day, start, end, workers, kind, status in rows:
        vid = str(vid)
        if vid in actuals:
            a_start, a_end = actuals[vid]
        elif status == Visit.Status.COMPLETED:
            a_start, a_end = start, end
        else:
            a_start = a_end = None
        yield DeliveryRecord(
            visit_id=vid,
            package_id=str(pkg),
            person_id=str(person),
            date=day,
            planned_start=start,
            planned_end=end,
            actual_start=a_start,
            actual_end=a_end,
            workers=workers,
            kind=kind,
            status=status,
            hospital_hold=status == Visit.Status.CANCELLED and vid in held,
        )


def hospital_holds(*, contract_id, first: date, last: date) -> list[HospitalAdmission]:
    """Hospital admissions of the contract's people overlapping the span
    (LAN-HC-6.1: the package is paid for 72 hours from admission). None until
    the journey app registers its source."""
    found: list[HospitalAdmission] = []
    for source in _HOLDS:
        found.extend(source(str(contract_id), first, last))
    return found
