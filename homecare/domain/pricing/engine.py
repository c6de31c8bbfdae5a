"""``price_period``: every visit of a closed period priced, or a PricingError.

The engine checks the data first (the period is closed and well formed, one
rate and one commission at a time, every visit checked out with a sensible
duration) and prices nothing if any of it is broken. Then each visit becomes
one line (plus a travel line where extra travel was granted), priced by the
contract's model; the flexible-use cap (KENT-3.7.4), block contracts
(LAN-ST-4.1-4.18), extra care blocks (DERBY-APP4) and personal budgets
(ELOTH-3.6b) add their lines on top.

Speed: a visit's line depends only on (rate, band, kind, paid minutes,
workers, flags), so each distinct combination is priced once and reused.
"""

from __future__ import annotations

import gc
import itertools
from collections.abc import Iterable
from datetime import date, datetime, time, timedelta

from homecare.domain.pricing import budgets, flexible
from homecare.domain.pricing.blocks import price_blocks
from homecare.domain.pricing.extra_care import price_extra_care
from homecare.domain.pricing.model import (
    KINDS,
    LONDON,
    ApprovedException,
    BlockContract,
    CommissionedHours,
    DeliveredVisit,
    HospitalAdmission,
    InvoiceLine,
    PersonalBudget,
    PricedPeriod,
    PricingError,
    PricingWarning,
    QuarterlyBlock,
    Tariff,
    pence_to_pounds,
)
from homecare.domain.pricing.rates import RateTable, VisitPricer
from homecare.domain.pricing.units import Terms
from homecare.domain.rulebook import Rulebook

#: Contract models whose visits are paid one by one; the others pay a block.
PER_VISIT_MODELS = ("kent_units", "hourly")


def price_period(
    *,
    rulebook: Rulebook,
    period_start: date,
    period_end: date,
    now: datetime,
    tariffs: Iterable[Tariff] = (),
    commissions: Iterable[CommissionedHours] = (),
    visits: Iterable[DeliveredVisit] = (),
    admissions: Iterable[HospitalAdmission] = (),
    exceptions: Iterable[ApprovedException] = (),
    blocks: Iterable[BlockContract] = (),
    quarterly_blocks: Iterable[QuarterlyBlock] = (),
    personal_budgets: Iterable[PersonalBudget] = (),
    bank_holidays: Iterable[date] = (),
) -> PricedPeriod:
    """Price one closed payment period (``period_start`` to ``period_end`` inclusive).

    Raises :class:`PricingError` naming the first broken record; no lines then.
    """
    terms = Terms.from_rulebook(rulebook)
    check_period(terms, period_start, period_end, now)
    collecting = gc.isenabled()
    gc.disable()  # the loop builds a million acyclic tuples: nothing for the collector
    try:
        return _price(
            terms,
            period_start,
            period_end,
            tariffs,
            commissions,
            visits,
            admissions,
            exceptions,
            blocks,
            quarterly_blocks,
            personal_budgets,
            bank_holidays,
        )
    finally:
        if collecting:
            gc.enable()


