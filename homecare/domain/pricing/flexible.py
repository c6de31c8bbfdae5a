"""Flexible use of commissioned hours within the payment period (KENT-3.7.4).

"The provider may flexibly provide the commissioned hours within the agreed
payment cycle or period but must not exceed the total unless by agreed
exception" (a week being Monday to Sunday). So, per package:

* hours may move between the weeks of the window (``billing.flexible_window``:
  the whole payment period, or each week) - Example A;
* care beyond the window's commissioned total, not covered by an
  :class:`~.model.ApprovedException`, is not paid: the engine adds a negative
  line against each visit past the cap, latest visits last - Example B;
* only delivered care is ever invoiced, so under-delivery is paid as delivered
  (Example D) and a claim for more than that, or to roll the rest over, is
  refused by :func:`review_claim` (Examples C and E).

Minutes count all workers (a double-handed half hour is an hour of care),
on the paid (unit) minutes; nights, emergency extra time, assessments and
hospital holds are outside the commissioned day hours.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from homecare.domain.pricing.model import (
    ApprovedException,
    CommissionedHours,
    InvoiceLine,
    PricingError,
    PricingWarning,
    pence_to_pounds,
)
from homecare.domain.pricing.rates import hours
from homecare.domain.pricing.units import Terms, round_half_up
from homecare.domain.rulebook import Rulebook

VERDICTS = {
    "within": "Commissioned hours used flexibly within the period",
    "under_delivered": "Under-delivered: only the hours delivered are invoiced",
    "over_approved": "Over-delivered, covered by an approved exception",
    "over_refused": "Over-delivered without an approved exception: the excess is not paid",
    "over_flagged": "Over-delivered: flagged for the council (this contract does not cap)",
}


@dataclass(frozen=True)
class WeekUse:
    week_start: date
    commissioned_minutes: int
    delivered_minutes: int


@dataclass(frozen=True)
class FlexibleUse:
    """One package's commissioned and delivered care over the period, and the verdict."""

    package_id: str
    person_id: str
    window: str
    weeks: tuple[WeekUse, ...]
    commissioned_minutes: int
    delivered_minutes: int
    approved_extra_minutes: int
    payable_minutes: int
    withheld_minutes: int
    withheld_pence: int
    verdict: str
    refs: tuple[str, ...]
    warnings: tuple[PricingWarning, ...] = ()

    @property
    def verdict_text(self) -> str:
        return VERDICTS[self.verdict]


@dataclass(frozen=True)
class ClaimReview:
    """Whether a provider's claim for a package's period stands (KENT-3.7.4)."""

    accepted: bool
    reasons: tuple[str, ...]
    refs: tuple[str, ...]


