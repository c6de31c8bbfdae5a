"""Reviews (KENT-3.11.1, 3.11.2, DERBY-3.4), the pre-review form (KENT-3.11.3),
early reviews (KENT-3.12.1), monthly records checks (KENT-3.6.10) and the list
of people without a plan (LAN-ST-9.6)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from homecare.core import access

from . import services
from .forms import (
    EarlyReviewForm,
    PprifForm,
    RecordsCheckForm,
    ReviewHoldForm,
    ReviewScheduleForm,
)
from .missing import people_without_plan
from .views import form_errors, package_for


def _reviews_page(request, package, **forms):
    may_write = access.may_write_plans(request.user)
    today = timezone.localdate()
    context = {
        "package": package,
        "reviews": access.reviews_for(request.user)
        .filter(package=package)
        .select_related("recorded_by"),
        "schedule_form": ReviewScheduleForm(initial={"kind": "light_touch"}),
        "hold_form": ReviewHoldForm(initial={"held_on": today}),
        "early_form": EarlyReviewForm(),
        "may_write": may_write,
        "tab": "reviews",
    }
    context.update(forms)
    return render(request, "plans/reviews.html", context)


@login_required
def reviews(request, pk):
    return _reviews_page(request, package_for(request, pk))


def _post(request, pk, form_class, name, action, done):
    package = package_for(request, pk, write=True)
    form = form_class(request.POST)
    if form.is_valid():
        try:
            action(package, form.cleaned_data)
        except ValidationError as error:
            form_errors(form, error)
        else:
            messages.success(request, done)
            return redirect("plans:reviews", pk=package.pk)
    return _reviews_page(request, package, **{name: form})


@login_required
@require_POST
def review_schedule(request, pk):
    return _post(
        request,
        pk,
        ReviewScheduleForm,
        "schedule_form",
        lambda package, data: services.review_schedule(by=request.user, package=package, **data),
        "Review booked.",
    )


@login_required
@require_POST
def review_record(request, pk):
    """Record a review that was held (without booking it first)."""
    return _post(
        request,
        pk,
        ReviewHoldForm,
        "hold_form",
        lambda package, data: services.review_hold(by=request.user, package=package, **data),
        "Review recorded.",
    )


@login_required
@require_POST
def review_early(request, pk):
    return _post(
        request,
        pk,
        EarlyReviewForm,
        "early_form",
        lambda package, data: services.review_request_early(
            by=request.user, package=package, reason=data["reason"]
        ),
        "Early review requested; the council has been told (KENT-3.12.1).",
    )


def _review(request, pk):
    if not access.may_see_deadlines(request.user):
        raise Http404
    return access.get_or_404(
        access.reviews_for(request.user).select_related("package__individual", "recorded_by"),
        pk=pk,
    )


@login_required
def review_detail(request, pk):
    """One review: its pre-review form, and recording it as held."""
    review = _review(request, pk)
    may_write = access.may_write_plans(request.user) and not review.held_on
    pprif_form = PprifForm(initial=review.pprif)
    hold_form = ReviewHoldForm(
        initial={"kind": review.kind, "held_on": review.scheduled_for or timezone.localdate()}
    )
    if request.method == "POST":
        if not may_write:
            raise Http404
        which = request.POST.get("form")
        if which == "pprif":
            pprif_form = PprifForm(request.POST)
            if pprif_form.is_valid():
                try:
                    services.review_pprif_complete(
                        by=request.user, review=review, answers=pprif_form.cleaned_data
                    )
                except ValidationError as error:
                    form_errors(pprif_form, error)
                else:
                    messages.success(request, "Pre-review form completed.")
                    return redirect("plans:review", pk=review.pk)
        elif which == "hold":
            hold_form = ReviewHoldForm(request.POST)
            if hold_form.is_valid():
                try:
                    services.review_hold(
                        by=request.user,
                        package=review.package,
                        review=review,
                        **hold_form.cleaned_data,
                    )
                except ValidationError as error:
                    form_errors(hold_form, error)
                else:
                    messages.success(request, "Review recorded as held.")
                    return redirect("plans:review", pk=review.pk)
        else:
            raise Http404
    return render(
        request,
        "plans/review_detail.html",
        {
            "package": review.package,
            "review": review,
            "pprif_answers": [
                (label, review.pprif.get(key, "")) for key, label in services.PPRIF_FIELDS.items()
            ],
            "pprif_form": pprif_form if may_write else None,
            "hold_form": hold_form if may_write else None,
            "tab": "reviews",
        },
    )


@login_required
def records(request, pk):
    """The monthly review of the person's records (KENT-3.6.10)."""
    package = package_for(request, pk)
    may_write = access.may_write_plans(request.user)
    form = RecordsCheckForm(request.POST or None, initial={"checked_on": timezone.localdate()})
    if request.method == "POST":
        if not may_write:
            raise Http404
        if form.is_valid():
            try:
                services.records_check_record(by=request.user, package=package, **form.cleaned_data)
            except ValidationError as error:
                form_errors(form, error)
            else:
                messages.success(request, "Records review recorded.")
                return redirect("plans:records", pk=package.pk)
    return render(
        request,
        "plans/records.html",
        {
            "package": package,
            "checks": package.records_checks.filter(archived_at__isnull=True).select_related(
                "checked_by"
            ),
            "form": form if may_write else None,
            "tab": "records",
        },
    )


@login_required
def without_plan(request):
    """Everyone on the service N days or more without a plan (LAN-ST-9.6), for
    the contracts whose rulebook asks for the list; and the lists sent."""
    if not access.may_see_deadlines(request.user):
        raise Http404
    now = timezone.now()
    packages = access.deadline_packages_for(request.user)
    rows = people_without_plan(packages, timezone.localdate(now))
    sent = _lists_sent(request.user)
    return render(
        request,
        "plans/without_plan.html",
        {
            "rows": rows,
            "sent": sent,
            "now": now,
            "council_view": access.side(request.user) == "council",
        },
    )


def _lists_sent(user):
    from .models import MissingPlanList

    contracts = access.contracts_for(user).values("pk")
    return MissingPlanList.objects.filter(contract__in=contracts).select_related("contract")[:20]
