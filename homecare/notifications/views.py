"""Notifications to the council, listed for both sides: the council sees what it
was told, the provider what it told."""

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render

from homecare.core import access
from homecare.core.paging import paginate

from .models import KINDS


@login_required
def notification_list(request):
    if access.side(request.user) not in ("council", "office"):
        raise Http404
    qs = access.notifications_for(request.user).select_related(
        "organisation", "council", "individual"
    )
    kind = request.GET.get("kind", "")
    if kind in KINDS:
        qs = qs.filter(kind=kind)
    return render(
        request,
        "notifications/notification_list.html",
        {"page": paginate(request, qs), "kinds": KINDS, "kind": kind},
    )


@login_required
def notification_detail(request, pk):
    notification = access.get_or_404(
        access.notifications_for(request.user).select_related(
            "organisation", "council", "individual", "package"
        ),
        pk=pk,
    )
    return render(request, "notifications/notification_detail.html", {"n": notification})
