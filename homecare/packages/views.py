from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from homecare.core import access, selectors
from homecare.core.paging import paginate
from homecare.domain.patterns import PackageStatus
from homecare.workforce.models import Skill

from . import services
from .forms import PatternEntryForm, TransitionForm


@login_required
def package_list(request):
    packages = access.packages_for(request.user).select_related(
        "individual", "organisation", "contract"
    )
    status = request.GET.get("status", "")
    if status in PackageStatus._value2member_map_:
        packages = packages.filter(status=status)
    return render(
        request,
        "packages/package_list.html",
        {
            "page": paginate(request, packages.order_by("-start_date", "reference", "pk")),
            "status": status,
            "statuses": list(PackageStatus),
        },
    )


def _package(request, pk):
    return access.get_or_404(
        access.packages_for(request.user).select_related("individual", "organisation", "contract"),
        pk=pk,
    )


@login_required
def package_detail(request, pk):
    package = _package(request, pk)
    start, _ = selectors.day_bounds(timezone.localdate())
    end = start + timezone.timedelta(days=7)
    pattern = (
        access.pattern_entries_for(request.user)
        .filter(package=package)
        .prefetch_related(Prefetch("skills", queryset=Skill.objects.order_by("name")))
    )
    may_plan = access.may_plan_packages(request.user)
    return render(
        request,
        "packages/package_detail.html",
        {
            "package": package,
            "pattern": pattern,
            "weekly_minutes": sum(e.weekly_minutes for e in pattern),
            "transitions": package.transitions.select_related("changed_by"),
            "visit_days": selectors.visit_days(
                selectors.visits_between(request.user, start, end).filter(package=package),
                full_names=True,
            ),
            "may_plan": may_plan,
            "transition_form": TransitionForm(current=package.status) if may_plan else None,
        },
    )


@login_required
def pattern_add(request, pk):
    package = _package(request, pk)
    if not access.may_plan_packages(request.user):
        raise Http404
    form = PatternEntryForm(request.POST or None, skills=Skill.objects.all())
    if request.method == "POST" and form.is_valid():
        try:
            services.pattern_entry_add(by=request.user, package=package, **form.cleaned_data)
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, "Added to the weekly pattern; visits are updated.")
            return redirect("packages:detail", pk=pk)
    return render(request, "packages/pattern_form.html", {"form": form, "package": package})


@login_required
@require_POST
def pattern_remove(request, pk, entry_pk):
    package = _package(request, pk)
    if not access.may_plan_packages(request.user):
        raise Http404
    entry = access.get_or_404(
        access.pattern_entries_for(request.user).filter(package=package), pk=entry_pk
    )
    try:
        services.pattern_entry_archive(by=request.user, entry=entry)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, "Taken out of the pattern; its future visits are cancelled.")
    return redirect("packages:detail", pk=pk)


@login_required
@require_POST
def package_status(request, pk):
    package = _package(request, pk)
    if not access.may_plan_packages(request.user):
        raise Http404
    form = TransitionForm(request.POST, current=package.status)
    if form.is_valid():
        try:
            services.package_transition(by=request.user, package=package, **form.cleaned_data)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, f"The package is now {package.get_status_display().lower()}.")
    else:
        messages.error(request, "; ".join(e for errs in form.errors.values() for e in errs))
    return redirect("packages:detail", pk=pk)


def _add_errors(form, exc: ValidationError):
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc)
