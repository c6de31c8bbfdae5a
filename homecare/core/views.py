from datetime import timedelta

from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import JsonResponse
from django.shortcuts import render
from django.utils import timezone

from homecare.accounts.models import Role

from . import access, selectors


def healthz(request):
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"ok": True})


@login_required
def home(request):
    """Each role's front page: what that person needs first thing in the morning."""
    user = request.user
    today = timezone.localdate()
    context = {"today": today}
    if user.role in (Role.COUNCIL_BROKER, Role.COUNCIL_COMMISSIONER):
        contracts, week_start = selectors.contracts_with_usage(user, today)
        context.update(
            contracts=contracts,
            week_start=week_start,
            individuals=access.individuals_for(user).count(),
            packages=access.packages_for(user).filter(status="active").count(),
        )
        template = "core/home_council.html"
    elif user.role in (Role.PROVIDER_MANAGER, Role.PROVIDER_COORDINATOR):
        context.update(selectors.provider_summary(user, today))
        template = "core/home_provider.html"
    elif user.role == Role.CARE_WORKER:
        start, _ = selectors.day_bounds(today)
        _, end = selectors.day_bounds(today + timedelta(days=6))
        context["visit_days"] = selectors.visit_days(
            selectors.visits_between(user, start, end), full_names=True
        )
        template = "core/home_worker.html"
    elif user.role == Role.FAMILY:
        start, _ = selectors.day_bounds(today)
        _, end = selectors.day_bounds(today + timedelta(days=6))
        context["person"] = access.individuals_for(user).first()
        context["visit_days"] = selectors.visit_days(
            selectors.visits_between(user, start, end), full_names=False
        )
        template = "core/home_family.html"
    else:
        template = "core/home_none.html"
    return render(request, template, context)
