"""Lancashire block contracts (LAN-ST-4.1, 4.2, 4.16-4.18) and the usage gauge (LAN-ST-9.5).

Per four-week period, for each block:

* the block is the level in force at the period's start: the call-off's start
  level, or the last flex up or down (LAN-ST-4.16) effective by then;
* hours *used* are those delivered on the block's packages plus any excess
  offset from the previous period (LAN-ST-4.18); hours *available* are the
  block plus hours carried in (LAN-ST-4.17);
* paid: the hours used up to those available, and never less than the minimum
  level (LAN-ST-4.2: "the Block Contract guarantees payment for minimum volume
  of hours"); a top-up line shows the guarantee when usage falls below it;
* carried to the next period: available hours neither used nor paid through
  the guarantee, capped at ``billing.carry_forward_cap`` (20%) of the block;
* demand beyond the available hours is offset against the next period
  (a zero line here, ``offset_out_minutes`` for the next period's input).

The usage share (hours used / hours available) raises an alert at
``block.usage_alert`` (80%, LAN-ST-9.5).
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, replace
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

from homecare.domain.pricing.model import (
    BlockContract,
    BlockLevelChange,
    InvoiceLine,
    PricingError,
    PricingWarning,
    pence_to_pounds,
)
from homecare.domain.pricing.rates import hours
from homecare.domain.pricing.units import Terms, pence, round_half_up, to_centipence
from homecare.domain.rulebook import Rulebook


@dataclass(frozen=True)
class BlockWeek:
    week_start: date
    block_minutes: int
    maximum_minutes: int
    delivered_minutes: int


@dataclass(frozen=True)
class BlockGauge:
    """Hours used against the block so far, for the gauge (LAN-ST-9.5)."""

    used_minutes: int
    block_minutes: int
    carried_in_minutes: int
    available_minutes: int
    percent: Decimal
    alert: bool
    alert_percent: Decimal
    carry_forward_cap_minutes: int
    refs: tuple[str, ...]

    @property
    def remaining_minutes(self) -> int:
        return max(self.available_minutes - self.used_minutes, 0)


@dataclass(frozen=True)
class BlockPeriod:
    """One block's four-week period: figures, lines and what passes to the next period."""

    contract_id: str
    name: str
    period_start: date
    period_end: date
    block_minutes: int
    minimum_minutes: int
    maximum_minutes: int
    carried_in_minutes: int
    offset_in_minutes: int
    delivered_minutes: int
    used_minutes: int
    available_minutes: int
    paid_minutes: int
    carry_out_minutes: int
    offset_out_minutes: int
    weeks: tuple[BlockWeek, ...]
    gauge: BlockGauge
    lines: tuple[InvoiceLine, ...]
    warnings: tuple[PricingWarning, ...]


def level_at(contract: BlockContract, day: date) -> tuple[int, int]:
    """(period hours, week hours) in force on ``day``: the last flex by then, else the start."""
    period_hours, week_hours = contract.levels.start_period, contract.levels.start_week
    for change in sorted(contract.changes, key=lambda item: item.effective_from):
        if change.effective_from <= day:
            period_hours, week_hours = change.period_hours, change.week_hours
    return period_hours, week_hours


def validate_level_change(
    rulebook: Rulebook, contract: BlockContract, change: BlockLevelChange
) -> list[str]:
    """What is wrong with a flex of the block (LAN-ST-4.1 levels, LAN-ST-4.16 notice):
    an empty list when it may go ahead."""
    return _change_problems(Terms.from_rulebook(rulebook), contract, change)


def _change_problems(terms: Terms, contract: BlockContract, change: BlockLevelChange) -> list[str]:
    levels = contract.levels
    problems = []
    if not levels.minimum_period <= change.period_hours <= levels.maximum_period:
        problems.append(
            f"{change.period_hours} hours a period is outside the block's levels "
            f"({levels.minimum_period} to {levels.maximum_period})"
        )
    if not levels.minimum_week <= change.week_hours <= levels.maximum_week:
        problems.append(
            f"{change.week_hours} hours a week is outside the block's levels "
            f"({levels.minimum_week} to {levels.maximum_week})"
        )
    before = [item for item in contract.changes if item.effective_from < change.effective_from]
    previous = level_at(
        replace(contract, changes=tuple(before)), change.effective_from - timedelta(days=1)
    )[0]
    if change.period_hours != previous and not change.agreed_short_notice:
        increase = change.period_hours > previous
        key = "block.increase_notice" if increase else "block.decrease_notice"
        needed = (terms.increase_notice if increase else terms.decrease_notice) // (24 * 60)
        given = (change.effective_from - change.notified_on).days
        if given < needed:
            word = "an increase" if change.period_hours > previous else "a decrease"
            problems.append(
                f"{word} from {previous} to {change.period_hours} hours needs {needed // 7} weeks' "
                f"notice ({key}); {given} days were given"
            )
    return problems


