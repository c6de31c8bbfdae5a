"""Drawing an invoice: lines from the visits that happened, priced by the contract's rules."""

from decimal import Decimal

from homecare.billing import services
from homecare.billing.models import InvoiceLine


def test_each_delivered_visit_is_one_line_priced_by_the_hourly_rate(world, invoice, delivered):
    """LAN-HC (billing.model = hourly): a 45-minute visit is paid 45/60 of £22.50."""
    lines = list(invoice.lines.filter(archived_at__isnull=True))
    assert len(lines) == len(delivered) == invoice.line_count
    assert {line.visit_id for line in lines} == {v.pk for v in delivered}
    first = lines[0]
    assert first.amount == Decimal("16.88")
    assert first.individual == world["person"]
    assert first.package == world["package"]
    assert first.explanation
    assert invoice.total == sum(line.amount for line in lines)
    assert invoice.status == "draft"
    assert invoice.organisation == world["provider"]
    assert invoice.council == world["council"]


def test_drawing_the_same_period_again_gives_the_same_invoice_to_the_penny(world, invoice, period):
    before = [
        (ln.visit_id, ln.description, ln.quantity, ln.unit_price, ln.amount, ln.refs)
        for ln in invoice.lines.filter(archived_at__isnull=True)
    ]
    again = services.invoice_draft(
        by=world["coordinator"], contract=world["contract"], period=period
    )
    after = [
        (ln.visit_id, ln.description, ln.quantity, ln.unit_price, ln.amount, ln.refs)
        for ln in again.lines.filter(archived_at__isnull=True)
    ]
    assert again.pk == invoice.pk
    assert again.total == invoice.total
    assert after == before
    # The replaced lines are archived, never deleted.
    assert InvoiceLine.objects.filter(invoice=invoice).count() == 2 * len(before)


def test_a_kent_line_names_the_clause_that_priced_it(world, dates):
    """KENT-3.7.2: a three-quarter hour of day support is paid at 80% of the hourly rate."""
    from datetime import timedelta

    from tests import factories as f
    from tests.billing.conftest import deliver

    first = dates[0]
    contract = f.ContractFactory(
        organisation=world["council"],
        provider=world["provider"],
        rulebook="kent",
        kind="spot",
        hourly_rate=Decimal("20.00"),
        starts_on=first - timedelta(days=7),
    )
    package = f.CarePackageFactory(
        contract=contract, individual=world["person"], start_date=first - timedelta(days=7)
    )
    last = first + timedelta(days=6)
    deliver(package, by=world["coordinator"], first=first, last=last, weekdays=[0])
    period = services.billing_period_open(by=world["commissioner"], contract=contract, start=first)
    services.billing_period_close(by=world["commissioner"], period=period)
    invoice = services.invoice_draft(by=world["coordinator"], contract=contract, period=period)
    line = invoice.lines.get()
    assert "KENT-3.7.2" in line.refs
    assert line.amount == Decimal("16.00")
