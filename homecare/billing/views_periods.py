"""A contract's payment periods: the council opens and closes them, the
provider draws each closed period's invoice."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from homecare.core import access

from . import services


class PeriodForm(forms.Form):
    start = forms.DateField(
        widget=forms.DateInput(attrs={"type": "date"}), label="First day of the period"
    )


def _contract(user, pk):
    if access.side(user) not in ("council", "office"):
        raise Http404
    return access.get_or_404(
        access.contracts_for(user).select_related("organisation", "provider"), pk=pk
    )


@login_required
def contract_billing(request, pk):
    contract = _contract(request.user, pk)
    periods = list(
        access.billing_periods_for(request.user).filter(contract=contract).order_by("-start")[:52]
    )
    invoices = {
        i.period_id: i
        for i in access.invoices_for(request.user)
        .filter(contract=contract)
        .only("id", "number", "status", "total", "period_id")
    }
    rows = [(p, invoices.get(p.pk)) for p in periods]
    return render(
        request,
        "billing/contract_billing.html",
        {
            "contract": contract,
            "rows": rows,
            "rates": contract.rates.filter(archived_at__isnull=True),
            "form": PeriodForm(),
            "side": access.side(request.user),
            "period_kind": contract.rules().entry("billing.period"),
        },
    )


@login_required
@require_POST
def period_open(request, pk):
    contract = _contract(request.user, pk)
    if not access.may_settle_invoices(request.user):
        raise Http404
    form = PeriodForm(request.POST)
    if form.is_valid():
        try:
            period = services.billing_period_open(
                by=request.user, contract=contract, start=form.cleaned_data["start"]
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, f"Period {period} opened.")
    else:
        messages.error(request, "Give the first day of the period.")
    return redirect("billing:contract", pk=contract.pk)


def _period(user, pk):
    return access.get_or_404(access.billing_periods_for(user).select_related("contract"), pk=pk)


@login_required
@require_POST
def period_close(request, pk):
    period = _period(request.user, pk)
    if not access.may_settle_invoices(request.user):
        raise Http404
    try:
        services.billing_period_close(by=request.user, period=period)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, f"Period {period} closed: its invoice can be drawn.")
    return redirect("billing:contract", pk=period.contract_id)


@login_required
@require_POST
def invoice_draw(request, pk):
    period = _period(request.user, pk)
    if not access.may_raise_invoices(request.user):
        raise Http404
    try:
        invoice = services.invoice_draft(by=request.user, contract=period.contract, period=period)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("billing:contract", pk=period.contract_id)
    messages.success(request, f"Invoice {invoice.number} drawn: £{invoice.total:,}.")
    return redirect("billing:invoice", pk=invoice.pk)