def gauge(
    terms: Terms, contract: BlockContract, period_start: date, used_minutes: int
) -> BlockGauge:
    """The usage gauge for a block at any point of a period (used so far vs available)."""
    block = level_at(contract, period_start)[0] * 60
    available = block + contract.carried_in_minutes
    percent = (
        (Decimal(used_minutes * 100) / available).quantize(Decimal("0.1"), ROUND_HALF_UP)
        if available
        else Decimal(0)
    )
    return BlockGauge(
        used_minutes=used_minutes,
        block_minutes=block,
        carried_in_minutes=contract.carried_in_minutes,
        available_minutes=available,
        percent=percent,
        alert=available > 0 and used_minutes * 100 >= terms.usage_alert * available,
        alert_percent=terms.usage_alert,
        carry_forward_cap_minutes=int(block * terms.carry_forward_cap / 100),
        refs=terms.ref("block.usage_alert"),
    )


def price_blocks(
    terms: Terms,
    start: date,
    end: date,
    contracts: tuple[BlockContract, ...],
    counted: dict[str, list[tuple]],
    lines: list[InvoiceLine],
) -> list[BlockPeriod]:
    _check_overlaps(contracts)
    results = []
    for contract in sorted(contracts, key=lambda item: item.contract_id):
        if contract.valid_from > end or (
            contract.valid_to is not None and contract.valid_to < start
        ):
            continue
        results.append(_price_one(terms, start, end, contract, counted, lines))
    return results


