"""Every write of the billing app: one function each, one transaction, who and when.

Periods are opened and closed; an invoice is drawn for a closed period from
the visits that happened (:mod:`homecare.billing.delivery`) through the
pricing engine, then submitted, queried, answered, approved and paid, each a
conditional update so nobody moves an invoice twice. A submitted invoice is
never edited: corrections are credit notes.
"""

from __future__ import annotations

import calendar
from datetime import date, timedelta
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from homecare.domain.pricing import PricingError
from homecare.organisations.models import Contract

from . import lines as invoice_lines
from . import pricing_inputs
from .models import BillingPeriod, ContractRate, CreditNote, CreditNoteLine, Invoice, InvoiceLine


def _d(day: date) -> str:
    return f"{day:%-d %B %Y}"


# ---------------------------------------------------------------- rates


@transaction.atomic
def contract_rate_set(
    *,
    by,
    contract: Contract,
    valid_from: date,
    hourly_rate: Decimal,
    valid_to: date | None = None,
    night_session_rate: Decimal | None = None,
    complex_hourly_rate: Decimal | None = None,
) -> ContractRate:
    """Record the contract's rates for a span of dates; spans never overlap."""
    if valid_to is not None and valid_to < valid_from:
        raise ValidationError({"valid_to": "The rate ends before it starts."})
    for name, value in (
        ("hourly_rate", hourly_rate),
        ("night_session_rate", night_session_rate),
        ("complex_hourly_rate", complex_hourly_rate),
    ):
        if value is not None and Decimal(value) < 0:
            raise ValidationError({name: "A rate cannot be negative."})
    clash = _overlapping(ContractRate.objects.filter(contract=contract), valid_from, valid_to)
    if clash:
        raise ValidationError(
            f"Contract {contract.reference} already has a rate from {_d(clash.valid_from)}"
            f"{' to ' + _d(clash.valid_to) if clash.valid_to else ''}: end it before adding "
            "another for the same days."
        )
    rate = ContractRate(
        organisation_id=contract.organisation_id,
        contract=contract,
        valid_from=valid_from,
        valid_to=valid_to,
        hourly_rate=hourly_rate,
        night_session_rate=night_session_rate,
        complex_hourly_rate=complex_hourly_rate,
    )
    rate._history_user = by
    rate.save()
    return rate


def _overlapping(
    qs, start: date, end: date | None, *, start_field="valid_from", end_field="valid_to"
):
    qs = qs.filter(archived_at__isnull=True)
    if end is not None:
        qs = qs.filter(**{f"{start_field}__lte": end})
    return qs.filter(
        Q(**{f"{end_field}__isnull": True}) | Q(**{f"{end_field}__gte": start})
    ).first()


# ---------------------------------------------------------------- periods


def period_end(contract: Contract, start: date) -> date:
    """The last day of the payment period starting ``start`` (``billing.period``)."""
    kind = contract.rules().value("billing.period")
    if kind in ("week", "four_weeks"):
        if start.weekday() != 0:
            raise ValidationError(
                {
                    "start": f"A {kind.replace('_', '-')} payment period starts on a Monday "
                    f"(KENT-3.7.4: a week is Monday to Sunday); {_d(start)} is a "
                    f"{start:%A}."
                }
            )
        return start + timedelta(days=6 if kind == "week" else 27)
    if start.day != 1:
        raise ValidationError({"start": f"A {kind}ly payment period starts on the 1st."})
    months = 1 if kind == "month" else 3
    year, month = divmod(start.month - 1 + months - 1, 12)
    year, month = start.year + year, month + 1
    return date(year, month, calendar.monthrange(year, month)[1])


@transaction.atomic
def billing_period_open(*, by, contract: Contract, start: date) -> BillingPeriod:
    """Open the contract's payment period that starts on ``start``."""
    end = period_end(contract, start)
    clash = _overlapping(
        contract.billing_periods.all(), start, end, start_field="start", end_field="end"
    )
    if clash:
        raise ValidationError(
            f"Contract {contract.reference} already has the period {clash}, which overlaps "
            f"{_d(start)} – {_d(end)}."
        )
    period = BillingPeriod(
        organisation_id=contract.organisation_id, contract=contract, start=start, end=end
    )
    period._history_user = by
    period.save()
    return period


