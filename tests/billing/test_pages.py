"""Invoice pages for both sides: the list, lines per person, a line's visits and
clause, CSV and PDF, the council's check, and the journey's buttons."""

import csv
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from homecare.billing import services
from homecare.packages.models import Visit


def _count(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize("who", ["coordinator", "commissioner"])
def test_both_sides_list_the_invoice_with_a_fixed_number_of_queries(
    world, login, invoice, period, who
):
    services.invoice_submit(by=world["coordinator"], invoice=invoice)
    client = login(world[who])
    url = reverse("billing:invoices")
    client.get(url)
    page = client.get(url).content.decode()
    assert invoice.number in page
    before = _count(client, url)
    # Eleven more periods invoiced: the page costs the same.
    from datetime import timedelta

    start = period.start
    for n in range(1, 3):
        p = services.billing_period_open(
            by=world["commissioner"], contract=world["contract"], start=start - timedelta(28 * n)
        )
        services.billing_period_close(by=world["commissioner"], period=p)
        more = services.invoice_draft(by=world["coordinator"], contract=world["contract"], period=p)
        services.invoice_submit(by=world["coordinator"], invoice=more)
    assert _count(client, url) == before


def test_the_blocks_page_costs_the_same_however_many_people_and_visits(world, login, block, dates):
    client = login(world["commissioner"])
    url = reverse("billing:blocks")
    client.get(url)
    before = _count(client, url)
    from tests import factories as f
    from tests.billing.conftest import deliver

    for _ in range(3):
        package = f.CarePackageFactory(
            contract=block["contract"], start_date=block["package"].start_date
        )
        deliver(package, by=world["coordinator"], first=dates[0], last=dates[1])
    assert _count(client, url) == before


def test_the_invoice_shows_lines_per_person_and_each_links_to_its_line(world, login, invoice):
    page = login(world["coordinator"]).get(reverse("billing:invoice", args=[invoice.pk]))
    html = page.content.decode()
    assert "Margaret Entwistle-Quayle" in html
    line = invoice.lines.order_by("position").first()
    assert reverse("billing:invoice_line", args=[line.pk]) in html
    assert f"£{invoice.total:,}" in html or f"£{invoice.total}" in html


def test_a_line_shows_its_visit_and_the_clause_words_from_the_rulebook(
    world, login, invoice, block, dates
):
    """LAN-ST-4.1: the block's clause is quoted beside the block line it priced."""
    services.invoice_submit(by=world["coordinator"], invoice=invoice)
    line = invoice.lines.order_by("position").first()
    html = (
        login(world["commissioner"])
        .get(reverse("billing:invoice_line", args=[line.pk]))
        .content.decode()
    )
    assert line.visit.planned_start.strftime("%Y") in html
    assert "LAN-HC-4.1" in html
    assert "billing.duration_basis" in html, "the rulebook entry that cites the clause"
    assert "up to 10 minutes of travel time" in html
    # A block line cites LAN-ST clauses, quoted from the lan-st rulebook.
    contract = block["contract"]
    first, _ = dates
    p = services.billing_period_open(by=world["commissioner"], contract=contract, start=first)
    services.billing_period_close(by=world["commissioner"], period=p)
    block_invoice = services.invoice_draft(by=world["coordinator"], contract=contract, period=p)
    block_line = block_invoice.lines.filter(description__startswith="Block hours used").get()
    html = (
        login(world["coordinator"])
        .get(reverse("billing:invoice_line", args=[block_line.pk]))
        .content.decode()
    )
    assert "LAN-ST-4.1" in html
    assert "guarantees payment for minimum volume of hours" in html
    assert "The visits it counts" in html


def test_csv_has_every_line_with_its_rule(world, login, invoice):
    response = login(world["coordinator"]).get(reverse("billing:invoice_csv", args=[invoice.pk]))
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert rows[0][:3] == ["invoice", "line", "person"]
    assert len(rows) == 1 + invoice.line_count
    assert sum(float(r[10]) for r in rows[1:]) == pytest.approx(float(invoice.total))


def test_pdf_is_a_pdf(world, login, invoice):
    services.invoice_submit(by=world["coordinator"], invoice=invoice)
    response = login(world["commissioner"]).get(reverse("billing:invoice_pdf", args=[invoice.pk]))
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")


def test_the_councils_check_highlights_a_visit_invoiced_but_missed(
    world, login, invoice, period, delivered
):
    """The council recomputes from its own records: a visit the provider invoiced as
    delivered but the council has as missed is shown as different."""
    services.invoice_submit(by=world["coordinator"], invoice=invoice)
    # The council's record of one visit: missed, shorter by the pattern change (planned 30 min).
    Visit.objects.filter(pk=delivered[2].pk).update(status=Visit.Status.CANCELLED)
    html = (
        login(world["commissioner"])
        .get(reverse("billing:invoice_check", args=[invoice.pk]))
        .content.decode()
    )
    assert "Not commissioned" in html
    assert 'id="difference-count">1<' in html
    assert "diff-not-commissioned" in html


def test_the_council_queries_from_the_page_and_the_provider_answers(world, login, invoice):
    services.invoice_submit(by=world["coordinator"], invoice=invoice)
    council = login(world["commissioner"])
    council.post(reverse("billing:invoice_query", args=[invoice.pk]), {"reason": "Why 3 Nov?"})
    invoice.refresh_from_db()
    assert invoice.status == "queried"
    provider = login(world["coordinator"])
    provider.post(reverse("billing:invoice_answer", args=[invoice.pk]), {"answer": "Delivered."})
    invoice.refresh_from_db()
    assert invoice.status == "submitted"


def test_an_empty_query_is_refused_with_a_message(world, login, invoice):
    services.invoice_submit(by=world["coordinator"], invoice=invoice)
    response = login(world["commissioner"]).post(
        reverse("billing:invoice_query", args=[invoice.pk]), {"reason": ""}, follow=True
    )
    assert "This field is required" in response.content.decode()
    invoice.refresh_from_db()
    assert invoice.status == "submitted"


def test_a_provider_cannot_approve_its_own_invoice(world, login, invoice):
    services.invoice_submit(by=world["coordinator"], invoice=invoice)
    response = login(world["coordinator"]).post(
        reverse("billing:invoice_approve", args=[invoice.pk])
    )
    assert response.status_code == 404
    invoice.refresh_from_db()
    assert invoice.status == "submitted"


def test_the_provider_credits_ticked_lines_from_the_page(world, login, invoice):
    services.invoice_submit(by=world["coordinator"], invoice=invoice)
    line = invoice.lines.order_by("position").first()
    login(world["coordinator"]).post(
        reverse("billing:credit_note_create", args=[invoice.pk]),
        {"line": [str(line.pk), "not-a-uuid"], "reason": "Visit cut short"},
    )
    note = invoice.credit_notes.get()
    assert note.total == -line.amount


def test_the_provider_draws_a_closed_period_from_the_contract_page(world, login, period):
    client = login(world["coordinator"])
    page = client.get(reverse("billing:contract", args=[world["contract"].pk])).content.decode()
    assert "Draw the invoice" in page
    response = client.post(reverse("billing:invoice_draw", args=[period.pk]))
    invoice = period.invoices.get()
    assert response["Location"] == reverse("billing:invoice", args=[invoice.pk])


def test_the_council_opens_and_closes_periods_from_the_contract_page(world, login, dates):
    client = login(world["commissioner"])
    client.post(reverse("billing:period_open", args=[world["contract"].pk]), {"start": dates[0]})
    period = world["contract"].billing_periods.get()
    client.post(reverse("billing:period_close", args=[period.pk]))
    period.refresh_from_db()
    assert period.is_closed


def test_the_council_does_not_see_a_draft(world, login, invoice):
    """A draft is the provider's working copy: the council sees it once submitted."""
    client = login(world["commissioner"])
    assert invoice.number not in client.get(reverse("billing:invoices")).content.decode()
    assert client.get(reverse("billing:invoice", args=[invoice.pk])).status_code == 404
    services.invoice_submit(by=world["coordinator"], invoice=invoice)
    assert client.get(reverse("billing:invoice", args=[invoice.pk])).status_code == 200
