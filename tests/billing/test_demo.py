"""The demo's last four weeks are delivered, closed and invoiced (homecare/demo/billing.py)."""

import pytest

from homecare.billing import blocks
from homecare.billing.models import BlockAlert, Invoice
from homecare.demo.world import build_world
from homecare.organisations.models import Contract


@pytest.mark.django_db(transaction=True)
def test_the_demo_invoices_its_last_four_weeks_and_the_block_alerted():
    world = build_world(size="small", seed=7, scale=1.0)
    assert world.counts["invoices"] == Invoice.objects.count() >= 4
    assert world.counts["delivered_visits"] > 0
    assert not Invoice.objects.filter(status="draft").exists(), "all submitted to the council"
    assert Invoice.objects.filter(status="paid").exists()
    for invoice in Invoice.objects.all():
        assert invoice.total == sum(line.amount for line in invoice.lines.all())
    block = Contract.objects.get(kind="block")
    assert BlockAlert.objects.filter(contract=block).exists()
    status = blocks.block_status(block)
    assert status.gauge.carried_in_minutes > 0