def _price(
    terms,
    period_start,
    period_end,
    tariffs,
    commissions,
    visits,
    admissions,
    exceptions,
    blocks,
    quarterly_blocks,
    personal_budgets,
    bank_holidays,
) -> PricedPeriod:
    commission_index = _commission_index(commissions)
    rates = RateTable(tuple(tariffs))
    pricer = VisitPricer(terms, rates, _admission_index(admissions))
    per_visit = terms.model in PER_VISIT_MODELS
    lines: list[InvoiceLine] = []
    warnings: list[PricingWarning] = []
    # package id -> [(date, start minute, visit id, line index)] of commissioned care
    counted: dict[str, list[tuple]] = {}
    max_minutes = terms.max_duration
    day_checks = terms.model == "kent_units"
    day_start, day_end = terms.day_start, terms.day_end
    # packages with one commission for the whole period; rate position by day;
    # a plain visit's key -> (template, paid minutes)
    whole_period = commission_index.whole(period_start, period_end)
    positions: dict[date, int] = {}
    plain: dict[tuple, tuple] = {}
    # bank holidays matter only where the rulebook pays an uplift (none of the five do)
    holidays = frozenset(bank_holidays) if terms.bank_holiday_uplift else frozenset()
    make = tuple.__new__
    for visit in visits:
        day = visit.local_date
        if day < period_start or day > period_end:
            raise PricingError(
                f"visit {visit.visit_id} on {day} is outside the period "
                f"{period_start} to {period_end}"
            )
        actual = visit.actual_minutes
        planned = visit.planned_minutes
        hold = visit.hospital_hold
        if hold:
            actual = planned
        elif actual is None:
            raise PricingError(
                f"visit {visit.visit_id} (package {visit.package_id}, {day}) has no check-out: "
                "record when it ended before it can be invoiced"
            )
        if actual < 0 or actual > max_minutes or planned < 0 or planned > max_minutes:
            raise PricingError(
                f"visit {visit.visit_id} (package {visit.package_id}, {day}) lasts "
                f"{actual} minutes (planned {planned}): a duration must be between 0 and "
                f"{max_minutes // 60} hours (billing.max_duration)"
            )
        workers, kind, package_id = visit.workers, visit.kind, visit.package_id
        if workers < 1 or kind not in KINDS:
            raise PricingError(
                f"visit {visit.visit_id}: {workers} workers, kind {kind!r} "
                f"(kinds: {', '.join(KINDS)}; at least one worker)"
            )
        commission = whole_period.get(package_id)
        if commission is None:
            commission = commission_index.get(package_id, day)
        if per_visit and commission.model == "time_and_task":
            position = positions.get(day)
            if position is None:
                position = positions[day] = rates.index(day)
        else:
            position = -1
        if commission.person_id != visit.person_id:
            raise PricingError(
                f"visit {visit.visit_id} is for person {visit.person_id} but package "
                f"{package_id} is commissioned for person {commission.person_id}"
            )
        special = hold or visit.emergency_extra or visit.initial_assessment
        if position < 0:
            if commission.model == "personal_budget":
                template = pricer.within_budget(visit, actual)
            else:
                template = pricer.counted(visit, actual)
        elif special:
            template = pricer.priced(visit, actual, commission.band, position, warnings)
        else:
            key = (position, commission.band, kind, planned, actual, workers)
            hit = plain.get(key)
            if hit is None:
                hit = plain[key] = pricer.plain(
                    position, commission.band, kind, planned, actual, workers, package_id
                )
            template, paid = hit
            if day_checks and kind == "visit":
                start = visit.start_minute
                if paid < 30 or start < day_start or start + paid > day_end:
                    pricer.day_warnings(visit, actual, paid, warnings)
        index = len(lines)
        lines.append(
            make(InvoiceLine, (visit.visit_id, package_id, visit.person_id, day, *template))
        )
        if holidays and day in holidays and lines[index].amount_pence:
            lines.append(pricer.uplift_line(lines[index]))
        if visit.travel_granted_minutes:
            lines.append(pricer.travel_line(visit, commission.band))
        if kind != "night" and not special:
            entries = counted.get(package_id)
            if entries is None:
                entries = counted[package_id] = []
            entries.append((day, visit.start_minute, visit.visit_id, index))

    flex_results: tuple = ()
    if per_visit:
        flex_results, withheld = flexible.apply_cap(
            terms,
            period_start,
            period_end,
            commission_index.in_period(period_start, period_end, "time_and_task"),
            counted,
            lines,
            tuple(exceptions),
        )
        lines.extend(withheld)
        warnings.extend(w for result in flex_results for w in result.warnings)
    budget_lines, budget_warnings = budgets.price_budgets(
        terms,
        period_start,
        period_end,
        commission_index.in_period(period_start, period_end, "personal_budget"),
        tuple(personal_budgets),
    )
    lines.extend(budget_lines)
    warnings.extend(budget_warnings)
    block_results = price_blocks(terms, period_start, period_end, tuple(blocks), counted, lines)
    for result in block_results:
        lines.extend(result.lines)
        warnings.extend(result.warnings)
    extra_results = price_extra_care(
        terms, period_start, period_end, tuple(quarterly_blocks), counted, lines
    )
    for result in extra_results:
        lines.extend(result.lines)
        warnings.extend(result.warnings)
    totals: dict[str, int] = {}
    for item in lines:
        totals[item.package_id] = totals.get(item.package_id, 0) + item.amount_pence
    return PricedPeriod(
        period_start=period_start,
        period_end=period_end,
        lines=tuple(lines),
        warnings=tuple(warnings),
        flexible_use=tuple(flex_results),
        blocks=tuple(block_results),
        extra_care=tuple(extra_results),
        totals_by_package={key: pence_to_pounds(value) for key, value in totals.items()},
    )


