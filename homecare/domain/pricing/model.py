"""The pricing engine's inputs and outputs: plain frozen dataclasses, no Django.

Times: ``local_date`` and ``start_minute`` (minutes after local midnight,
Europe/London) are what the rules read; aware datetimes are optional and only
used to derive them (:meth:`DeliveredVisit.from_times`). Durations are whole
minutes, money is ``Decimal`` (pounds) at the edge and whole pence inside.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import NamedTuple
from zoneinfo import ZoneInfo

LONDON = ZoneInfo("Europe/London")

#: Kinds of delivered care. A ``visit`` is priced in day units (or by the hour),
#: a ``night`` in sessional units, a ``block`` (LAN-ST-4.10) by the hour.
KINDS = ("visit", "night", "block")
#: Rate bands of a package (KENT-3.3.8: complex support has its own rate).
BANDS = ("standard", "complex")
#: How a package is paid beside the contract's model (ELOTH-3.6a/3.6b).
PACKAGE_MODELS = ("time_and_task", "personal_budget")


class PricingError(ValueError):
    """Broken data: nothing is priced. The message names what is wrong and where."""

    def __init__(self, message: str, *, ref: str = "") -> None:
        self.ref = ref
        super().__init__(message)


@dataclass(frozen=True, slots=True)
class Tariff:
    """A provider's contracted rates for a span of days (inclusive).

    ``valid_to=None`` means open-ended. Rates are pounds per hour
    (``hourly_rate``, ``complex_hourly_rate``) or per night session.
    """

    valid_from: date
    valid_to: date | None
    hourly_rate: Decimal
    night_session_rate: Decimal | None = None
    complex_hourly_rate: Decimal | None = None
    label: str = ""

    def covers(self, day: date) -> bool:
        return self.valid_from <= day and (self.valid_to is None or day <= self.valid_to)


@dataclass(frozen=True, slots=True)
class CommissionedHours:
    """What the council commissioned for one package (the SDO or FAN, KENT-3.7.4.2).

    ``weekly_minutes`` per Monday-Sunday week, from ``valid_from`` to
    ``valid_to`` (inclusive, ``None`` = open). ``band`` picks the rate
    (KENT-3.3.8); ``model`` is ``personal_budget`` for ELOTH-3.6b packages.
    """

    package_id: str
    person_id: str
    weekly_minutes: int
    valid_from: date
    valid_to: date | None = None
    band: str = "standard"
    model: str = "time_and_task"

    def covers(self, day: date) -> bool:
        return self.valid_from <= day and (self.valid_to is None or day <= self.valid_to)


@dataclass(frozen=True, slots=True)
class ApprovedException:
    """Council approval to deliver more than commissioned (KENT-3.7.4): extra minutes
    for one package in the period being priced."""

    package_id: str
    extra_minutes: int
    reference: str = ""


@dataclass(frozen=True, slots=True)
class DeliveredVisit:
    """One visit (or night, or block) that happened, or was cancelled for a hospital hold.

    ``actual_minutes=None`` means no check-out: a :class:`PricingError`.
    Flags: ``emergency_extra`` (KENT-8.4.7: the extra worker time added in an
    emergency; the person is not charged), ``initial_assessment`` (LAN-HC-3.10),
    ``travel_granted_minutes`` (extra travel the council granted, LAN-HC-4.3),
    ``hospital_hold`` (a visit cancelled because the person was admitted; paid
    while the package is held, LAN-HC-6.1; priced on its planned minutes).
    """

    visit_id: str
    package_id: str
    person_id: str
    local_date: date
    start_minute: int
    planned_minutes: int
    actual_minutes: int | None
    workers: int = 1
    kind: str = "visit"
    emergency_extra: bool = False
    initial_assessment: bool = False
    travel_granted_minutes: int = 0
    hospital_hold: bool = False
    planned_start: datetime | None = None

    @classmethod
    def from_times(
        cls,
        *,
        visit_id: str,
        package_id: str,
        person_id: str,
        planned_start: datetime,
        planned_end: datetime,
        actual_start: datetime | None,
        actual_end: datetime | None,
        **flags: object,
    ) -> DeliveredVisit:
        """Build from aware datetimes (the local date and minute come from the
        planned start in Europe/London). A naive datetime is a PricingError."""
        for name, value in (
            ("planned start", planned_start),
            ("planned end", planned_end),
            ("actual start", actual_start),
            ("actual end", actual_end),
        ):
            if value is not None and value.utcoffset() is None:
                raise PricingError(f"visit {visit_id}: {name} {value} has no time zone")
        local = planned_start.astimezone(LONDON)
        actual = None
        if actual_start is not None and actual_end is not None:
            actual = _minutes(actual_end - actual_start)
        return cls(
            visit_id=visit_id,
            package_id=package_id,
            person_id=person_id,
            local_date=local.date(),
            start_minute=local.hour * 60 + local.minute,
            planned_minutes=_minutes(planned_end - planned_start),
            actual_minutes=actual,
            planned_start=planned_start,
            **flags,
        )


def _minutes(delta) -> int:
    seconds = delta.total_seconds()
    return int(seconds // 60) if seconds >= 0 else -int(-seconds // 60)


@dataclass(frozen=True, slots=True)
class HospitalAdmission:
    """A person admitted to hospital (or temporary residential care), LAN-HC-6.1."""

    package_id: str
    admitted_at: datetime
    discharged_at: datetime | None = None


class InvoiceLine(NamedTuple):
    """One priced line. ``amount`` is exact pence (``amount_pence``) shown as pounds.

    ``quantity`` counts ``quantity_unit`` (``units``, ``hours``, ``sessions``,
    ``days``, ``quarter``); ``minutes`` is the care time the line stands for
    (all workers; negative on a line withholding care past the cap). ``refs``
    are the requirement IDs that priced it and ``explanation`` says how, in
    words a coordinator can check. ``charge_person=False`` marks care the
    person does not pay towards (KENT-8.4.7). ``package_id`` is
    ``block:<id>`` or ``scheme:<id>`` (with ``person_id`` empty) on a block
    contract's or extra care scheme's own lines. An immutable named tuple: a
    million are built in a few seconds.
    """

    visit_id: str | None
    package_id: str
    person_id: str
    date: date
    description: str
    quantity: Decimal
    quantity_unit: str
    minutes: int
    unit_price: Decimal
    amount_pence: int
    refs: tuple[str, ...]
    explanation: str
    charge_person: bool = True

    @property
    def amount(self) -> Decimal:
        return pence_to_pounds(self.amount_pence)

    def key(self) -> tuple:
        """What identifies a line when two computations are compared."""
        return (self.visit_id, self.package_id, self.date, self.description)


class PricingWarning(NamedTuple):
    """Something a person should look at; it does not stop the invoice."""

    message: str
    refs: tuple[str, ...] = ()
    package_id: str | None = None
    visit_id: str | None = None


@dataclass(frozen=True)
class PricedPeriod:
    """Every line for a period, with totals and warnings; same input, same output."""

    period_start: date
    period_end: date
    lines: tuple[InvoiceLine, ...]
    warnings: tuple[PricingWarning, ...] = ()
    flexible_use: tuple = ()
    blocks: tuple = ()
    extra_care: tuple = ()
    totals_by_package: dict[str, Decimal] = field(default_factory=dict)

    @property
    def total_pence(self) -> int:
        return sum(line.amount_pence for line in self.lines)

    @property
    def total(self) -> Decimal:
        return pence_to_pounds(self.total_pence)

    @property
    def person_total(self) -> Decimal:
        """What may be charged on to people (KENT-8.4.7 lines excluded)."""
        return pence_to_pounds(sum(ln.amount_pence for ln in self.lines if ln.charge_person))


_PENCE_CACHE: dict[int, Decimal] = {}


def pence_to_pounds(pence: int) -> Decimal:
    """Whole pence as pounds with two places (cached: amounts repeat a lot)."""
    value = _PENCE_CACHE.get(pence)
    if value is None:
        value = Decimal(pence).scaleb(-2)
        if len(_PENCE_CACHE) < 100_000:
            _PENCE_CACHE[pence] = value
    return value


# -- block contracts (LAN-ST-4.1, 4.2, 4.16-4.18) ----------------------------


@dataclass(frozen=True, slots=True)
class BlockLevels:
    """The call-off's table (LAN-ST-4.1): hours per week and per four-week period."""

    minimum_week: int
    start_week: int
    maximum_week: int
    minimum_period: int
    start_period: int
    maximum_period: int


