"""The SMART action plan (KENT-3.1.1): goals towards the plan's outcomes, and
progress recorded from visit notes and reviews."""

from datetime import timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from homecare.core import access

from . import services
from .forms import GoalForm, ProgressForm
from .models import Goal, GoalProgress
from .views import form_errors, package_for, plan_of

#: Visits offered as the source of a progress note: the last fortnight's.
VISITS_BACK = timedelta(days=14)


def _progress():
    return Prefetch(
        "progress",
        queryset=GoalProgress.objects.select_related("visit", "recorded_by").order_by(
            "recorded_at"
        ),
    )


@login_required
def goals(request, pk):
    """The goals of the package's plan, and a form for a new one."""
    package = package_for(request, pk)
    plan = plan_of(request, package)
    may_write = access.may_write_plans(request.user)
    form = GoalForm(request.POST or None)
    if request.method == "POST":
        if not may_write:
            raise Http404
        if form.is_valid():
            try:
                services.goal_add(by=request.user, package=package, **form.cleaned_data)
            except ValidationError as error:
                form_errors(form, error)
            else:
                messages.success(request, "Goal added to the SMART action plan.")
                return redirect("plans:goals", pk=package.pk)
    rows = (
        access.goals_for(request.user).filter(plan=plan).prefetch_related(_progress())
        if plan
        else []
    )
    return render(
        request,
        "plans/goals.html",
        {
            "package": package,
            "plan": plan,
            "goals": rows,
            "form": form if may_write else None,
            "tab": "goals",
        },
    )


def _goal(request, pk) -> Goal:
    if not access.may_see_deadlines(request.user):
        raise Http404
    return access.get_or_404(
        access.goals_for(request.user).select_related(
            "plan__package__individual", "plan__package__contract"
        ),
        pk=pk,
    )


@login_required
def goal_detail(request, pk):
    """One goal with its progress; the office records progress here."""
    goal = _goal(request, pk)
    package = goal.plan.package
    may_write = access.may_write_plans(request.user) and goal.status == Goal.Status.OPEN
    now = timezone.now()
    visits = list(
        access.visits_for(request.user)
        .filter(package=package, planned_start__gte=now - VISITS_BACK, planned_start__lte=now)
        .order_by("-planned_start")[:30]
    )
    form = ProgressForm(request.POST or None, visits=visits)
    if request.method == "POST":
        if not may_write:
            raise Http404
        if form.is_valid():
            try:
                services.goal_progress_record(
                    by=request.user,
                    goal=goal,
                    percent=form.cleaned_data["percent"],
                    note=form.cleaned_data["note"],
                    visit=form.cleaned_data["visit"],
                )
            except ValidationError as error:
                form_errors(form, error)
            else:
                messages.success(request, "Progress recorded.")
                return redirect("plans:goal", pk=goal.pk)
    return render(
        request,
        "plans/goal_detail.html",
        {
            "package": package,
            "goal": goal,
            "progress": goal.progress.select_related("visit", "recorded_by", "review"),
            "form": form if may_write else None,
            "tab": "goals",
        },
    )


@login_required
@require_POST
def goal_achieved(request, pk):
    """Mark the goal achieved: the council is told of the improvement (KENT-3.8.1)."""
    goal = _goal(request, pk)
    if not access.may_write_plans(request.user):
        raise Http404
    services.goal_achieve(by=request.user, goal=goal, note=request.POST.get("note", ""))
    messages.success(request, "Goal achieved. The council has been told (KENT-3.8.1).")
    return redirect("plans:goal", pk=goal.pk)


@login_required
@require_POST
def goal_stopped(request, pk):
    """Set the goal aside, with the reason."""
    goal = _goal(request, pk)
    if not access.may_write_plans(request.user):
        raise Http404
    try:
        services.goal_stop(by=request.user, goal=goal, reason=request.POST.get("reason", ""))
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, "Goal set aside.")
    return redirect("plans:goal", pk=goal.pk)
