"""Outsider cases for the billing pages (see tests/test_outsiders_get_404.py)."""

_INVOICE = ("billing_invoice", {}, "get")
_INVOICE_POST = ("billing_invoice", {}, "post")
DETAIL_ROUTES = {
    "billing:invoice": _INVOICE,
    "billing:invoice_check": _INVOICE,
    "billing:invoice_csv": _INVOICE,
    "billing:invoice_pdf": _INVOICE,
    "billing:invoice_submit": _INVOICE_POST,
    "billing:invoice_query": _INVOICE_POST,
    "billing:invoice_answer": _INVOICE_POST,
    "billing:invoice_approve": _INVOICE_POST,
    "billing:invoice_paid": _INVOICE_POST,
    "billing:credit_note_create": _INVOICE_POST,
    "billing:invoice_line": ("billing_line", {}, "get"),
    "billing:contract": ("contract", {}, "get"),
    "billing:period_open": ("contract", {}, "post"),
    "billing:period_close": ("billing_period", {}, "post"),
    "billing:invoice_draw": ("billing_period", {}, "post"),
    "billing:capacity": ("billing_block", {}, "get"),
}
LIST_ROUTES = {"billing:invoices": "INV-", "billing:blocks": "BLK-OUT"}


def build(everything):
    from datetime import timedelta
    from decimal import Decimal

    from homecare.billing import services
    from tests import factories as f
    from tests.billing.conftest import deliver, last_four_weeks

    first, last = last_four_weeks()
    package = everything["package"]
    package.start_date = first
    package.save(update_fields=["start_date"])
    deliver(package, by=everything["coordinator"], first=first, last=last, weekdays=[2])
    contract = everything["contract"]
    period = services.billing_period_open(by=everything["broker"], contract=contract, start=first)
    services.billing_period_close(by=everything["broker"], period=period)
    invoice = services.invoice_draft(by=everything["coordinator"], contract=contract, period=period)
    block = f.ContractFactory(
        organisation=everything["council"],
        provider=everything["provider"],
        rulebook="lan-st",
        kind="block",
        reference="BLK-OUT",
        hourly_rate=Decimal("20.00"),
        block_minutes_min=20 * 60,
        block_minutes_start=25 * 60,
        block_minutes_max=30 * 60,
        starts_on=first - timedelta(days=28),
    )
    return {
        "billing_invoice": invoice,
        "billing_line": invoice.lines.first(),
        "billing_period": period,
        "billing_block": block,
    }
