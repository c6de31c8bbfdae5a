"""The last four weeks' invoice in a real browser, seen from both sides: the
provider's coordinator draws and submits it, the council's commissioner opens
the same invoice, clicks a line to the visit and the clause that priced it, and
checks it against the council's own records; the block gauge shows the hours
carried forward and the 80% alert (LAN-ST-4.17, LAN-ST-9.5)."""

import re

import pytest
from playwright.sync_api import expect

from homecare.billing import services
from tests.billing import conftest as billing
from tests.browser.conftest import FAILURES_DIR
from tests.browser.pages import new_page, screenshot, sign_in

# The billing worlds' fixtures (tests/billing/conftest.py), here too.
dates, rate, delivered, period, block = (
    billing.dates,
    billing.rate,
    billing.delivered,
    billing.period,
    billing.block,
)


@pytest.fixture
def signed_in(request, browser, live_server):
    pages = []

    def _signed_in(user):
        page = new_page(browser, live_server.url)
        pages.append((user, page))
        return sign_in(page, user)

    yield _signed_in
    report = getattr(request.node, "report_call", None)
    for user, page in pages:
        if report is not None and report.failed:
            FAILURES_DIR.mkdir(exist_ok=True)
            page.screenshot(path=FAILURES_DIR / f"{request.node.name}-{user.username}.png")
        page.context.close()


@pytest.mark.django_db(transaction=True)
def test_provider_and_council_see_the_same_invoice_line_visit_clause_and_gauge(
    world, period, block, dates, signed_in
):
    # The block's last period closed and invoiced: 84% used, 16 hours carried forward.
    block_period = services.billing_period_open(
        by=world["commissioner"], contract=block["contract"], start=dates[0]
    )
    services.billing_period_close(by=world["commissioner"], period=block_period)
    services.invoice_draft(by=world["coordinator"], contract=block["contract"], period=block_period)

    # The provider draws the closed period's invoice and submits it.
    provider = signed_in(world["coordinator"])
    provider.goto(f"/billing/contracts/{world['contract'].pk}/")
    provider.get_by_role("button", name="Draw the invoice").click()
    expect(provider.get_by_role("heading", name=re.compile("Invoice INV-"))).to_be_visible()
    total = provider.locator("#invoice-total").inner_text()
    number = period.invoices.get().number
    provider.get_by_role("button", name=re.compile("Submit to")).click()
    expect(provider.get_by_text("Submitted").first).to_be_visible()
    expect(provider.get_by_role("heading", name="Margaret Entwistle-Quayle")).to_be_visible()

    # The council opens the same invoice from its list: the same total.
    council = signed_in(world["commissioner"])
    council.goto("/billing/")
    council.get_by_role("link", name=number).click()
    expect(council.locator("#invoice-total")).to_have_text(total)

    # A click on a line: the visit behind it and the clause words from the rulebook.
    council.locator("table.lines tr.line").first.click()
    expect(council.get_by_role("heading", name=re.compile("^Line 1"))).to_be_visible()
    expect(council.locator("#visits tbody tr")).to_have_count(1)
    expect(council.locator("#visits")).to_contain_text("Completed")
    expect(council.locator("#clauses")).to_contain_text("LAN-HC-4.1")
    expect(council.locator("#clauses")).to_contain_text("billing.duration_basis")
    screenshot(council, "invoice-line")

    # The council's own computation agrees line by line.
    council.go_back()
    council.get_by_role("link", name="Check against our records").click()
    expect(council.locator("#difference-count")).to_have_text("0")
    screenshot(council, "invoice-check")

    # The block gauge: carried forward into this period, and last period's 80% alert.
    provider.goto("/billing/blocks/")
    gauge = provider.locator("#block-CON-BLOCK")
    expect(gauge.locator("svg").first).to_be_visible()
    expect(gauge.locator(".carry-forward")).to_contain_text("16 h")
    expect(gauge.locator(".last-period .alert-text")).to_contain_text("84.0% used")
    expect(gauge.locator(".last-period .alert-line")).to_have_count(1)
    screenshot(provider, "block-gauge")
