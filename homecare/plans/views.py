"""Plan pages: the plan in force, a new version, the history of versions, one
version, the printable PDF and the plain-language view for the person and
family."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from homecare.core import access

from . import services
from .forms import PlanVersionForm
from .models import CarePlan, GoalProgress, PlanVersion
from .pdf import plan_pdf


def package_for(request, pk, *, write=False, family=False):
    """The package at ``pk`` if the user may see its plan pages (the council and
    the provider's office; family only where ``family``), else 404."""
    user = request.user
    allowed = access.may_see_deadlines(user) or (family and access.side(user) == "family")
    if not allowed or (write and not access.may_write_plans(user)):
        raise Http404
    return access.get_or_404(
        access.packages_for(user).select_related("individual", "organisation", "contract"),
        pk=pk,
    )


def plan_of(request, package) -> CarePlan | None:
    return access.plans_for(request.user).filter(package=package).first()


def current_version(plan) -> PlanVersion | None:
    return plan.versions.filter(archived_at__isnull=True).first() if plan else None


def form_errors(form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, errs in error.error_dict.items():
            for e in errs:
                form.add_error(None if field == "__all__" or field not in form.fields else field, e)
    else:
        for message in error.messages:
            form.add_error(None, message)


@login_required
def plan_detail(request, pk):
    package = package_for(request, pk)
    plan = plan_of(request, package)
    version = current_version(plan)
    goals = (
        access.goals_for(request.user)
        .filter(plan=plan)
        .prefetch_related(
            Prefetch("progress", queryset=GoalProgress.objects.order_by("recorded_at"))
        )
        if plan
        else []
    )
    return render(
        request,
        "plans/plan_detail.html",
        {
            "package": package,
            "plan": plan,
            "version": version,
            "sections": version.sections() if version else [],
            "goals": goals,
            "may_write": access.may_write_plans(request.user),
            "tab": "plan",
        },
    )


@login_required
def plan_edit(request, pk):
    """Issue a new version of the plan (the first one writes it)."""
    package = package_for(request, pk, write=True)
    version = current_version(plan_of(request, package))
    form = PlanVersionForm(request.POST or None, initial=PlanVersionForm.initial_from(version))
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            new = services.plan_version_issue(
                by=request.user,
                package=package,
                review_date=data.pop("review_date"),
                actions=data.pop("actions"),
                change_summary=data.pop("change_summary"),
                **data,
            )
        except ValidationError as error:
            form_errors(form, error)
        else:
            messages.success(request, f"Version {new.number} of the plan issued.")
            return redirect("plans:plan", pk=package.pk)
    return render(
        request,
        "plans/plan_form.html",
        {"package": package, "form": form, "version": version, "tab": "plan"},
    )


@login_required
def plan_history(request, pk):
    package = package_for(request, pk)
    plan = plan_of(request, package)
    versions = plan.versions.select_related("issued_by") if plan else []
    return render(
        request,
        "plans/plan_history.html",
        {"package": package, "plan": plan, "versions": versions, "tab": "history"},
    )


@login_required
def version_detail(request, pk):
    if not access.may_see_deadlines(request.user):
        raise Http404
    version = access.get_or_404(
        PlanVersion.objects.filter(
            archived_at__isnull=True, plan__in=access.plans_for(request.user).values("pk")
        ).select_related("plan__package__individual", "issued_by"),
        pk=pk,
    )
    return render(
        request,
        "plans/version_detail.html",
        {
            "package": version.plan.package,
            "version": version,
            "sections": version.sections(),
            "tab": "history",
        },
    )


@login_required
def plan_print(request, pk):
    """The plan in force as a PDF to print or send."""
    package = package_for(request, pk)
    plan = plan_of(request, package)
    version = current_version(plan)
    if version is None:
        raise Http404
    goals = list(access.goals_for(request.user).filter(plan=plan))
    body = plan_pdf(package=package, version=version, goals=goals, printed_at=timezone.now())
    response = HttpResponse(body, content_type="application/pdf")
    response["Content-Disposition"] = (
        f'inline; filename="plan-{package.reference}-v{version.number}.pdf"'
    )
    return response


@login_required
def plan_easy_read(request, pk):
    """The plan in plain words, large text, for the person and their family
    (who see only their own person's plan); no NHS number."""
    package = package_for(request, pk, family=True)
    plan = plan_of(request, package)
    version = current_version(plan)
    goals = access.goals_for(request.user).filter(plan=plan) if plan else []
    sections = [s for s in version.sections(plain=True) if s[2].strip()] if version else []
    return render(
        request,
        "plans/easy_read.html",
        {
            "package": package,
            "person": package.individual,
            "version": version,
            "sections": sections,
            "goals": goals,
        },
    )
