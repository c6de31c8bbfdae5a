"""Invoices for both sides: the list, one invoice per person and visit, a line
with its visits and clause, CSV and PDF, the council's check, and the steps of
an invoice's journey. Thin views: access helper, form, one service, redirect."""

from __future__ import annotations

import uuid

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from homecare.core import access
from homecare.core.paging import paginate

from . import exports, selectors, services
from .blocks import hours
from .models import Invoice

#: Lines an invoice page shows at most (the CSV has them all).
PAGE_LINES = 3000

LIST_FIELDS = (
    "id",
    "number",
    "status",
    "total",
    "line_count",
    "computed_at",
    "organisation__name",
    "council__name",
    "contract__reference",
    "period__start",
    "period__end",
)


def _invoices(user):
    if access.side(user) not in ("council", "office"):
        raise Http404
    return access.invoices_for(user)


def _invoice(user, pk) -> Invoice:
    return access.get_or_404(
        _invoices(user).select_related("organisation", "council", "contract", "period"), pk=pk
    )


@login_required
def invoice_list(request):
    invoices = _invoices(request.user).order_by("-period__start", "number").values(*LIST_FIELDS)
    return render(
        request,
        "billing/invoice_list.html",
        {
            "page": paginate(request, invoices),
            "side": access.side(request.user),
            "contracts": access.contracts_for(request.user).only("id", "reference", "kind"),
        },
    )


@login_required
def invoice_detail(request, pk):
    invoice = _invoice(request.user, pk)
    side = access.side(request.user)
    groups = selectors.lines_by_person(invoice, limit=PAGE_LINES)
    carried = None
    if invoice.carried_in_minutes or invoice.carried_out_minutes:
        carried = (hours(invoice.carried_in_minutes), hours(invoice.carried_out_minutes))
    return render(
        request,
        "billing/invoice_detail.html",
        {
            "invoice": invoice,
            "groups": groups,
            "truncated": PAGE_LINES if invoice.line_count > PAGE_LINES else 0,
            "carried": carried,
            "can_credit": side == "office" and invoice.status != Invoice.Status.DRAFT,
            "credit_notes": invoice.credit_notes.prefetch_related("lines"),
            "side": side,
            "query_form": QueryForm(),
            "answer_form": AnswerForm(),
        },
    )


@login_required
def invoice_line(request, pk):
    """One line: the visits behind it and the clause that priced it."""
    line = access.get_or_404(
        access.invoice_lines_for(request.user).select_related(
            "invoice__contract", "invoice__period", "individual", "package"
        ),
        pk=pk,
    )
    contract = line.invoice.contract
    return render(
        request,
        "billing/invoice_line.html",
        {
            "line": line,
            "invoice": line.invoice,
            "visits": selectors.visits_of_line(line)[:200],
            "clauses": selectors.clauses(contract, line.refs),
            "basis": selectors.pricing_basis(contract),
            "credits": line.credits.select_related("credit_note"),
        },
    )


@login_required
def invoice_csv(request, pk):
    return exports.invoice_csv(_invoice(request.user, pk))


@login_required
def invoice_pdf(request, pk):
    invoice = _invoice(request.user, pk)
    return exports.invoice_pdf(invoice, selectors.lines_by_person(invoice))


@login_required
def invoice_check(request, pk):
    """The council's view: the invoice recomputed from the council's own data."""
    invoice = _invoice(request.user, pk)
    return render(
        request,
        "billing/invoice_check.html",
        {"invoice": invoice, "check": selectors.council_check(invoice)},
    )


# ---------------------------------------------------------------- the journey


class QueryForm(forms.Form):
    reason = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 2}), label="What is wrong with the invoice?"
    )


class AnswerForm(forms.Form):
    answer = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 2}), label="How is the query resolved?"
    )


def _step(request, pk, *, who, run, form_class=None):
    invoice = _invoice(request.user, pk)
    if not who(request.user):
        raise Http404
    kwargs = {}
    if form_class is not None:
        form = form_class(request.POST)
        if not form.is_valid():
            for errors in form.errors.values():
                messages.error(request, " ".join(errors))
            return redirect("billing:invoice", pk=invoice.pk)
        kwargs = form.cleaned_data
    try:
        run(by=request.user, invoice=invoice, **kwargs)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request, f"Invoice {invoice.number} is {invoice.get_status_display().lower()}."
        )
    return redirect("billing:invoice", pk=invoice.pk)


@login_required
@require_POST
def invoice_submit(request, pk):
    return _step(request, pk, who=access.may_raise_invoices, run=services.invoice_submit)


@login_required
@require_POST
def invoice_query(request, pk):
    return _step(
        request,
        pk,
        who=access.may_settle_invoices,
        run=services.invoice_query,
        form_class=QueryForm,
    )


@login_required
@require_POST
def invoice_answer(request, pk):
    return _step(
        request,
        pk,
        who=access.may_raise_invoices,
        run=services.invoice_answer,
        form_class=AnswerForm,
    )


@login_required
@require_POST
def invoice_approve(request, pk):
    return _step(request, pk, who=access.may_settle_invoices, run=services.invoice_approve)


@login_required
@require_POST
def invoice_paid(request, pk):
    return _step(request, pk, who=access.may_settle_invoices, run=services.invoice_mark_paid)


@login_required
@require_POST
def credit_note_create(request, pk):
    """Credit the chosen lines of a sent invoice, with a reason."""
    invoice = _invoice(request.user, pk)
    if not access.may_raise_invoices(request.user):
        raise Http404
    ids = []
    for value in request.POST.getlist("line")[:500]:
        try:
            ids.append(uuid.UUID(value))
        except ValueError:
            continue
    lines = list(invoice.lines.filter(pk__in=ids, archived_at__isnull=True))
    try:
        note = services.credit_note_issue(
            by=request.user, invoice=invoice, reason=request.POST.get("reason", ""), lines=lines
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, f"Credit note {note.number} issued: £{note.total}.")
    return redirect("billing:invoice", pk=invoice.pk)