def check_period(terms: Terms, start: date, end: date, now: datetime) -> None:
    """The period is the contract's payment period (billing.period) and has ended."""
    if now.utcoffset() is None:
        raise PricingError(f"'now' ({now}) has no time zone")
    if end < start:
        raise PricingError(f"the period ends ({end}) before it starts ({start})")
    days = (end - start).days + 1
    if terms.period in ("week", "four_weeks"):
        size = 7 if terms.period == "week" else 28
        if start.weekday() != 0 or days % size:
            raise PricingError(
                f"the period {start} to {end} is not whole {'weeks' if size == 7 else 'four-week periods'}"
                " from Monday to Sunday (billing.period)"
            )
    elif terms.period == "quarter":
        if start.day != 1 or start.month not in (1, 4, 7, 10) or end != _add_months(start, 3):
            raise PricingError(
                f"the period {start} to {end} is not a quarter starting 1 January, April, "
                "July or October (billing.period)"
            )
    elif start.day != 1 or end != _add_months(start, 1):
        raise PricingError(f"the period {start} to {end} is not a calendar month (billing.period)")
    closes = datetime.combine(end + timedelta(days=1), time(0), tzinfo=LONDON)
    if now < closes:
        raise PricingError(
            f"the period {start} to {end} is not closed yet: it can be invoiced from "
            f"{closes:%Y-%m-%d %H:%M} (Europe/London)"
        )


def _add_months(start: date, months: int) -> date:
    """The last day before ``start`` plus ``months`` months (``start`` is a 1st)."""
    month = start.month - 1 + months
    return date(start.year + month // 12, month % 12 + 1, 1) - timedelta(days=1)


class _Commissions:
    """Commissioned hours by package, each package's spans checked for overlaps."""

    def __init__(self, by_package: dict[str, list[CommissionedHours]]) -> None:
        self.by_package = by_package
        self._single = {key: spans[0] for key, spans in by_package.items() if len(spans) == 1}

    def get(self, package_id: str, day: date) -> CommissionedHours:
        found = self._single.get(package_id)
        if found is not None and found.covers(day):
            return found
        for commission in self.by_package.get(package_id, ()):
            if commission.covers(day):
                return commission
        raise PricingError(f"package {package_id} has no commissioned hours on {day}")

    def whole(self, start: date, end: date) -> dict[str, CommissionedHours]:
        """Packages whose one commission covers every day from ``start`` to ``end``."""
        return {
            key: found
            for key, found in self._single.items()
            if found.covers(start) and found.covers(end)
        }

    def in_period(self, start: date, end: date, model: str) -> list[CommissionedHours]:
        return [
            commission
            for spans in self.by_package.values()
            for commission in spans
            if commission.model == model
            and commission.valid_from <= end
            and (commission.valid_to is None or commission.valid_to >= start)
        ]


def _commission_index(commissions: Iterable[CommissionedHours]) -> _Commissions:
    by_package: dict[str, list[CommissionedHours]] = {}
    for commission in commissions:
        if commission.weekly_minutes < 0:
            raise PricingError(
                f"package {commission.package_id}: commissioned minutes are negative "
                f"({commission.weekly_minutes})"
            )
        if commission.valid_to is not None and commission.valid_to < commission.valid_from:
            raise PricingError(
                f"package {commission.package_id}: commissioned hours end "
                f"({commission.valid_to}) before they start ({commission.valid_from})"
            )
        by_package.setdefault(commission.package_id, []).append(commission)
    for package_id, spans in by_package.items():
        spans.sort(key=lambda item: item.valid_from)
        for before, after in itertools.pairwise(spans):
            if before.valid_to is None or before.valid_to >= after.valid_from:
                raise PricingError(
                    f"package {package_id}: commissioned hours from {before.valid_from} "
                    f"overlap those from {after.valid_from}; end one before the next starts"
                )
    return _Commissions(by_package)


def _admission_index(
    admissions: Iterable[HospitalAdmission],
) -> dict[str, list[HospitalAdmission]]:
    index: dict[str, list[HospitalAdmission]] = {}
    for admission in admissions:
        if admission.admitted_at.utcoffset() is None:
            raise PricingError(
                f"package {admission.package_id}: admission time {admission.admitted_at} "
                "has no time zone"
            )
        index.setdefault(admission.package_id, []).append(admission)
    return index
