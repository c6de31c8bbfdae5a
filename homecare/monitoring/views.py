"""The coordinator's live board, the council's late and missed calls, and the
person's 'who is coming' page. Views are thin: access helper, form, one service."""

from datetime import timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from homecare.core import access
from homecare.domain import calls

from . import selectors, services
from .forms import CallAheadForm, NotDeliveredForm, ReassignForm


def _office_only(user):
    if access.side(user) != "office":
        raise Http404


def _board_context(request):
    day, error = selectors.local_day(request.GET.get("date"))
    state = request.GET.get("state", "")
    state = state if state in selectors.FILTERS else ""
    q = request.GET.get("q", "").strip()[:60]
    now = timezone.now()
    rows = selectors.board_rows(request.user, day=day, now=now, state=state, q=q)
    everything = rows if not (state or q) else None
    return {
        "rows": rows,
        "counts": calls.board_counts(r.state for r in everything) if everything else None,
        "day": day,
        "date_error": error,
        "state": state,
        "q": q,
        "filters": selectors.FILTERS,
        "workers": list(access.workers_for(request.user).order_by("given_name", "family_name")),
        "now": now,
        "today": timezone.localdate(),
    }


@login_required
def board(request):
    """Every visit of the day and its call state, updating itself (htmx)."""
    _office_only(request.user)
    context = _board_context(request)
    if context["date_error"]:
        messages.error(request, context["date_error"])
    return render(request, "monitoring/board.html", context)


@login_required
def board_rows(request):
    """The board's rows alone, for htmx to swap in every 15 seconds."""
    _office_only(request.user)
    return render(request, "monitoring/_board_rows.html", _board_context(request))


def _watch(request, pk):
    _office_only(request.user)
    return access.get_or_404(access.call_watches_for(request.user).select_related("visit"), pk=pk)


def _back(request):
    target = request.POST.get("next", "")
    return redirect(target if target.startswith("/monitoring/") else reverse("monitoring:board"))


@login_required
@require_POST
def call_reassign(request, pk):
    """One click: give a call nobody has started to another worker."""
    watch = _watch(request, pk)
    form = ReassignForm(request.POST, workers=access.workers_for(request.user))
    if not form.is_valid():
        messages.error(request, " ".join(e for errs in form.errors.values() for e in errs))
        return _back(request)
    try:
        services.call_reassign(by=request.user, watch=watch, worker=form.cleaned_data["worker"])
    except services.CallRejected as error:
        messages.error(request, str(error))
    else:
        w = form.cleaned_data["worker"]
        messages.success(request, f"{w.given_name} {w.family_name} now has the call.")
    return _back(request)


@login_required
@require_POST
def call_ahead(request, pk):
    """One click: record that the person was called ahead (KENT-8.4.6)."""
    watch = _watch(request, pk)
    form = CallAheadForm(request.POST)
    if not form.is_valid():
        messages.error(request, "The note is too long (500 characters at most).")
        return _back(request)
    services.call_ahead_record(by=request.user, watch=watch, note=form.cleaned_data["note"])
    messages.success(request, "Recorded: the person was called ahead.")
    return _back(request)


@login_required
@require_POST
def call_not_delivered(request, pk):
    """Record a void or no-response call: the council is told (KENT-3.8.1)."""
    watch = _watch(request, pk)
    form = NotDeliveredForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Choose what happened: no response or void call.")
        return _back(request)
    try:
        services.call_not_delivered(
            visit=watch.visit,
            by=request.user,
            outcome=form.cleaned_data["outcome"],
            at=timezone.now(),
            note=form.cleaned_data["note"],
        )
    except services.CallRejected as error:
        messages.error(request, str(error))
    else:
        messages.success(request, "Recorded, and the council is being told.")
    return _back(request)


@login_required
def council_calls(request):
    """The council's view: late, missed, void and no-response calls on its contracts."""
    if access.side(request.user) != "council":
        raise Http404
    day, error = selectors.local_day(request.GET.get("date"))
    if error:
        messages.error(request, error)
    # Late (flagged or started late), missed, void and no-response calls of the
    # week up to ``day``.
    watches = (
        access.call_watches_for(request.user)
        .filter(date__gt=day - timedelta(days=7), date__lte=day)
        .exclude(late_at__isnull=True, missed_at__isnull=True)
    )
    watches = watches.select_related("visit__individual", "organisation").order_by("-ordered_at")
    return render(request, "monitoring/council_calls.html", {"watches": watches[:500], "day": day})


@login_required
def coming(request):
    """The person's or family's view: who is coming and when (DERBY-4.6, first names
    only), how today's calls are going, and the visit notes the person agreed to share."""
    if access.side(request.user) != "family":
        raise Http404
    today = timezone.localdate()
    visits = (
        access.visits_for(request.user)
        .filter(date__gte=today, date__lt=today + timedelta(days=7))
        .exclude(status="cancelled")
        .select_related("call_watch")
        .prefetch_related("workers")
        .order_by("planned_start")
    )
    days: dict = {}
    for visit in visits:
        watch = getattr(visit, "call_watch", None)
        days.setdefault(visit.date, []).append(
            {
                "visit": visit,
                "workers": [w.given_name for w in visit.workers.all()],
                "state": selectors.family_state(watch, visit),
            }
        )
    return render(
        request,
        "monitoring/coming.html",
        {
            "person": access.individuals_for(request.user).first(),
            "days": days,
            "notes": selectors.shared_notes(request.user, since=today - timedelta(days=14)),
        },
    )
