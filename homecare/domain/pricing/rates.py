"""Rates by day, and one visit's line (KENT-3.7.2/3.7.3/3.7.5, 3.3.8, 8.4.7; LAN-HC-3.10/4.3/6.1).

A line's template (everything but the visit's ids and date) depends only on
the rate in force, the band, the kind, the paid minutes, the workers and the
flags, so :class:`VisitPricer` prices each combination once.
"""

from __future__ import annotations

import itertools
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from homecare.domain.pricing.model import (
    LONDON,
    DeliveredVisit,
    HospitalAdmission,
    InvoiceLine,
    PricingError,
    PricingWarning,
    Tariff,
    pence_to_pounds,
)
from homecare.domain.pricing.units import (
    FULL_HOUR,
    Terms,
    night_sessions,
    paid_minutes,
    pence,
    round_half_up,
    to_centipence,
    unit_for,
)

#: Requirement IDs cited by specification where no rulebook entry carries them.
COMPLEX_REF = {"kent": ("KENT-3.3.8",)}
TRAVEL_REF = {"lan-hc": ("LAN-HC-4.3",)}
BUDGET_REF = {"eloth": ("ELOTH-3.6b",)}

_ZERO = Decimal(0)
_QUANTITIES: dict[int, Decimal] = {}


def quantity(value: int) -> Decimal:
    found = _QUANTITIES.get(value)
    if found is None:
        found = _QUANTITIES[value] = Decimal(value)
    return found


def hours(minutes: int) -> Decimal:
    """Minutes as hours: exact to four places, trailing zeros trimmed (90 -> 1.5)."""
    whole, rest = divmod(minutes, 60)
    if not rest:
        return quantity(whole)
    return (Decimal(minutes) / 60).quantize(Decimal("0.0001")).normalize()


def money(centipence: int) -> str:
    value = Decimal(centipence).scaleb(-4)
    return (
        f"£{value.quantize(Decimal('0.01')) if value == value.quantize(Decimal('0.01')) else value}"
    )


class RateTable:
    """The tariffs of a provider, checked: no overlaps, amounts in pounds, rates by day."""

    def __init__(self, tariffs: tuple[Tariff, ...]) -> None:
        ordered = sorted(tariffs, key=lambda tariff: tariff.valid_from)
        for before, after in itertools.pairwise(ordered):
            if before.valid_to is None or before.valid_to >= after.valid_from:
                raise PricingError(
                    f"rates from {before.valid_from} overlap rates from {after.valid_from}: "
                    "end one before the next starts"
                )
        for tariff in ordered:
            if tariff.valid_to is not None and tariff.valid_to < tariff.valid_from:
                raise PricingError(
                    f"rates from {tariff.valid_from} end ({tariff.valid_to}) before they start"
                )
        self.tariffs = ordered
        self.centipence = [
            (
                to_centipence(tariff.hourly_rate, f"hourly rate from {tariff.valid_from}"),
                None
                if tariff.night_session_rate is None
                else to_centipence(
                    tariff.night_session_rate, f"night rate from {tariff.valid_from}"
                ),
                None
                if tariff.complex_hourly_rate is None
                else to_centipence(
                    tariff.complex_hourly_rate, f"complex rate from {tariff.valid_from}"
                ),
            )
            for tariff in ordered
        ]
        self._by_day: dict[date, int] = {}

    def index(self, day: date) -> int:
        found = self._by_day.get(day)
        if found is None:
            for position, tariff in enumerate(self.tariffs):
                if tariff.covers(day):
                    found = position
                    break
            else:
                known = ", ".join(f"{t.valid_from} to {t.valid_to or 'open'}" for t in self.tariffs)
                raise PricingError(f"no rate for {day} (rates held: {known or 'none'})")
            self._by_day[day] = found
        return found

    def hourly(self, position: int, band: str, package_id: str) -> int:
        standard, _night, complex_rate = self.centipence[position]
        if band == "standard":
            return standard
        if band == "complex":
            if complex_rate is None:
                raise PricingError(
                    f"package {package_id} is complex support but the rates from "
                    f"{self.tariffs[position].valid_from} have no complex support rate"
                )
            return complex_rate
        raise PricingError(f"package {package_id}: unknown rate band {band!r}")

    def night(self, position: int, package_id: str) -> int:
        night = self.centipence[position][1]
        if night is None:
            raise PricingError(
                f"package {package_id} has night support but the rates from "
                f"{self.tariffs[position].valid_from} have no night session rate"
            )
        return night


