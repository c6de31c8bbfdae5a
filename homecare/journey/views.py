"""Pages of a package's journey and of changes to care, for both sides."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from homecare.core import access
from homecare.core.paging import paginate

from . import changes as change_services
from .endings import earliest_last_day
from .forms import (
    AdmitForm,
    ChangeForm,
    D2AStartForm,
    DecideForm,
    HandBackForm,
    ReasonForm,
)
from .models import PackageChange


def package_of(request, pk):
    return access.get_or_404(
        access.packages_for(request.user)
        .filter(pk__in=access.deadline_packages_for(request.user).values("pk"))
        .select_related("individual", "organisation", "contract"),
        pk=pk,
    )


def add_errors(form, exc: ValidationError):
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc)


@login_required
def package_journey(request, pk):
    """One package's journey: its changes, hospital stays, hand-backs and D2A."""
    package = package_of(request, pk)
    office = access.may_change_care(request.user)
    today = timezone.localdate()
    rules = package.contract.rules()
    return render(
        request,
        "journey/package.html",
        {
            "package": package,
            "pattern": package.pattern.filter(archived_at__isnull=True),
            "changes": access.package_changes_for(request.user).filter(package=package),
            "stays": access.hospital_stays_for(request.user).filter(package=package),
            "handbacks": access.handbacks_for(request.user).filter(package=package),
            "d2a_periods": access.d2a_periods_for(request.user).filter(package=package),
            "office": office,
            "admit_form": AdmitForm() if office and package.status == "active" else None,
            "handback_form": HandBackForm(initial={"last_day": earliest_last_day(package, today)})
            if office and package.status in ("active", "suspended")
            else None,
            "d2a_form": D2AStartForm(initial={"starts_on": today})
            if office and rules.value("hospital.d2a_length")
            else None,
            "notice": rules.entry("notice.handback"),
        },
    )


@login_required
def change_new(request, pk):
    package = package_of(request, pk)
    if not access.may_change_care(request.user):
        raise Http404
    entries = access.pattern_entries_for(request.user).filter(package=package)
    form = ChangeForm(
        request.POST or None,
        entries=entries,
        initial={"starts_on": timezone.localdate()},
    )
    if request.method == "POST" and form.is_valid():
        try:
            change = change_services.package_change_propose(
                by=request.user, package=package, **form.cleaned_data
            )
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            if change.status == PackageChange.Status.REQUESTED:
                messages.warning(
                    request, "This change needs the council's agreement: it is sent as a request."
                )
            else:
                messages.success(
                    request,
                    f"Change {change.get_status_display().lower()}; "
                    "the council has been sent the details.",
                )
            return redirect("journey:change", pk=change.pk)
    rules = package.contract.rules()
    return render(
        request,
        "journey/change_form.html",
        {
            "form": form,
            "package": package,
            "limits": [
                rules.entry(k)
                for k in (
                    "change.increase_limit_daily",
                    "change.increase_limit_weekly",
                    "change.reduce_without_approval",
                    "change.cease_without_approval",
                    "change.report_within",
                )
            ],
        },
    )


@login_required
def change_list(request):
    if access.side(request.user) not in ("council", "office"):
        raise Http404
    qs = access.package_changes_for(request.user).select_related(
        "package", "individual", "organisation"
    )
    status = request.GET.get("status", "")
    if status in PackageChange.Status.values:
        qs = qs.filter(status=status)
    return render(
        request,
        "journey/change_list.html",
        {
            "page": paginate(request, qs.order_by("-created_at", "pk")),
            "status": status,
            "statuses": PackageChange.Status.choices,
        },
    )


def _change(request, pk):
    return access.get_or_404(
        access.package_changes_for(request.user).select_related(
            "package", "individual", "organisation", "proposed_by", "decided_by", "entry"
        ),
        pk=pk,
    )


@login_required
def change_detail(request, pk):
    change = _change(request, pk)
    council = access.may_decide_changes(request.user)
    return render(
        request,
        "journey/change_detail.html",
        {
            "change": change,
            "summary": change_services.describe(change),
            "decide_form": DecideForm() if council and change.status == "requested" else None,
            "reverse_form": ReasonForm()
            if council and change.status in ("agreed", "applied")
            else None,
        },
    )


@login_required
@require_POST
def change_decide(request, pk):
    change = _change(request, pk)
    if not access.may_decide_changes(request.user):
        raise Http404
    form = DecideForm(request.POST)
    if form.is_valid():
        try:
            change_services.package_change_decide(
                by=request.user, change=change, **form.cleaned_data
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, "Decision recorded.")
    else:
        messages.error(request, "Choose agree or decline.")
    return redirect("journey:change", pk=pk)


@login_required
@require_POST
def change_reverse(request, pk):
    change = _change(request, pk)
    if not access.may_decide_changes(request.user):
        raise Http404
    form = ReasonForm(request.POST)
    if form.is_valid():
        try:
            change_services.package_change_reverse(
                by=request.user, change=change, reason=form.cleaned_data["reason"]
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, "The change is reversed; the visits are back as they were.")
    else:
        messages.error(request, "Say why the change is reversed.")
    return redirect("journey:change", pk=pk)
