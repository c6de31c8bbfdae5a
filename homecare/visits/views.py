"""Pages of the visits app: the care worker's phone app (a shell that works
offline, its service worker and manifest), the office's exceptions list and the
home tag to print for a person's home."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_POST

from homecare.core import access

from . import selectors, services, tags

#: Bumped when the app's files change, so phones fetch the new shell.
APP_VERSION = "2026-11-30.3"


@login_required
def app(request):
    """The phone app's shell: the rota and the records come from the API."""
    return render(request, "visits/app.html", {"version": APP_VERSION})


def service_worker(request):
    response = render(
        request, "visits/sw.js", {"version": APP_VERSION}, content_type="application/javascript"
    )
    response["Service-Worker-Allowed"] = "/visits/app/"
    response["Cache-Control"] = "no-cache"
    return response


def manifest(request):
    return render(request, "visits/manifest.webmanifest", content_type="application/manifest+json")


@login_required
def exceptions(request):
    """Refused events and manual check-ins awaiting approval (the office)."""
    if access.side(request.user) != "office":
        raise Http404
    rows = list(selectors.exceptions_for(request.user)[:200])
    return render(request, "visits/exceptions.html", {"rows": rows})


@login_required
@require_POST
def approve(request, pk):
    if access.side(request.user) != "office":
        raise Http404
    event = access.get_or_404(access.visit_events_for(request.user), pk=pk)
    try:
        services.visit_event_approve(by=request.user, event=event)
    except services.EventError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, "Approved.")
    return redirect("visits:exceptions")


@login_required
def record(request, pk):
    """A visit's record as it stands for audit: the verified call with the six EVV
    data elements, every event the phones sent (accepted or refused), tasks, the
    MAR, money, incidents and notes. The provider's office and the council."""
    if access.side(request.user) not in ("office", "council"):
        raise Http404
    visit = access.get_or_404(
        access.visits_for(request.user).select_related("individual", "package"), pk=pk
    )
    return render(request, "visits/record.html", selectors.visit_record(visit))


def _office_person(request, pk):
    if access.side(request.user) != "office":
        raise Http404
    return access.get_or_404(access.individuals_for(request.user), pk=pk)


@login_required
def home_tag(request, pk):
    """The home's tag code as a QR code to print and keep in the home (and to write
    to an NFC tag from a phone that can), with a button to issue or replace it."""
    person = _office_person(request, pk)
    profile = access.home_profiles_for(request.user).filter(individual=person).first()
    code = profile.tag_code if profile else ""
    return render(
        request,
        "visits/home_tag.html",
        {
            "person": person,
            "code": code,
            "qr": mark_safe(tags.tag_qr_svg(code)) if code else "",  # our own SVG
            "allowed": tags.tag_allowed(request.user, person),
            "changes": list(
                profile.history.filter(history_change_reason__startswith="Home tag")
                .select_related("history_user")
                .order_by("-history_date")[:10]
            )
            if profile
            else [],
        },
    )


@login_required
@require_POST
def home_tag_issue(request, pk):
    person = _office_person(request, pk)
    try:
        tags.home_tag_issue(by=request.user, individual=person)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, "New tag code issued: print it and replace the tag in the home.")
    return redirect("visits:home_tag", pk=person.pk)
