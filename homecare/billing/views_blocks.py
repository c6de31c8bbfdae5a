"""Block hours gauges (LAN-ST-9.5) and the daily capacity update (LAN-ST-9.4)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render

from homecare.core import access

from . import blocks


def _contracts(user):
    if access.side(user) not in ("council", "office"):
        raise Http404
    return access.contracts_for(user).select_related("organisation", "provider")


@login_required
def block_list(request):
    """A gauge per block contract: this week and this period against the levels."""
    statuses = []
    for contract in blocks.block_contracts(_contracts(request.user)):
        status = blocks.block_status(contract)
        statuses.append((status, blocks.previous_status(status)))
    return render(request, "billing/blocks.html", {"statuses": statuses})


@login_required
def capacity(request, pk):
    """Today's capacity update for one block, as the council receives it."""
    contract = access.get_or_404(_contracts(request.user), pk=pk)
    if contract not in blocks.block_contracts(_contracts(request.user).filter(pk=pk)):
        raise Http404
    status = blocks.block_status(contract)
    entry = contract.rules().entry("block.capacity_update_by")
    return render(
        request,
        "billing/capacity.html",
        {"status": status, "text": blocks.capacity_text(status), "due": entry},
    )
