"""The demo's money: the last four weeks delivered, closed and invoiced.

For the four whole weeks (Monday to Sunday) before this one: each package's
visits from its pattern (most completed, a few missed or cancelled, seeded),
the last two weeks' completed and missed ones rostered to the workers the person's
regular team plans for them on a normal week (so that the weeks before any day show
each person's usual workers, as a provider's records do), every contract's rates, its payment periods opened and closed, and each
period's invoice drawn through the pricing engine and submitted; the older
ones approved or paid. The short-term block is sized so its last period used
about 85% of its hours: the 80% alert (LAN-ST-9.5) was raised to the council
and the unused hours carry forward into this period (LAN-ST-4.17).

Visits some other part of the demo already wrote for those days are left as
they are (one visit per pattern entry per date).
"""

from __future__ import annotations

from datetime import datetime, time, timedelta

from django.utils import timezone

from homecare.billing import blocks, pricing_inputs, services
from homecare.billing.models import ContractRate
from homecare.domain.patterns import occurrences
from homecare.packages.models import Visit

from . import bulk, rostering, schedule

REASON = "Delivered (demo)"
_COLUMNS = (*schedule._COLUMNS, "status")
#: Share of past visits missed and cancelled (the rest were completed).
MISSED, CANCELLED = 0.01, 0.015


def last_four_weeks(today):
    monday = today - timedelta(days=today.weekday())
    return monday - timedelta(days=28), monday - timedelta(days=1)


def build(builder) -> dict:
    """Deliver, close and invoice the last four weeks; returns counts for the summary."""
    first, last = last_four_weeks(builder.today)
    delivered = _past_visits(builder, first, last)
    contracts = [*builder.contracts.values()]
    if builder.short_term is not None:
        contracts.append(builder.short_term)
    for contract in contracts:
        contract.refresh_from_db()
        ContractRate.objects.create(
            organisation_id=contract.organisation_id,
            contract=contract,
            valid_from=contract.starts_on,
            hourly_rate=contract.hourly_rate,
            night_session_rate=contract.night_rate or contract.hourly_rate * 7,
        )
    if builder.short_term is not None:
        _size_block(builder.short_term, first, last)
    invoices = 0
    for n, contract in enumerate(contracts):
        for k, period in enumerate(_periods(contract, first, last)):
            invoice = services.invoice_draft(by=None, contract=contract, period=period)
            invoices += 1
            _progress(invoice, contract, (n + k) % 3)
    if builder.short_term is not None:
        evening = timezone.make_aware(datetime.combine(last, time(21)))
        status = blocks.block_status(builder.short_term, now=evening)
        blocks.block_alert_raise(status=status, now=evening)
    return {"delivered_visits": delivered, "invoices": invoices}


def _past_visits(builder, first, last) -> int:
    """Write the visits of ``first``..``last`` from the patterns, with how they went."""
    rng = builder.rng
    existing = set(
        Visit.objects.filter(date__gte=first, date__lte=last).values_list(
            "pattern_entry_id", "date"
        )
    )
    count = 0
    delivered = []  # (visit id, package, the pattern line, date)
    recent = last - timedelta(days=rostering.DELIVERED_DAYS - 1)
    with bulk.Inserter(Visit, columns=_COLUMNS, reason=REASON) as table:
        for plan in builder.people:
            package = plan.package
            if package.status == "proposed":
                continue
            start = max(first, package.start_date)
            end = min(last, package.end_date or last)
            if package.status in ("suspended", "ceased"):
                end = min(end, package.status_effective_on - timedelta(days=1))
            if end < start:
                continue
            for entry in builder.entries[package.id]:
                line = entry.line
                for occ in occurrences([schedule._line(line)], start, end):
                    if (entry.id, occ.date) in existing:
                        continue
                    roll = rng.random()
                    status = (
                        Visit.Status.MISSED
                        if roll < MISSED
                        else Visit.Status.CANCELLED
                        if roll < MISSED + CANCELLED
                        else Visit.Status.COMPLETED
                    )
                    visit_id = builder.ids()
                    table.add_row((
                        visit_id, package.organisation_id, package.id,
                        package.individual_id, entry.id, occ.date, line.kind, occ.start,
                        occ.end, occ.minutes, line.window_minutes, line.workers_required,
                        entry.tasks, status,
                    ))  # fmt: skip
                    count += 1
                    if status != Visit.Status.CANCELLED and occ.date >= recent:
                        delivered.append((visit_id, package, line, occ.date))
    rostering.save_delivered(delivered, builder.teams, builder.workers)
    return count


def _size_block(contract, first, last) -> None:
    """Block levels so the last period used about 85% of the block (whole hours a
    period, so a week's levels are in quarters of an hour)."""
    used = sum(
        (r.actual_end - r.actual_start).total_seconds() // 60 * r.workers
        for r in pricing_inputs.delivery.deliveries(contract_id=contract.pk, first=first, last=last)
    )
    period_hours = max(1, round(used / 60 / 0.85))
    contract.block_minutes_start = period_hours * 15
    contract.block_minutes_min = int(period_hours * 0.8) * 15
    contract.block_minutes_max = -(-period_hours * 6 // 5) * 15
    contract.save(update_fields=["block_minutes_start", "block_minutes_min", "block_minutes_max"])


def _periods(contract, first, last):
    """Open and close the contract's payment periods covering ``first``..``last``."""
    start = first
    while start <= last:
        period = services.billing_period_open(by=None, contract=contract, start=start)
        services.billing_period_close(by=None, period=period)
        yield period
        start = period.end + timedelta(days=1)


def _progress(invoice, contract, stage) -> None:
    """Every invoice submitted; by ``stage`` (0, 1, 2) left there, approved, or paid."""
    by = _office(contract.provider_id)
    council = _office(contract.organisation_id, create=False)
    services.invoice_submit(by=by, invoice=invoice)
    if stage and council is not None:
        services.invoice_approve(by=council, invoice=invoice)
        if stage == 2:
            services.invoice_mark_paid(by=council, invoice=invoice)


def _office(organisation_id, *, create=True):
    """Someone who acts for the organisation (a service records who): the demo
    login, or for a provider without one its (sign-in-less) accounts office."""
    from homecare.accounts.models import Role, User
    from homecare.organisations.models import Organisation

    found = (
        User.objects.filter(
            organisation_id=organisation_id,
            role__in=[
                Role.PROVIDER_MANAGER,
                Role.PROVIDER_COORDINATOR,
                Role.COUNCIL_COMMISSIONER,
                Role.COUNCIL_BROKER,
            ],
        )
        .order_by("role", "username")
        .first()
    )
    if found is None and create:
        organisation = Organisation.objects.get(pk=organisation_id)
        found = User(
            username=f"accounts-{str(organisation_id)[:8]}",
            first_name="Accounts",
            last_name="Office",
            organisation=organisation,
            role=Role.PROVIDER_MANAGER,
            is_active=False,
        )
        found.set_unusable_password()
        found.save()
    return found
