"""The pricing engine's inputs, read from the database: one contract, one span of days.

``price(contract, first, last)`` gathers the contract's rulebook, its rates
(``ContractRate``, or the contract's own hourly and night rates where it has
none), the hours commissioned per package (its weekly pattern), the visits that
happened (:mod:`homecare.billing.delivery`), hospital admissions and, for a
block contract, the block and what the previous period carried in; then calls
:func:`homecare.domain.pricing.price_period`. ``planned=True`` prices what the
council commissioned instead of what was delivered (the council's check).
"""

from __future__ import annotations

from datetime import date, timedelta

from django.db.models import F, Sum
from django.utils import timezone

from homecare.domain.pricing import (
    BlockContract,
    BlockLevels,
    CommissionedHours,
    PricedPeriod,
    Tariff,
    price_period,
)
from homecare.domain.pricing.blocks import BlockGauge, gauge
from homecare.domain.pricing.units import Terms
from homecare.organisations.models import Contract
from homecare.packages.models import CarePackage, PatternEntry

from . import delivery


def tariffs(contract: Contract) -> list[Tariff]:
    rows = list(
        contract.rates.filter(archived_at__isnull=True).values_list(
            "valid_from", "valid_to", "hourly_rate", "night_session_rate", "complex_hourly_rate"
        )
    )
    if rows:
        return [Tariff(*row) for row in rows]
    return [
        Tariff(
            valid_from=contract.starts_on,
            valid_to=contract.ends_on,
            hourly_rate=contract.hourly_rate,
            night_session_rate=contract.night_rate,
            label=f"contract {contract.reference}",
        )
    ]


def _packages(contract: Contract, first: date, last: date):
    return (
        CarePackage.objects.filter(
            archived_at__isnull=True, contract=contract, start_date__lte=last
        )
        .exclude(end_date__lt=first)
        .exclude(status="proposed")
    )


def commissions(contract: Contract, first: date, last: date) -> list[CommissionedHours]:
    """Each package's weekly hours from its live pattern (KENT-3.7.4.2: the SDO)."""
    packages = _packages(contract, first, last)
    weekly = dict(
        PatternEntry.objects.filter(archived_at__isnull=True, package__in=packages)
        .values("package_id")
        .annotate(minutes=Sum(F("duration_minutes") * F("workers_required")))
        .values_list("package_id", "minutes")
    )
    model = "personal_budget" if contract.kind == Contract.Kind.PERSONAL_BUDGET else "time_and_task"
    return [
        CommissionedHours(
            package_id=str(pk),
            person_id=str(person),
            weekly_minutes=weekly.get(pk, 0),
            valid_from=start,
            valid_to=end,
            model=model,
        )
        for pk, person, start, end in packages.values_list(
            "pk", "individual_id", "start_date", "end_date"
        )
    ]


def is_block(contract: Contract) -> bool:
    """A block contract paid as a block (its rulebook's ``billing.model`` is ``block``)."""
    return (
        contract.kind == Contract.Kind.BLOCK
        and contract.block_minutes_start is not None
        and contract.rules().value("billing.model") == "block"
    )


def block_contract(
    contract: Contract, first: date, last: date, *, carried_in=0, offset_in=0
) -> BlockContract:
    """The block as the engine reads it: levels a week and a four-week period (LAN-ST-4.1)."""
    low, start, high = (
        contract.block_minutes_min or 0,
        contract.block_minutes_start or 0,
        contract.block_minutes_max or contract.block_minutes_start or 0,
    )
    rate = next((t for t in tariffs(contract) if t.covers(first)), None)
    return BlockContract(
        contract_id=str(contract.pk),
        name=contract.reference,
        hourly_rate=rate.hourly_rate if rate else contract.hourly_rate,
        levels=BlockLevels(
            minimum_week=low // 60,
            start_week=start // 60,
            maximum_week=high // 60,
            minimum_period=4 * low // 60,
            start_period=4 * start // 60,
            maximum_period=4 * high // 60,
        ),
        package_ids=frozenset(
            str(pk) for pk in _packages(contract, first, last).values_list("pk", flat=True)
        ),
        valid_from=contract.starts_on,
        valid_to=contract.ends_on,
        carried_in_minutes=carried_in,
        offset_in_minutes=offset_in,
    )


def carried_in(contract: Contract, first: date) -> tuple[int, int]:
    """(carried, offset) minutes the previous period's invoice passed on (LAN-ST-4.17, 4.18)."""
    from .models import Invoice

    before = (
        Invoice.objects.filter(
            contract=contract, archived_at__isnull=True, period__end=first - timedelta(days=1)
        )
        .values_list("carried_out_minutes", "offset_out_minutes")
        .first()
    )
    return before or (0, 0)


def price(contract: Contract, first: date, last: date, *, planned=False, now=None) -> PricedPeriod:
    """Price the contract's period ``first``..``last``; raises PricingError on broken data."""
    blocks = ()
    if is_block(contract):
        carried, offset = carried_in(contract, first)
        blocks = (block_contract(contract, first, last, carried_in=carried, offset_in=offset),)
    visits = (
        record.for_pricing(planned=planned)
        for record in delivery.deliveries(
            contract_id=contract.pk, first=first, last=last, planned=planned
        )
    )
    return price_period(
        rulebook=contract.rules(),
        period_start=first,
        period_end=last,
        now=now or timezone.now(),
        tariffs=tariffs(contract),
        commissions=commissions(contract, first, last),
        visits=visits,
        admissions=delivery.hospital_holds(contract_id=contract.pk, first=first, last=last),
        blocks=blocks,
    )


def block_gauge(contract: Contract, first: date, used_minutes: int) -> BlockGauge:
    """Usage so far in the period that started ``first`` (LAN-ST-9.5)."""
    carried, offset = carried_in(contract, first)
    block = block_contract(contract, first, first + timedelta(days=27), carried_in=carried)
    return gauge(Terms.from_rulebook(contract.rules()), block, first, used_minutes + offset)