@transaction.atomic
def billing_period_close(*, by, period: BillingPeriod, now=None) -> BillingPeriod:
    """Close a period once its last day is over: its invoice may then be drawn."""
    now = now or timezone.now()
    if timezone.localdate(now) <= period.end:
        raise ValidationError(
            f"The period {period} cannot be closed before its last day is over ({_d(period.end)})."
        )
    done = BillingPeriod.objects.filter(pk=period.pk, closed_at__isnull=True).update(
        closed_at=now, closed_by=by
    )
    if not done:
        raise ValidationError(f"The period {period} is already closed.")
    period.refresh_from_db()
    return period


# ---------------------------------------------------------------- drawing an invoice


def _check_period(contract: Contract, period: BillingPeriod) -> None:
    if period.contract_id != contract.pk:
        raise ValidationError(f"The period {period} belongs to another contract.")
    if not period.is_closed:
        raise ValidationError(
            f"The period {period} is not closed yet: an invoice is drawn only for a closed "
            "period, once every visit in it is recorded."
        )
    clash = (
        contract.billing_periods.filter(archived_at__isnull=True)
        .exclude(pk=period.pk)
        .filter(start__lte=period.end, end__gte=period.start)
        .first()
    )
    if clash:
        raise ValidationError(
            f"The periods {period} and {clash} of contract {contract.reference} overlap: the "
            "same visits would be invoiced twice. Archive the wrong period first."
        )


def _number(contract: Contract, period: BillingPeriod) -> str:
    return f"INV-{contract.reference}-{period.start:%Y%m%d}"


@transaction.atomic
def invoice_draft(*, by, contract: Contract, period: BillingPeriod) -> Invoice:
    """Price the closed ``period`` of ``contract`` and write its draft invoice.

    Drawing again replaces a draft's lines (the same data gives the same
    invoice to the penny); a submitted invoice is never redrawn. Broken data
    (a missing rate, overlapping periods, a visit with no check-out, a negative
    or absurd duration) raises ``ValidationError`` naming it, and writes nothing.
    """
    _check_period(contract, period)
    invoice = (
        Invoice.objects.select_for_update()
        .filter(contract=contract, period=period, archived_at__isnull=True)
        .first()
    )
    if invoice is not None and invoice.status != Invoice.Status.DRAFT:
        raise ValidationError(
            f"Invoice {invoice.number} was {invoice.get_status_display().lower()}: it is never "
            "redrawn. Correct it with a credit note."
        )
    try:
        priced = pricing_inputs.price(contract, period.start, period.end)
    except PricingError as error:
        raise ValidationError(f"No invoice for {contract.reference}, {period}: {error}") from None
    now = timezone.now()
    rules = contract.rules()
    if invoice is None:
        invoice = Invoice(
            organisation_id=contract.provider_id,
            council_id=contract.organisation_id,
            contract=contract,
            period=period,
            number=_number(contract, period),
        )
    else:
        invoice.lines.filter(archived_at__isnull=True).update(archived_at=now, archived_by=by)
    invoice.total = priced.total
    invoice.line_count = len(priced.lines)
    invoice.rulebook = f"{rules.slug} v{rules.version}"
    invoice.carried_in_minutes = sum(b.carried_in_minutes for b in priced.blocks)
    invoice.carried_out_minutes = sum(b.carry_out_minutes for b in priced.blocks)
    invoice.offset_out_minutes = sum(b.offset_out_minutes for b in priced.blocks)
    invoice.warnings = [w.message for w in priced.warnings][:200]
    invoice.computed_at = now
    invoice.computed_by = by
    invoice._history_user = by
    invoice.save()
    invoice_lines.write(invoice, priced.lines)
    return invoice


# ---------------------------------------------------------------- the invoice's journey


def _move(invoice: Invoice, *, from_statuses, to_status, **fields) -> Invoice:
    done = Invoice.objects.filter(pk=invoice.pk, status__in=from_statuses).update(
        status=to_status, **fields
    )
    if not done:
        current = Invoice.objects.get(pk=invoice.pk)
        raise ValidationError(
            f"Invoice {invoice.number} is {current.get_status_display().lower()}; it cannot be "
            f"{Invoice.Status(to_status).label.lower()} from there."
        )
    invoice.refresh_from_db()
    invoice._history_user = fields.get("submitted_by") or fields.get("queried_by")
    return invoice


