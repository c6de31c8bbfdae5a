from django.contrib.auth.decorators import login_required
from django.db.models import Count, Q
from django.shortcuts import render

from homecare.core import access
from homecare.core.paging import paginate


@login_required
def contract_list(request):
    contracts = (
        access.contracts_for(request.user)
        .select_related("organisation", "provider")
        .annotate(active_packages=Count("packages", filter=Q(packages__status="active")))
        .order_by("reference", "pk")
    )
    return render(
        request, "organisations/contract_list.html", {"page": paginate(request, contracts)}
    )


@login_required
def contract_detail(request, pk):
    contract = access.get_or_404(
        access.contracts_for(request.user)
        .select_related("organisation", "provider")
        .prefetch_related("areas"),
        pk=pk,
    )
    counts = (
        access.packages_for(request.user)
        .filter(contract=contract)
        .aggregate(
            active=Count("pk", filter=Q(status="active")),
            suspended=Count("pk", filter=Q(status="suspended")),
            all=Count("pk"),
        )
    )
    return render(
        request,
        "organisations/contract_detail.html",
        {
            "contract": contract,
            "counts": counts,
        },
    )


@login_required
def contract_rulebook(request, pk):
    """The contract's numbers beside the clause that sets each one."""
    contract = access.get_or_404(
        access.contracts_for(request.user).select_related("organisation", "provider"), pk=pk
    )
    rules = contract.rules()
    return render(
        request,
        "organisations/contract_rulebook.html",
        {
            "contract": contract,
            "rules": rules,
            "sections": rules.sections(),
        },
    )
