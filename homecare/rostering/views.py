"""The rota pages (provider office only) and each worker's calendar feed."""

from __future__ import annotations

from datetime import date, timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from homecare.core import access

from . import calendar, selectors, services
from .day import load_day, to_aware
from .forms import MoveForm, RunForm, WeightsForm
from .models import CalendarToken, RotaRun, RotaWeights


def _office(request):
    if access.side(request.user) != "office":
        raise Http404
    return request.user.organisation


def _day(request) -> date:
    raw = request.GET.get("date") or request.POST.get("date") or ""
    try:
        return date.fromisoformat(raw)
    except ValueError:
        return timezone.localdate()


def _rota_url(day: date) -> str:
    return f"{reverse('rostering:day')}?date={day.isoformat()}"


def _say(request, exc: ValidationError) -> None:
    for text in exc.messages:
        messages.error(request, text)


@login_required
def rota_day(request):
    provider = _office(request)
    day = _day(request)
    today = timezone.localdate()
    loaded = load_day(provider, day)
    runs = list(
        access.rota_runs_for(request.user)
        .filter(date=day)
        .select_related("requested_by")
        .order_by("-requested_at")[:5]
    )
    return render(
        request,
        "rostering/day.html",
        {
            "day": day,
            "today": today,
            "tomorrow": today + timedelta(days=1),
            "previous": day - timedelta(days=1),
            "next": day + timedelta(days=1),
            "runs": runs,
            "latest": runs[0] if runs else None,
            "is_past": day < today,
            **selectors.rota_rows(loaded),
        },
    )


@login_required
@require_POST
def run_request(request):
    provider = _office(request)
    form = RunForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for text in errors:
                messages.error(request, text)
        return redirect(_rota_url(_day(request)))
    day = form.cleaned_data["date"]
    try:
        run = services.rota_run_request(
            by=request.user, provider=provider, day=day, kind=form.cleaned_data["kind"]
        )
    except ValidationError as exc:
        _say(request, exc)
        return redirect(_rota_url(day))
    return redirect("rostering:run", pk=run.pk)


@login_required
def run_detail(request, pk):
    _office(request)
    run = access.get_or_404(access.rota_runs_for(request.user), pk=pk)
    template = "rostering/_run.html" if request.headers.get("HX-Request") else "rostering/run.html"
    return render(request, template, {"run": run, "rows": _figure_rows(run)})


def _figure_rows(run: RotaRun) -> list[tuple[str, object, object]]:
    labels = [
        ("unassigned", "Visits without workers"),
        ("conflicts", "Visits breaking a rule"),
        ("travel_minutes", "Travel (minutes)"),
        ("continuity", "Continuity (% of visits by the trusted team)"),
        ("late_minutes", "Lateness (minutes)"),
    ]
    return [(label, run.before.get(key), run.after.get(key)) for key, label in labels]


@login_required
@require_POST
def run_accept(request, pk):
    _office(request)
    run = access.get_or_404(access.rota_runs_for(request.user), pk=pk)
    try:
        changed = services.rota_accept(by=request.user, run=run)
    except ValidationError as exc:
        _say(request, exc)
        return redirect("rostering:run", pk=run.pk)
    messages.success(request, f"Rota accepted: {changed} visits changed.")
    return redirect(_rota_url(run.date))


@login_required
@require_POST
def run_discard(request, pk):
    _office(request)
    run = access.get_or_404(access.rota_runs_for(request.user), pk=pk)
    try:
        services.rota_discard(by=request.user, run=run)
    except ValidationError as exc:
        _say(request, exc)
        return redirect("rostering:run", pk=run.pk)
    messages.success(request, "Proposal discarded: the rota is as it was.")
    return redirect(_rota_url(run.date))


@login_required
def visit_detail(request, pk):
    """One visit: who is on it, move it to other workers, pin or unpin it."""
    provider = _office(request)
    visit = access.get_or_404(access.visits_for(request.user).select_related("individual"), pk=pk)
    loaded = load_day(provider, visit.date)
    row = loaded.visit.get(str(visit.pk))
    if row is None:
        raise Http404
    if request.method == "POST":
        form = MoveForm(request.POST, day=loaded, visit=row)
        if form.is_valid():
            workers = list(access.workers_for(request.user).filter(pk__in=form.cleaned_data["ids"]))
            try:
                services.rota_visit_move(by=request.user, visit=visit, workers=workers)
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(request, f"{row.person}'s visit moved.")
                return redirect(_rota_url(visit.date))
    else:
        form = MoveForm(day=loaded, visit=row)
    from . import rules

    return render(
        request,
        "rostering/visit.html",
        {
            "visit": visit,
            "row": row,
            "form": form,
            "workers": [loaded.worker[w].name for w in row.workers if w in loaded.worker],
            "label": rules.span(row.start, row.minutes),
            "problems": rules.conflicts(loaded, loaded.current()).get(row.id, []),
        },
    )


@login_required
@require_POST
def visit_pin(request, pk):
    _office(request)
    visit = access.get_or_404(access.visits_for(request.user), pk=pk)
    try:
        if request.POST.get("pin") == "off":
            services.visit_unpin(by=request.user, visit=visit)
            messages.success(request, "Visit unpinned: runs may move it again.")
        else:
            services.visit_pin(by=request.user, visit=visit)
            messages.success(request, "Visit pinned: runs leave its workers as they are.")
    except ValidationError as exc:
        _say(request, exc)
    return redirect("rostering:visit", pk=visit.pk)


@login_required
def worker_route(request, pk):
    """A worker's day: the visits in order and the route drawn from coordinates."""
    provider = _office(request)
    worker = access.get_or_404(access.workers_for(request.user), pk=pk)
    day = _day(request)
    loaded = load_day(provider, day)
    if str(worker.pk) not in loaded.worker:
        raise Http404
    return render(
        request,
        "rostering/worker.html",
        {"worker": worker, "day": day, "route": selectors.route_svg(loaded, str(worker.pk))},
    )


@login_required
@require_POST
def worker_sick(request, pk):
    """Off sick for the rest of today, or for the whole of a later day."""
    _office(request)
    worker = access.get_or_404(access.workers_for(request.user), pk=pk)
    day = _day(request)
    today = timezone.localdate()
    starts_at = timezone.now() if day == today else to_aware(day, 0)
    try:
        services.worker_mark_sick(
            by=request.user, worker=worker, starts_at=starts_at, ends_at=to_aware(day, 24 * 60)
        )
    except ValidationError as exc:
        _say(request, exc)
    else:
        when = "the rest of today" if day == today else day.strftime("%A %-d %B")
        messages.success(
            request, f"{worker} is off sick for {when}. Repair the day to cover their visits."
        )
    return redirect(_rota_url(day))


def worker_calendar(request, token):
    """The worker's rota as iCalendar; the secret in the address is the only key."""
    found = CalendarToken.objects.select_related("worker").filter(token=token).first()
    if found is None or found.worker.archived_at is not None:
        raise Http404
    body = calendar.worker_feed(found.worker)
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="rota.ics"'
    return response


@login_required
def weights(request):
    """The provider's weights for the optimizer's soft goals."""
    provider = _office(request)
    current = RotaWeights.objects.filter(organisation=provider).first()
    form = WeightsForm(request.POST or None, instance=current)
    if request.method == "POST" and form.is_valid():
        values = {k: form.cleaned_data[k] for k in RotaWeights.FIELDS}
        try:
            services.rota_weights_set(by=request.user, provider=provider, values=values)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, "Weights saved: the next run uses them.")
            return redirect("rostering:weights")
    return render(request, "rostering/weights.html", {"form": form, "current": current})