@dataclass(frozen=True, slots=True)
class BlockLevelChange:
    """A flex of the block up or down (LAN-ST-4.16), effective from a period start."""

    effective_from: date
    period_hours: int
    week_hours: int
    notified_on: date
    #: Shorter notice agreed with the provider ("determined based on the
    #: significance in the change of hours and in liaison", LAN-ST-4.16).
    agreed_short_notice: bool = False


@dataclass(frozen=True, slots=True)
class BlockContract:
    """A block of hours in one geographical boundary, paid per four-week period.

    Hours delivered on ``package_ids`` count against it. ``carried_in_minutes``
    and ``offset_in_minutes`` are what the previous period left (the engine
    returns them for the next one in :class:`~.block.BlockPeriod`).
    """

    contract_id: str
    name: str
    hourly_rate: Decimal
    levels: BlockLevels
    package_ids: frozenset[str]
    valid_from: date
    valid_to: date | None = None
    changes: tuple[BlockLevelChange, ...] = ()
    carried_in_minutes: int = 0
    offset_in_minutes: int = 0


# -- Derby extra care (DERBY-APP4) -------------------------------------------


@dataclass(frozen=True, slots=True)
class QuarterMonitoring:
    """The quarter's monitoring return that releases the block payment (DERBY-APP4)."""

    quality_met: bool
    emergency_calls: int
    emergency_calls_in_target: int
    wellbeing_delivered: bool
    received_on: date | None = None


@dataclass(frozen=True, slots=True)
class QuarterlyBlock:
    """An extra care scheme's block: a payment per quarter for a volume of hours."""

    scheme_id: str
    name: str
    quarter_start: date
    amount: Decimal
    quarter_hours: int
    package_ids: frozenset[str]
    monitoring: QuarterMonitoring | None = None
    #: Care hours delivered per month over the review window, oldest first
    #: (``block.review_window`` months), for the volume review.
    monthly_hours: tuple[Decimal, ...] = ()


# -- East Lothian personal budgets (ELOTH-3.6b) ------------------------------


@dataclass(frozen=True, slots=True)
class PersonalBudget:
    """A person's budget: indicative from the assessment, agreed once verified."""

    package_id: str
    person_id: str
    indicative_weekly: Decimal
    agreed_weekly: Decimal | None = None
