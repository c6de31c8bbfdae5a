"""Block contracts at a glance: hours used against the block this week and this
four-week period, the hours carried forward, the 80% alert (LAN-ST-9.5) and
the daily capacity update ready by 10:00 (LAN-ST-9.4).

Usage is read through :mod:`homecare.billing.delivery`; the gauge's arithmetic
(available hours, share used, the alert) is the pricing engine's
(:func:`homecare.domain.pricing.blocks.gauge`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from homecare.domain.pricing.blocks import BlockGauge
from homecare.organisations.models import Contract
from homecare.packages.models import CarePackage

from . import delivery, pricing_inputs
from .models import BillingPeriod, BlockAlert

PERIOD_DAYS = 28


def current_period(contract: Contract, today: date) -> tuple[date, date]:
    """The four-week period holding ``today``: a recorded period, else the one
    following the last recorded (or the contract's first Monday) in steps of four weeks."""
    periods = list(
        BillingPeriod.objects.filter(contract=contract, archived_at__isnull=True, start__lte=today)
        .order_by("-start")
        .values_list("start", "end")[:1]
    )
    if periods and periods[0][1] >= today:
        return periods[0]
    anchor = (
        periods[0][1] + timedelta(days=1)
        if periods
        else contract.starts_on - timedelta(days=contract.starts_on.weekday())
    )
    steps = max((today - anchor).days, 0) // PERIOD_DAYS
    start = anchor + timedelta(days=PERIOD_DAYS * steps)
    return start, start + timedelta(days=PERIOD_DAYS - 1)


@dataclass(frozen=True)
class Bar:
    """One gauge: minutes used against the levels, with positions in percent of
    the drawn scale (the maximum plus what was carried in)."""

    label: str
    used: int
    minimum: int
    block: int
    maximum: int
    carried_in: int = 0
    alert_at: int | None = None

    @property
    def scale(self) -> int:
        return max(self.maximum + self.carried_in, self.used, 1)

    def at(self, minutes: int) -> float:
        return round(min(minutes / self.scale * 100, 100), 1)

    @property
    def used_pos(self):
        return self.at(self.used)

    @property
    def min_pos(self):
        return self.at(self.minimum)

    @property
    def block_pos(self):
        return self.at(self.block)

    @property
    def carried_pos(self):
        return self.at(self.block + self.carried_in)

    @property
    def max_pos(self):
        return self.at(self.maximum)

    @property
    def carried_width(self):
        return round(self.carried_pos - self.block_pos, 1)

    @property
    def alert_pos(self):
        return None if self.alert_at is None else self.at(self.alert_at)

    @property
    def used_hours(self):
        return hours(self.used)

    @property
    def minimum_hours(self):
        return hours(self.minimum)

    @property
    def block_hours(self):
        return hours(self.block)

    @property
    def maximum_hours(self):
        return hours(self.maximum)

    @property
    def carried_hours(self):
        return hours(self.carried_in)

    @property
    def over_maximum(self) -> bool:
        return self.used > self.maximum


@dataclass(frozen=True)
class BlockStatus:
    contract: Contract
    today: date
    period_start: date
    period_end: date
    week_start: date
    week: Bar
    period: Bar
    gauge: BlockGauge
    people: int
    packages: int
    carry_out_if_ended_now: int
    alert: BlockAlert | None

    @property
    def gauge_cap_hours(self) -> str:
        return hours(self.gauge.carry_forward_cap_minutes)

    @property
    def carry_out_if_ended_now_hours(self) -> str:
        return hours(self.carry_out_if_ended_now)

    @property
    def pressures(self) -> list[str]:
        found = []
        if self.gauge.alert:
            found.append(
                f"{self.gauge.percent}% of the period's available hours used "
                f"(the council is told at {self.gauge.alert_percent}%, LAN-ST-9.5)."
            )
        if self.week.over_maximum:
            found.append("This week is above the block's weekly maximum.")
        if self.period.used > self.gauge.available_minutes:
            found.append(
                "Demand is beyond the block and carried hours: the excess is offset against "
                "the next period (LAN-ST-4.18)."
            )
        return found


def hours(minutes: int) -> str:
    value = Decimal(minutes) / 60
    return f"{value.quantize(Decimal('0.1'))}".removesuffix(".0")


def block_contracts(queryset):
    """The block contracts of ``queryset`` (paid as a block by their rulebook)."""
    return [c for c in queryset.filter(kind=Contract.Kind.BLOCK) if pricing_inputs.is_block(c)]


def block_status(contract: Contract, *, now: datetime | None = None) -> BlockStatus:
    now = now or timezone.now()
    today = timezone.localtime(now).date()
    first, last = current_period(contract, today)
    monday = today - timedelta(days=today.weekday())
    period_used = week_used = 0
    people: set[str] = set()
    for record in delivery.deliveries(contract_id=contract.pk, first=first, last=today):
        if record.actual_start is None or record.actual_end is None:
            continue
        minutes = int((record.actual_end - record.actual_start).total_seconds() // 60)
        minutes *= record.workers
        period_used += minutes
        people.add(record.person_id)
        if record.date >= monday:
            week_used += minutes
    usage = pricing_inputs.block_gauge(contract, first, period_used)
    low = contract.block_minutes_min or 0
    start = contract.block_minutes_start or 0
    high = contract.block_minutes_max or start
    alert_at = int(usage.available_minutes * usage.alert_percent / 100)
    packages = (
        CarePackage.objects.filter(contract=contract, archived_at__isnull=True, status="active")
        .exclude(end_date__lt=today)
        .count()
    )
    paid = max(min(usage.used_minutes, usage.available_minutes), 4 * low)
    carry_out = min(max(usage.available_minutes - paid, 0), usage.carry_forward_cap_minutes)
    return BlockStatus(
        contract=contract,
        today=today,
        period_start=first,
        period_end=last,
        week_start=monday,
        week=Bar("This week", week_used, low, start, high),
        period=Bar(
            "This four-week period",
            usage.used_minutes,
            4 * low,
            usage.block_minutes,
            4 * high,
            carried_in=usage.carried_in_minutes,
            alert_at=alert_at,
        ),
        gauge=usage,
        people=len(people),
        packages=packages,
        carry_out_if_ended_now=carry_out,
        alert=BlockAlert.objects.filter(contract=contract, period_start=first).first(),
    )


def previous_status(status: BlockStatus) -> BlockStatus:
    """The block as it stood at the end of the period before ``status``'s."""
    evening = timezone.make_aware(
        datetime.combine(status.period_start - timedelta(days=1), datetime.max.time())
    )
    return block_status(status.contract, now=evening)


# ---------------------------------------------------------------- telling the council


@transaction.atomic
def block_alert_raise(*, status: BlockStatus, now=None) -> BlockAlert | None:
    """Tell the council once per period that usage reached ``block.usage_alert`` (LAN-ST-9.5)."""
    from homecare.notifications.services import notification_raise

    if not status.gauge.alert:
        return None
    contract = status.contract
    key = f"block-usage:{contract.pk}:{status.period_start.isoformat()}"
    alert, created = BlockAlert.objects.get_or_create(
        event_key=key,
        defaults={
            "organisation_id": contract.provider_id,
            "contract": contract,
            "period_start": status.period_start,
            "usage_percent": status.gauge.percent,
            "raised_at": now or timezone.now(),
        },
    )
    if created:
        notification_raise(
            kind="block_usage",
            provider=contract.provider,
            council=contract.organisation,
            subject=(
                f"Block {contract.reference}: {status.gauge.percent}% of the period's hours used"
            ),
            body=(
                f"Block contract {contract.reference}, four-week period from "
                f"{status.period_start:%-d %B %Y}: {hours(status.gauge.used_minutes)} of "
                f"{hours(status.gauge.available_minutes)} hours available used "
                f"(block {hours(status.gauge.block_minutes)} + "
                f"{hours(status.gauge.carried_in_minutes)} carried forward). The council is "
                f"told at {status.gauge.alert_percent}%."
            ),
            refs=list(status.gauge.refs) or ["LAN-ST-9.5"],
            event_key=key,
        )
    return alert


def capacity_text(status: BlockStatus) -> str:
    """The daily capacity update (LAN-ST-9.4): hours used, people, capacity, pressures."""
    g = status.gauge
    lines = [
        f"Capacity update for block {status.contract.reference} on {status.today:%A %-d %B %Y}.",
        "",
        f"Hours used this week (from {status.week_start:%-d %b}): {hours(status.week.used)} "
        f"of {hours(status.week.block)} (minimum {hours(status.week.minimum)}, maximum "
        f"{hours(status.week.maximum)}).",
        f"Hours used this period ({status.period_start:%-d %b} to {status.period_end:%-d %b}): "
        f"{hours(g.used_minutes)} of {hours(g.available_minutes)} available "
        f"({g.percent}%; block {hours(g.block_minutes)} + {hours(g.carried_in_minutes)} "
        "carried forward).",
        f"People on the service: {status.people} ({status.packages} active packages).",
        f"Capacity left this period: {hours(g.remaining_minutes)} hours.",
        "Pressures: " + (" ".join(status.pressures) or "none reported."),
    ]
    return "\n".join(lines)


@transaction.atomic
def capacity_update_send(*, status: BlockStatus, now=None):
    """Send today's capacity update to the council, once a day, due by the
    rulebook's ``block.capacity_update_by`` (10:00, LAN-ST-9.4)."""
    from homecare.notifications.services import notification_raise

    now = now or timezone.now()
    contract = status.contract
    entry = contract.rules().entry("block.capacity_update_by")
    due = timezone.make_aware(datetime.combine(status.today, entry.value))
    minutes = max(int((due - now).total_seconds() // 60), 0)
    return notification_raise(
        kind="capacity_update",
        provider=contract.provider,
        council=contract.organisation,
        subject=f"Capacity update: block {contract.reference}, {status.today:%-d %B %Y}",
        body=capacity_text(status),
        refs=list(entry.ref) or ["LAN-ST-9.4"],
        event_key=f"capacity:{contract.pk}:{status.today.isoformat()}",
        deliver_within_minutes=minutes,
    )


def blocks_watch(*, now=None) -> dict:
    """For every live block contract: raise the 80% alert if due, and send the
    day's capacity update (both once only)."""
    now = now or timezone.now()
    contracts = block_contracts(
        Contract.objects.filter(
            archived_at__isnull=True, status=Contract.Status.LIVE
        ).select_related("organisation", "provider")
    )
    alerts = updates = 0
    for contract in contracts:
        status = block_status(contract, now=now)
        if block_alert_raise(status=status, now=now) is not None:
            alerts += 1  # alerted this period (now or before)
        capacity_update_send(status=status, now=now)
        updates += 1
    return {"contracts": len(contracts), "alerts": alerts, "updates": updates}