def apply_cap(
    terms: Terms,
    start: date,
    end: date,
    commissions: list[CommissionedHours],
    counted: dict[str, list[tuple]],
    lines: list[InvoiceLine],
    exceptions: tuple[ApprovedException, ...],
) -> tuple[list[FlexibleUse], list[InvoiceLine]]:
    """Each package's flexible use, and the negative lines for care past the cap."""
    refs = terms.ref("billing.flexible_window")
    mondays = [start + timedelta(days=7 * n) for n in range(((end - start).days + 1) // 7)]
    extra: dict[str, int] = {}
    for item in exceptions:
        if item.extra_minutes < 0:
            raise PricingError(
                f"package {item.package_id}: an approved exception of {item.extra_minutes} "
                "minutes is negative"
            )
        extra[item.package_id] = extra.get(item.package_id, 0) + item.extra_minutes
    spans: dict[str, list[CommissionedHours]] = {}
    for commission in commissions:
        spans.setdefault(commission.package_id, []).append(commission)
    results: list[FlexibleUse] = []
    withheld_lines: list[InvoiceLine] = []
    for package_id in sorted(spans):
        person_id = spans[package_id][0].person_id
        week_commissioned = [_commissioned(spans[package_id], monday) for monday in mondays]
        entries = sorted(counted.get(package_id, ()))
        week_delivered = [0] * len(mondays)
        for day, _minute, _visit, index in entries:
            week_delivered[(day - start).days // 7] += lines[index].minutes
        windows = (
            [(mondays[n], week_commissioned[n]) for n in range(len(mondays))]
            if terms.flexible_window == "week"
            else [(start, sum(week_commissioned))]
        )
        pool = extra.get(package_id, 0)
        withheld_minutes = withheld_pence = 0
        for number, (window_start, allowance) in enumerate(windows):
            window_end = windows[number + 1][0] if number + 1 < len(windows) else None
            used = 0
            for day, _minute, _visit, index in entries:
                if day < window_start or (window_end is not None and day >= window_end):
                    continue
                line = lines[index]
                used += line.minutes
                over = min(used - allowance, line.minutes)
                if over <= 0:
                    continue
                take = min(pool, over)
                pool -= take
                allowance += take
                over -= take
                if over <= 0 or terms.flexible_window == "no_cap":
                    withheld_minutes += max(over, 0)
                    continue
                amount = (
                    line.amount_pence
                    if over == line.minutes
                    else round_half_up(line.amount_pence * over, line.minutes)
                )
                withheld_minutes += over
                withheld_pence += amount
                withheld_lines.append(_withheld(line, over, amount, refs))
        commissioned = sum(week_commissioned)
        delivered = sum(week_delivered)
        approved = extra.get(package_id, 0) - pool
        verdict = _verdict(terms, commissioned, delivered, approved, withheld_minutes)
        results.append(
            FlexibleUse(
                package_id=package_id,
                person_id=person_id,
                window=terms.flexible_window,
                weeks=tuple(
                    WeekUse(monday, week_commissioned[n], week_delivered[n])
                    for n, monday in enumerate(mondays)
                ),
                commissioned_minutes=commissioned,
                delivered_minutes=delivered,
                approved_extra_minutes=approved,
                payable_minutes=delivered - withheld_minutes
                if terms.flexible_window != "no_cap"
                else delivered,
                withheld_minutes=withheld_minutes if terms.flexible_window != "no_cap" else 0,
                withheld_pence=withheld_pence,
                verdict=verdict,
                refs=refs,
                warnings=_warnings(package_id, verdict, commissioned, delivered, refs),
            )
        )
    return results, withheld_lines


def review_claim(
    rulebook: Rulebook, use: FlexibleUse, *, claimed_minutes: int, roll_over_minutes: int = 0
) -> ClaimReview:
    """Check what a provider claims for a package's period against what the rules pay.

    A claim stands when it is for no more than the payable (delivered, within
    the commissioned total or an approved exception) minutes, and asks to roll
    over no more unused hours than ``billing.carry_forward_cap`` allows.
    """
    cap_entry = rulebook.entry("billing.carry_forward_cap")
    refs = use.refs + tuple(ref for ref in cap_entry.ref if ref not in use.refs)
    reasons = []
    if claimed_minutes > use.payable_minutes:
        if claimed_minutes > use.delivered_minutes:
            reasons.append(
                f"claims {hours(claimed_minutes)} hours but {hours(use.delivered_minutes)} were "
                "delivered: only hours actually delivered are invoiced"
            )
        else:
            reasons.append(
                f"claims {hours(claimed_minutes)} hours but only {hours(use.payable_minutes)} are "
                f"within the {hours(use.commissioned_minutes)} commissioned hours and approved "
                "exceptions: extra hours need the council's agreement by exception"
            )
    if roll_over_minutes > 0:
        unused = max(use.commissioned_minutes - use.delivered_minutes, 0)
        allowed = int(use.commissioned_minutes * cap_entry.value / Decimal(100))
        if cap_entry.value == 0:
            reasons.append(
                "asks to roll over unused commissioned hours: this contract does not carry "
                "hours forward; under-delivered hours are not invoiced"
            )
        elif roll_over_minutes > min(unused, allowed):
            reasons.append(
                f"asks to roll over {hours(roll_over_minutes)} hours; at most "
                f"{hours(min(unused, allowed))} hours may be carried forward"
            )
    return ClaimReview(accepted=not reasons, reasons=tuple(reasons), refs=refs)


def _commissioned(spans: list[CommissionedHours], monday: date) -> int:
    """Minutes commissioned for the week from ``monday``: a part week pro rata by days."""
    total = 0
    for commission in spans:
        days = sum(1 for n in range(7) if commission.covers(monday + timedelta(days=n)))
        total += commission.weekly_minutes * days
    return round_half_up(total, 7)


def _verdict(terms: Terms, commissioned: int, delivered: int, approved: int, withheld: int) -> str:
    if delivered <= commissioned:
        return "within" if delivered == commissioned else "under_delivered"
    if terms.flexible_window == "no_cap":
        return "over_flagged"
    return "over_refused" if withheld else "over_approved"


def _warnings(
    package_id: str, verdict: str, commissioned: int, delivered: int, refs: tuple
) -> tuple[PricingWarning, ...]:
    if verdict == "within":
        return ()
    return (
        PricingWarning(
            f"package {package_id}: {VERDICTS[verdict]} ({hours(delivered)} hours delivered, "
            f"{hours(commissioned)} commissioned)",
            refs,
            package_id,
        ),
    )


def _withheld(line: InvoiceLine, over: int, amount: int, refs: tuple) -> InvoiceLine:
    """A negative line against care past the cap: the whole visit mirrored, or its share."""
    if over == line.minutes:
        quantity, unit, price = -line.quantity, line.quantity_unit, line.unit_price
        what = f"All {over} minutes of this visit fall"
    else:
        quantity, unit = -hours(over), "hours"
        price = pence_to_pounds(round_half_up(line.amount_pence * 60, line.minutes))
        what = (
            f"{over} of this visit's {line.minutes} minutes fall (their share of "
            f"{line.amount}, rounded half up)"
        )
    return InvoiceLine(
        line.visit_id,
        line.package_id,
        line.person_id,
        line.date,
        "Not payable: beyond the commissioned hours without an approved exception",
        quantity,
        unit,
        -over,
        price,
        -amount,
        refs,
        f"{what} past the commissioned total for the period; hours beyond it are paid only "
        "by agreed exception.",
        line.charge_person,
    )