def _price_one(
    terms: Terms,
    start: date,
    end: date,
    contract: BlockContract,
    counted: dict[str, list[tuple]],
    lines: list[InvoiceLine],
) -> BlockPeriod:
    levels = contract.levels
    if not (
        0 <= levels.minimum_period <= levels.start_period <= levels.maximum_period
        and 0 <= levels.minimum_week <= levels.start_week <= levels.maximum_week
    ):
        raise PricingError(
            f"block {contract.name}: levels must run minimum <= start <= maximum, per week "
            f"({levels.minimum_week}, {levels.start_week}, {levels.maximum_week}) and per "
            f"period ({levels.minimum_period}, {levels.start_period}, {levels.maximum_period})"
        )
    for change in contract.changes:
        problems = _change_problems(terms, contract, change)
        if problems:
            raise PricingError(
                f"block {contract.name}: the change from {change.effective_from} is not valid: "
                + "; ".join(problems)
            )
    if contract.carried_in_minutes < 0 or contract.offset_in_minutes < 0:
        raise PricingError(f"block {contract.name}: carried or offset hours are negative")
    rate = to_centipence(contract.hourly_rate, f"block {contract.name} hourly rate")
    period_hours, week_hours = level_at(contract, start)
    block, minimum = period_hours * 60, levels.minimum_period * 60
    mondays = [start + timedelta(days=7 * n) for n in range(((end - start).days + 1) // 7)]
    weekly = [0] * len(mondays)
    for package_id in contract.package_ids:
        for day, _minute, _visit, index in counted.get(package_id, ()):
            weekly[(day - start).days // 7] += lines[index].minutes
    delivered = sum(weekly)
    used = delivered + contract.offset_in_minutes
    available = block + contract.carried_in_minutes
    within = min(used, available)
    paid = max(within, minimum)
    cap = round_half_up(block * int(terms.carry_forward_cap * 100), 10000)
    carry_out = min(max(available - paid, 0), cap)
    offset_out = max(used - available, 0)
    refs_block = terms.ref("billing.model")
    refs_carry = terms.ref("billing.carry_forward_cap")
    out_lines = [
        _line(
            contract,
            start,
            f"Block hours used: {contract.name}",
            within,
            rate,
            refs_block + (refs_carry if contract.carried_in_minutes else ()),
            f"{hours(delivered)} hours delivered"
            + (
                f" + {hours(contract.offset_in_minutes)} offset from the last period"
                if contract.offset_in_minutes
                else ""
            )
            + f", paid up to the {hours(available)} hours available (block {period_hours}"
            + (
                f" + {hours(contract.carried_in_minutes)} carried in"
                if contract.carried_in_minutes
                else ""
            )
            + ").",
        )
    ]
    if paid > within:
        out_lines.append(
            _line(
                contract,
                start,
                f"Minimum guarantee: {contract.name}",
                paid - within,
                rate,
                refs_block,
                f"The block guarantees payment for its minimum of {levels.minimum_period} hours a "
                f"period; {hours(within)} were used.",
            )
        )
    warnings = []
    if offset_out:
        out_lines.append(
            InvoiceLine(
                None,
                f"block:{contract.contract_id}",
                "",
                start,
                f"Demand beyond the block: offset against the next period ({contract.name})",
                hours(offset_out),
                "hours",
                offset_out,
                Decimal(0),
                0,
                _refs(terms, "LAN-ST-4.18"),
                f"{hours(offset_out)} hours delivered beyond the {hours(available)} available are "
                "offset against the following payment period.",
            )
        )
        warnings.append(
            PricingWarning(
                f"block {contract.name}: {hours(offset_out)} hours beyond the block and carried "
                "hours, offset against the next period",
                _refs(terms, "LAN-ST-4.18"),
            )
        )
    weeks = tuple(
        BlockWeek(monday, week_hours * 60, levels.maximum_week * 60, weekly[n])
        for n, monday in enumerate(mondays)
    )
    for week in weeks:
        if week.delivered_minutes > week.maximum_minutes:
            warnings.append(
                PricingWarning(
                    f"block {contract.name}: week of {week.week_start} delivered "
                    f"{hours(week.delivered_minutes)} hours, above the maximum level of "
                    f"{levels.maximum_week}",
                    refs_block,
                )
            )
    usage = gauge(terms, contract, start, used)
    if usage.alert:
        warnings.append(
            PricingWarning(
                f"block {contract.name}: {usage.percent}% of the available hours used "
                f"(alert at {terms.usage_alert}%)",
                usage.refs,
            )
        )
    return BlockPeriod(
        contract_id=contract.contract_id,
        name=contract.name,
        period_start=start,
        period_end=end,
        block_minutes=block,
        minimum_minutes=minimum,
        maximum_minutes=levels.maximum_period * 60,
        carried_in_minutes=contract.carried_in_minutes,
        offset_in_minutes=contract.offset_in_minutes,
        delivered_minutes=delivered,
        used_minutes=used,
        available_minutes=available,
        paid_minutes=paid,
        carry_out_minutes=carry_out,
        offset_out_minutes=offset_out,
        weeks=weeks,
        gauge=usage,
        lines=tuple(out_lines),
        warnings=tuple(warnings),
    )


def _line(contract, start, description, minutes, rate, refs, explanation) -> InvoiceLine:
    return InvoiceLine(
        None,
        f"block:{contract.contract_id}",
        "",
        start,
        description,
        hours(minutes),
        "hours",
        minutes,
        pence_to_pounds(round_half_up(rate, 100)),
        pence(rate, minutes),
        refs,
        explanation,
    )


def _refs(terms: Terms, ref: str) -> tuple[str, ...]:
    return (ref,) if terms.slug == "lan-st" else ()


def _check_overlaps(contracts: tuple[BlockContract, ...]) -> None:
    spans: dict[str, list[tuple[date, date | None, str]]] = {}
    for contract in contracts:
        for package_id in contract.package_ids:
            spans.setdefault(package_id, []).append(
                (contract.valid_from, contract.valid_to, contract.contract_id)
            )
        spans.setdefault(f"contract {contract.contract_id}", []).append(
            (contract.valid_from, contract.valid_to, contract.contract_id)
        )
    for owner, items in spans.items():
        items.sort(key=lambda item: item[0])
        for before, after in itertools.pairwise(items):
            if before[1] is None or before[1] >= after[0]:
                what = owner if owner.startswith("contract") else f"package {owner}"
                raise PricingError(
                    f"{what}: block contract periods overlap (from {before[0]} in "
                    f"{before[2]} and from {after[0]} in {after[2]})"
                )
