"""Block gauges, the carry-forward, the 80% alert (LAN-ST-9.5) and the daily capacity
update (LAN-ST-9.4)."""

from datetime import datetime, time, timedelta

import time_machine
from django.urls import reverse
from django.utils import timezone

from homecare.billing import blocks, services
from homecare.core.schedule import PERIODIC
from homecare.notifications.models import Notification


def _close_and_invoice(world, contract, start):
    period = services.billing_period_open(by=world["commissioner"], contract=contract, start=start)
    services.billing_period_close(by=world["commissioner"], period=period)
    return services.invoice_draft(by=world["coordinator"], contract=contract, period=period)


def test_a_closed_block_period_pays_what_was_used_and_carries_the_rest(world, block, dates):
    """LAN-ST-4.17: 84 of 100 block hours used; the 16 unused (under the 20-hour cap,
    20% of the block) carry to the next period."""
    invoice = _close_and_invoice(world, block["contract"], dates[0])
    used = invoice.lines.get(description__startswith="Block hours used")
    assert used.quantity == 84
    assert used.amount == 84 * 20
    assert invoice.carried_out_minutes == 16 * 60
    assert "LAN-ST-4.1" in used.refs


def test_the_carry_forward_is_capped_at_20_percent_of_the_block(world, block, dates):
    """LAN-ST-4.17: 'any unused hours (to a maximum of 20% of the block)'."""
    from homecare.packages.models import Visit

    Visit.objects.filter(package=block["package"], date__gte=dates[0] + timedelta(days=7)).update(
        status=Visit.Status.CANCELLED
    )
    invoice = _close_and_invoice(world, block["contract"], dates[0])
    # 21 hours used, 80 minimum paid, 100 available: 20 unused beyond the minimum, capped at 20.
    assert invoice.carried_out_minutes == 20 * 60
    assert invoice.lines.filter(description__startswith="Minimum guarantee").exists()


def test_the_gauge_shows_the_carry_forward_from_the_last_period(world, block, dates):
    first = dates[0]
    _close_and_invoice(world, block["contract"], first)
    # Two weeks into the next period: 16 hours were carried in.
    now = timezone.make_aware(datetime.combine(first + timedelta(days=28 + 13), time(12)))
    status = blocks.block_status(block["contract"], now=now)
    assert status.period_start == first + timedelta(days=28)
    assert status.gauge.carried_in_minutes == 16 * 60
    assert status.gauge.available_minutes == 116 * 60
    assert status.period.carried_in == 16 * 60


def test_the_council_is_told_once_when_usage_reaches_80_percent(world, block, dates, settings):
    """LAN-ST-9.5: notify the Authority when usage of the block hours reaches 80%."""
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    world["council"].email = "contracts@lancashire.example"
    world["council"].save()
    first, last = dates
    # The last day of the period: 84 of 100 hours used.
    now = timezone.make_aware(datetime.combine(last, time(23)))
    status = blocks.block_status(block["contract"], now=now)
    assert status.period_start == first
    assert status.gauge.percent == 84
    assert status.gauge.alert
    with_commit = blocks.blocks_watch(now=now)
    assert with_commit["alerts"] == 1
    blocks.blocks_watch(now=now + timedelta(minutes=15))
    alerts = Notification.objects.filter(kind="block_usage")
    assert alerts.count() == 1
    assert "84" in alerts.get().subject
    assert alerts.get().refs == ["LAN-ST-9.5"]


def test_no_alert_below_80_percent(world, block, dates):
    first, _ = dates
    now = timezone.make_aware(datetime.combine(first + timedelta(days=13), time(23)))
    status = blocks.block_status(block["contract"], now=now)
    assert status.gauge.percent == 42
    assert not status.gauge.alert
    assert blocks.block_alert_raise(status=status, now=now) is None


def test_the_daily_capacity_update_is_sent_once_a_day_due_by_10(world, block, dates, settings):
    """LAN-ST-9.4: a daily update by 10am: hours used, people on the service, capacity
    and pressures."""
    first, _ = dates
    day = first + timedelta(days=9)
    now = timezone.make_aware(datetime.combine(day, time(6, 15)))
    with time_machine.travel(now, tick=False):
        blocks.blocks_watch()
    with time_machine.travel(now + timedelta(hours=1), tick=False):
        blocks.blocks_watch()
    update = Notification.objects.get(kind="capacity_update")
    assert timezone.localtime(update.deliver_by).time() == time(10)
    for words in ("Hours used this week", "People on the service: 1", "Capacity left", "Pressures"):
        assert words in update.body
    assert update.refs == ["LAN-ST-9.4"]
    assert "billing.watch_blocks" in PERIODIC


def test_the_blocks_page_draws_the_gauge_with_carry_forward_and_alert(world, login, block, dates):
    _close_and_invoice(world, block["contract"], dates[0])
    html = login(world["coordinator"]).get(reverse("billing:blocks")).content.decode()
    assert "<svg" in html
    assert "CON-BLOCK" in html
    assert "Carried forward into this period: <strong>16 h</strong>" in html
    capacity = login(world["commissioner"]).get(
        reverse("billing:capacity", args=[block["contract"].pk])
    )
    assert "People on the service" in capacity.content.decode()
    assert not Notification.objects.exists(), "pages send nothing: only the job does"


def test_the_capacity_page_is_only_for_block_contracts(world, login):
    response = login(world["commissioner"]).get(
        reverse("billing:capacity", args=[world["contract"].pk])
    )
    assert response.status_code == 404
