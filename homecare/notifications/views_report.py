"""The provider's office tells the council of an event (one form, one service)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render

from homecare.core import access

from .events import event_report
from .forms import EventReportForm


@login_required
def report(request):
    if access.side(request.user) != "office":
        raise Http404
    packages = (
        access.packages_for(request.user)
        .select_related("individual")
        .order_by("individual__family_name", "individual__given_name")
    )
    form = EventReportForm(request.POST or None, packages=packages)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            notification = event_report(
                by=request.user,
                package=data["package"],
                kind=data["kind"],
                occurred_at=data["occurred_at"],
                summary=data["summary"],
                event_key=f"report:{data['token']}",
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, "The council is being told by email.")
            return redirect("notifications:detail", notification.pk)
    return render(request, "notifications/report.html", {"form": form})