def _provider_side(by, invoice: Invoice) -> None:
    if by.organisation_id != invoice.organisation_id:
        raise ValidationError("Only the provider that raised the invoice can do this.")


def _council_side(by, invoice: Invoice) -> None:
    if by.organisation_id != invoice.council_id:
        raise ValidationError("Only the council the invoice is addressed to can do this.")


@transaction.atomic
def invoice_submit(*, by, invoice: Invoice, now=None) -> Invoice:
    """The provider sends its draft to the council; from now on it is never edited."""
    _provider_side(by, invoice)
    return _move(
        invoice,
        from_statuses=[Invoice.Status.DRAFT],
        to_status=Invoice.Status.SUBMITTED,
        submitted_at=now or timezone.now(),
        submitted_by=by,
    )


@transaction.atomic
def invoice_query(*, by, invoice: Invoice, reason: str, now=None) -> Invoice:
    """The council questions a submitted invoice, saying why."""
    _council_side(by, invoice)
    if not reason.strip():
        raise ValidationError({"reason": "Say what is wrong with the invoice."})
    return _move(
        invoice,
        from_statuses=[Invoice.Status.SUBMITTED],
        to_status=Invoice.Status.QUERIED,
        queried_at=now or timezone.now(),
        queried_by=by,
        query_reason=reason.strip(),
    )


@transaction.atomic
def invoice_answer(*, by, invoice: Invoice, answer: str, now=None) -> Invoice:
    """The provider answers a query (often with a credit note) and resubmits."""
    _provider_side(by, invoice)
    if not answer.strip():
        raise ValidationError({"answer": "Say how the query is resolved."})
    return _move(
        invoice,
        from_statuses=[Invoice.Status.QUERIED],
        to_status=Invoice.Status.SUBMITTED,
        answer=answer.strip(),
        submitted_at=now or timezone.now(),
        submitted_by=by,
    )


@transaction.atomic
def invoice_approve(*, by, invoice: Invoice, now=None) -> Invoice:
    _council_side(by, invoice)
    return _move(
        invoice,
        from_statuses=[Invoice.Status.SUBMITTED],
        to_status=Invoice.Status.APPROVED,
        approved_at=now or timezone.now(),
        approved_by=by,
    )


@transaction.atomic
def invoice_mark_paid(*, by, invoice: Invoice, now=None) -> Invoice:
    _council_side(by, invoice)
    return _move(
        invoice,
        from_statuses=[Invoice.Status.APPROVED],
        to_status=Invoice.Status.PAID,
        paid_at=now or timezone.now(),
        paid_by=by,
    )


@transaction.atomic
def credit_note_issue(*, by, invoice: Invoice, reason: str, lines: list[InvoiceLine]) -> CreditNote:
    """Credit whole lines of a sent invoice (the invoice itself stays as sent)."""
    _provider_side(by, invoice)
    if invoice.status == Invoice.Status.DRAFT:
        raise ValidationError("A draft is corrected by drawing it again, not by a credit note.")
    if not reason.strip():
        raise ValidationError({"reason": "Say why the lines are credited."})
    if not lines:
        raise ValidationError({"lines": "Choose at least one line to credit."})
    if any(line.invoice_id != invoice.pk or line.archived_at for line in lines):
        raise ValidationError({"lines": "Only this invoice's own lines can be credited."})
    already = set(
        CreditNoteLine.objects.filter(invoice_line__in=lines, archived_at__isnull=True).values_list(
            "invoice_line_id", flat=True
        )
    )
    if already:
        names = ", ".join(str(line.position) for line in lines if line.pk in already)
        raise ValidationError({"lines": f"Line(s) {names} were credited already."})
    count = CreditNote.objects.filter(invoice=invoice).count()
    note = CreditNote(
        organisation_id=invoice.organisation_id,
        invoice=invoice,
        number=f"CN-{invoice.number.removeprefix('INV-')}-{count + 1}",
        reason=reason.strip(),
        total=-sum((line.amount for line in lines), start=Decimal("0")),
        issued_at=timezone.now(),
        issued_by=by,
    )
    note._history_user = by
    note.save()
    CreditNoteLine.objects.bulk_create(
        CreditNoteLine(
            organisation_id=invoice.organisation_id,
            credit_note=note,
            invoice_line=line,
            description=f"Credit: line {line.position}, {line.description}"[:200],
            amount=-line.amount,
            refs=line.refs,
        )
        for line in lines
    )
    return note