class VisitPricer:
    """Prices visits under one contract's terms, caching identical lines."""

    def __init__(
        self, terms: Terms, rates: RateTable, admissions: dict[str, list[HospitalAdmission]]
    ) -> None:
        self.terms = terms
        self.rates = rates
        self.admissions = admissions
        self._cache: dict[tuple, tuple] = {}
        self._basis = {
            "planned": "planned",
            "actual": "actual",
            "actual_capped": "actual (never above planned)",
        }[terms.basis]
        if terms.step == 1:
            self._rounding = "to the minute"
        elif terms.rounding == "nearest":
            self._rounding = f"to the nearest {terms.step} minutes"
        else:
            self._rounding = f"{terms.rounding} to {terms.step} minutes with {terms.tolerance} minutes' tolerance"

    # -- per-visit contracts (kent_units, hourly) --------------------------------------

    def plain(
        self,
        position: int,
        band: str,
        kind: str,
        planned: int,
        actual: int,
        workers: int,
        package_id: str,
    ) -> tuple[tuple, int]:
        """(template, paid minutes) of a visit with no flags: the engine caches this by its
        arguments, so it runs once per distinct combination."""
        paid = paid_minutes(self.terms, planned, actual)
        key = (position, band, kind, paid, workers, "")
        template = self._cache.get(key)
        if template is None:
            template = self._cache[key] = self._price(key, package_id)
        return template, paid

    def day_warnings(
        self, visit: DeliveredVisit, actual: int, paid: int, warnings: list[PricingWarning]
    ) -> None:
        """A day unit visit that is short of the shortest unit, or outside day hours (KENT)."""
        terms = self.terms
        if paid < 30:
            warnings.append(
                PricingWarning(
                    f"visit {visit.visit_id} lasted {actual} minutes, under the shortest "
                    "day unit: paid as a half-hour unit",
                    terms.ref("billing.unit_30_percent"),
                    visit.package_id,
                    visit.visit_id,
                )
            )
        start = visit.start_minute
        if start < terms.day_start or start + paid > terms.day_end:
            warnings.append(
                PricingWarning(
                    f"visit {visit.visit_id} runs outside day support hours: priced in day "
                    "units; night support is bought in sessions",
                    terms.ref("billing.day_hours.end"),
                    visit.package_id,
                    visit.visit_id,
                )
            )

    def priced(
        self,
        visit: DeliveredVisit,
        actual: int,
        band: str,
        position: int,
        warnings: list[PricingWarning],
    ) -> tuple:
        """The template of a flagged visit (hold, assessment, emergency extra)."""
        terms = self.terms
        paid = paid_minutes(terms, visit.planned_minutes, actual)
        if visit.kind == "visit" and terms.model == "kent_units" and not visit.hospital_hold:
            self.day_warnings(visit, actual, paid, warnings)
        if visit.hospital_hold:
            return self._held(visit, band, position, paid)
        flag = "assessment" if visit.initial_assessment else ""
        if visit.emergency_extra:
            if terms.emergency_extra:
                flag = "emergency"
                paid = min(paid, terms.emergency_extra)
            else:
                warnings.append(
                    PricingWarning(
                        f"visit {visit.visit_id} is marked emergency extra time, which this "
                        "contract makes no provision for: priced as an ordinary visit",
                        (),
                        visit.package_id,
                        visit.visit_id,
                    )
                )
        key = (position, band, visit.kind, paid, visit.workers, flag)
        template = self._cache.get(key)
        if template is None:
            template = self._cache[key] = self._price(key, visit.package_id)
        return template

    def _price(self, key: tuple, package_id: str) -> tuple:
        position, band, kind, paid, workers, flag = key
        terms = self.terms
        band_refs = COMPLEX_REF.get(terms.slug, ()) if band == "complex" else ()
        if flag == "assessment":
            cap = terms.assessment_paid_max
            refs = terms.ref("billing.assessment_paid_max")
            if not cap:
                return self._zero(
                    "Initial assessment: not paid separately",
                    paid * workers,
                    refs,
                    "This contract pays nothing for the first assessment visit "
                    "(billing.assessment_paid_max is 0).",
                )
            rate = self.rates.hourly(position, band, package_id)
            minutes = min(paid * workers, cap)
            return (
                "Initial risk assessment",
                hours(minutes),
                "hours",
                minutes,
                pence_to_pounds(round_half_up(rate, 100)),
                pence(rate, minutes),
                refs + band_refs,
                f"{paid * workers} minutes of assessment; paid up to {cap} minutes at the "
                f"hourly rate {money(rate)}.",
                True,
            )
        if kind == "night":
            rate = self.rates.night(position, package_id)
            sessions = night_sessions(terms, paid) * workers
            unit = round_half_up(rate, 100)
            template = (
                f"Night support, {sessions} session{'s' if sessions > 1 else ''} of "
                f"{terms.night_session // 60} hours",
                quantity(sessions),
                "sessions",
                paid * workers,
                pence_to_pounds(unit),
                unit * sessions,
                terms.ref("billing.night_session") + band_refs,
                f"Night support is paid in {terms.night_session // 60}-hour sessions at "
                f"{money(rate)} a session; {paid} minutes ({self._basis}, {self._rounding}) is "
                f"{sessions // workers} session(s), {workers} worker(s).",
                True,
            )
        else:
            rate = self.rates.hourly(position, band, package_id)
            if kind == "visit" and terms.model == "kent_units" and paid <= FULL_HOUR:
                template = self._day_unit(rate, paid, workers, band_refs)
            elif kind == "visit" and terms.model == "kent_units" and terms.over_hour == "day_units":
                template = self._day_units_over_hour(rate, paid, workers, band_refs)
            else:
                template = self._pro_rata(rate, paid, workers, band_refs)
        if flag == "emergency":
            description, *rest = template
            rest[5] = rest[5] + terms.ref("change.emergency_extra")
            rest[6] = (
                rest[6] + f" Emergency extra time (up to {terms.emergency_extra} minutes without "
                "prior consent); the person is not charged."
            )
            rest[7] = False
            return (f"Emergency extra: {description}", *rest)
        return template

    def _day_unit(self, rate: int, paid: int, workers: int, band_refs: tuple) -> tuple:
        unit, percent = unit_for(self.terms, paid)
        unit_pence = pence(rate, FULL_HOUR, percent)
        return (
            f"Day unit, {unit} minutes at {percent}%",
            quantity(workers),
            "units",
            unit * workers,
            pence_to_pounds(unit_pence),
            unit_pence * workers,
            self.terms.ref(f"billing.unit_{unit}_percent") + band_refs,
            f"Paid duration {paid} minutes ({self._basis}, {self._rounding}): a {unit}-minute "
            f"day unit at {percent}% of the hourly rate {money(rate)} = "
            f"{money(unit_pence * 100)}, x {workers} worker(s)."
            + ("" if self.terms.bank_holiday_uplift else " No unsocial-hours uplift."),
            True,
        )

    def _day_units_over_hour(self, rate: int, paid: int, workers: int, band_refs: tuple) -> tuple:
        full, rest = divmod(paid, FULL_HOUR)
        each = pence(rate, FULL_HOUR, 100) * full
        count = full
        if rest:
            _unit, percent = unit_for(self.terms, rest)
            each += pence(rate, FULL_HOUR, percent)
            count += 1
        return (
            f"Session of {paid} minutes in day units",
            quantity(count * workers),
            "units",
            paid * workers,
            pence_to_pounds(each),
            each * workers,
            self.terms.ref("billing.over_hour") + band_refs,
            f"Paid duration {paid} minutes ({self._basis}, {self._rounding}): {full} full "
            f"hour(s) plus a further day unit at the hourly rate {money(rate)}, "
            f"x {workers} worker(s).",
            True,
        )

    def _pro_rata(self, rate: int, paid: int, workers: int, band_refs: tuple) -> tuple:
        terms = self.terms
        minutes = paid * workers
        if terms.model == "kent_units":
            refs, what = terms.ref("billing.over_hour"), "pro rata from the full hourly rate"
        else:
            refs = terms.ref("billing.model", *terms.ref("billing.duration_basis"))
            what = "at the hourly rate"
        return (
            f"{paid} minutes {what}",
            hours(minutes),
            "hours",
            minutes,
            pence_to_pounds(round_half_up(rate, 100)),
            pence(rate, minutes),
            refs + band_refs,
            f"Paid duration {paid} minutes ({self._basis}, {self._rounding}) x {workers} "
            f"worker(s) = {minutes} minutes {what} {money(rate)}, rounded half up to the penny.",
            True,
        )

    def _held(self, visit: DeliveredVisit, band: str, position: int, paid: int) -> tuple:
        terms = self.terms
        refs = terms.ref("billing.hospital_hold", *terms.ref("billing.hospital_hold_rate"))
        start = visit.planned_start or datetime.combine(
            visit.local_date, time(visit.start_minute // 60, visit.start_minute % 60), LONDON
        )
        admitted = [
            item for item in self.admissions.get(visit.package_id, ()) if item.admitted_at <= start
        ]
        if not admitted:
            raise PricingError(
                f"visit {visit.visit_id} is marked cancelled for a hospital stay but no "
                f"admission before it is recorded for package {visit.package_id}"
            )
        admission = max(admitted, key=lambda item: item.admitted_at)
        minutes = paid * visit.workers
        if not terms.hospital_hold:
            return self._zero(
                "Cancelled, person in hospital: not paid",
                minutes,
                refs,
                "This contract pays nothing while a package is held (billing.hospital_hold 0).",
            )
        ends = admission.admitted_at + timedelta(minutes=terms.hospital_hold)
        when = admission.admitted_at.astimezone(LONDON).strftime("%Y-%m-%d %H:%M")
        if start >= ends:
            return self._zero(
                "Cancelled, person in hospital: beyond the paid hold",
                minutes,
                refs,
                f"Admitted {when}; the package is paid for {terms.hospital_hold // 60} hours "
                "from admission and not beyond.",
            )
        key = (position, band, visit.kind, paid, visit.workers, "")
        template = self._cache.get(key) or self._price(key, visit.package_id)
        description, qty, unit, line_minutes, unit_price, amount, _refs, why, charge = template
        share = terms.hospital_hold_rate
        amount = round_half_up(amount * int(share * 100), 10000)
        return (
            f"Held while in hospital: {description}",
            qty,
            unit,
            line_minutes,
            unit_price,
            amount,
            refs,
            f"Admitted {when}; visits in the {terms.hospital_hold // 60} hours from admission "
            f"are paid at {share}% as planned. {why}",
            charge,
        )

    def travel_line(self, visit: DeliveredVisit, band: str) -> InvoiceLine:
        minutes = visit.travel_granted_minutes
        if not 0 <= minutes <= self.terms.max_duration:
            raise PricingError(
                f"visit {visit.visit_id}: granted travel of {minutes} minutes is not a "
                "sensible duration"
            )
        rate = self.rates.hourly(self.rates.index(visit.local_date), band, visit.package_id)
        return InvoiceLine(
            visit.visit_id,
            visit.package_id,
            visit.person_id,
            visit.local_date,
            "Additional travel time (granted by the council)",
            hours(minutes),
            "hours",
            minutes,
            pence_to_pounds(round_half_up(rate, 100)),
            pence(rate, minutes),
            TRAVEL_REF.get(self.terms.slug, ()),
            f"{minutes} minutes of extra travel granted for this package, at the hourly rate "
            f"{money(rate)}.",
        )

    def uplift_line(self, line: InvoiceLine) -> InvoiceLine:
        """The bank holiday uplift on a line (billing.bank_holiday_uplift)."""
        share = self.terms.bank_holiday_uplift
        amount = round_half_up(line.amount_pence * int(share * 100), 10000)
        return InvoiceLine(
            line.visit_id,
            line.package_id,
            line.person_id,
            line.date,
            f"Bank holiday uplift, {share}%",
            quantity(1),
            "uplift",
            0,
            pence_to_pounds(amount),
            amount,
            self.terms.ref("billing.bank_holiday_uplift"),
            f"{share}% of {pence_to_pounds(line.amount_pence)} for care on a bank holiday.",
            line.charge_person,
        )

    # -- visits that are not paid one by one ------------------------------------------

    def counted(self, visit: DeliveredVisit, actual: int) -> tuple:
        paid = paid_minutes(self.terms, visit.planned_minutes, actual)
        key = ("block", paid, visit.workers)
        template = self._cache.get(key)
        if template is None:
            template = self._cache[key] = self._zero(
                "Counted against the block",
                paid * visit.workers,
                self.terms.ref("billing.model"),
                f"{paid} minutes ({self._basis}, {self._rounding}) x {visit.workers} worker(s); "
                "paid through the block payment.",
            )
        return template

    def within_budget(self, visit: DeliveredVisit, actual: int) -> tuple:
        paid = paid_minutes(self.terms, visit.planned_minutes, actual)
        key = ("budget", paid, visit.workers)
        template = self._cache.get(key)
        if template is None:
            template = self._cache[key] = self._zero(
                "Delivered within the personal budget",
                paid * visit.workers,
                BUDGET_REF.get(self.terms.slug, ()),
                "Paid through the person's agreed personal budget, not by the visit.",
            )
        return template

    @staticmethod
    def _zero(description: str, minutes: int, refs: tuple, explanation: str) -> tuple:
        return (description, hours(minutes), "hours", minutes, _ZERO, 0, refs, explanation, True)
