"""An invoice's journey: draft, submitted, queried, answered, approved, paid; credit notes."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from homecare.billing import services
from homecare.billing.models import CreditNote


def test_the_provider_submits_and_the_council_queries_approves_and_pays(world, invoice):
    services.invoice_submit(by=world["coordinator"], invoice=invoice)
    services.invoice_query(by=world["commissioner"], invoice=invoice, reason="Two visits on 3 Nov?")
    assert invoice.status == "queried"
    assert invoice.queried_by == world["commissioner"]
    assert invoice.query_reason == "Two visits on 3 Nov?"
    services.invoice_answer(by=world["manager"], invoice=invoice, answer="Both were delivered.")
    services.invoice_approve(by=world["commissioner"], invoice=invoice)
    services.invoice_mark_paid(by=world["commissioner"], invoice=invoice)
    assert invoice.status == "paid"
    assert (invoice.submitted_by, invoice.approved_by, invoice.paid_by) == (
        world["manager"],
        world["commissioner"],
        world["commissioner"],
    )
    assert invoice.paid_at >= invoice.approved_at >= invoice.submitted_at


def test_nobody_moves_an_invoice_twice_or_from_the_wrong_state(world, invoice):
    services.invoice_submit(by=world["coordinator"], invoice=invoice)
    with pytest.raises(ValidationError, match="is submitted"):
        services.invoice_submit(by=world["coordinator"], invoice=invoice)
    with pytest.raises(ValidationError, match="cannot be paid"):
        services.invoice_mark_paid(by=world["commissioner"], invoice=invoice)


def test_each_side_does_only_its_own_steps(world, invoice):
    with pytest.raises(ValidationError, match="Only the provider"):
        services.invoice_submit(by=world["commissioner"], invoice=invoice)
    services.invoice_submit(by=world["coordinator"], invoice=invoice)
    with pytest.raises(ValidationError, match="Only the council"):
        services.invoice_approve(by=world["coordinator"], invoice=invoice)
    with pytest.raises(ValidationError, match="Say what is wrong"):
        services.invoice_query(by=world["commissioner"], invoice=invoice, reason="  ")
    invoice.refresh_from_db()
    assert invoice.status == "submitted"


def test_a_submitted_invoice_is_never_redrawn_but_corrected_by_a_credit_note(
    world, invoice, period
):
    services.invoice_submit(by=world["coordinator"], invoice=invoice)
    with pytest.raises(ValidationError, match="credit note"):
        services.invoice_draft(by=world["coordinator"], contract=world["contract"], period=period)
    lines = list(invoice.lines.all()[:2])
    note = services.credit_note_issue(
        by=world["coordinator"], invoice=invoice, reason="Visits cut short", lines=lines
    )
    assert note.total == -(lines[0].amount + lines[1].amount)
    assert note.lines.count() == 2
    assert note.number.startswith("CN-")
    invoice.refresh_from_db()
    assert invoice.total == sum(line.amount for line in invoice.lines.all()), "the invoice as sent"
    with pytest.raises(ValidationError, match="credited already"):
        services.credit_note_issue(
            by=world["coordinator"], invoice=invoice, reason="Again", lines=lines[:1]
        )
    assert CreditNote.objects.count() == 1


def test_a_draft_is_not_credited(world, invoice):
    with pytest.raises(ValidationError, match="drawing it again"):
        services.credit_note_issue(
            by=world["coordinator"],
            invoice=invoice,
            reason="x",
            lines=list(invoice.lines.all()[:1]),
        )


def test_money_is_decimal_to_the_penny(invoice):
    assert isinstance(invoice.total, Decimal)
    assert invoice.total == invoice.total.quantize(Decimal("0.01"))
