"""Pages of hospital stays, restarts, hand-backs and Discharge to Assess."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from homecare.core import access
from homecare.core.paging import paginate

from . import endings, hospital
from .forms import (
    AdmitForm,
    D2AStartForm,
    DischargeForm,
    HandBackForm,
    HandoverForm,
    OutcomeForm,
    ReasonForm,
    RestartForm,
)
from .views import add_errors, package_of


def _errors(request, exc):
    messages.error(request, " ".join(exc.messages))


def _office(request):
    if not access.may_change_care(request.user):
        raise Http404


def _sides(request):
    if access.side(request.user) not in ("council", "office"):
        raise Http404


# ---- Hospital stays -----------------------------------------------------------


@login_required
def stay_admit(request, pk):
    package = package_of(request, pk)
    _office(request)
    form = AdmitForm(request.POST or None, initial={"admitted_at": timezone.localtime()})
    if request.method == "POST" and form.is_valid():
        try:
            stay = hospital.stay_admit(by=request.user, package=package, **form.cleaned_data)
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            messages.success(request, "Admission recorded; the council has been told.")
            return redirect("journey:stay", pk=stay.pk)
    return render(request, "journey/admit_form.html", {"form": form, "package": package})


@login_required
def stay_list(request):
    _sides(request)
    qs = access.hospital_stays_for(request.user).select_related("package", "individual")
    return render(
        request,
        "journey/stay_list.html",
        {"page": paginate(request, qs.order_by("-admitted_at", "pk"))},
    )


def _stay(request, pk):
    return access.get_or_404(
        access.hospital_stays_for(request.user).select_related(
            "package", "individual", "organisation", "restart_referral"
        ),
        pk=pk,
    )


@login_required
def stay_detail(request, pk):
    stay = _stay(request, pk)
    office, council = access.may_change_care(request.user), access.may_decide_changes(request.user)
    open_ = stay.discharged_at is None
    return render(
        request,
        "journey/stay_detail.html",
        {
            "stay": stay,
            "held_visits": stay.held_visits.select_related("visit"),
            "discharge_form": DischargeForm(initial={"discharged_at": timezone.localtime()})
            if office and open_
            else None,
            "restart_form": RestartForm(initial={"requested_start": timezone.localdate()})
            if council
            and not stay.restart_referral_id
            and stay.status in ("suspended", "discharged")
            and stay.package.status == "suspended"
            else None,
            "now": timezone.now(),
        },
    )


@login_required
@require_POST
def stay_discharge(request, pk):
    stay = _stay(request, pk)
    _office(request)
    form = DischargeForm(request.POST)
    if form.is_valid():
        try:
            hospital.stay_discharge(by=request.user, stay=stay, **form.cleaned_data)
        except ValidationError as exc:
            _errors(request, exc)
        else:
            messages.success(request, "Discharge recorded.")
    else:
        messages.error(request, "Give the discharge time.")
    return redirect("journey:stay", pk=pk)


@login_required
@require_POST
def stay_restart(request, pk):
    stay = _stay(request, pk)
    if not access.may_decide_changes(request.user):
        raise Http404
    form = RestartForm(request.POST)
    if form.is_valid():
        try:
            referral = hospital.stay_restart(by=request.user, stay=stay, **form.cleaned_data)
        except ValidationError as exc:
            _errors(request, exc)
        else:
            messages.success(request, "Restart sent: offered to the previous provider first.")
            return redirect("referrals:detail", pk=referral.pk)
    else:
        messages.error(request, "Give the restart date.")
    return redirect("journey:stay", pk=pk)


# ---- Hand-backs ----------------------------------------------------------------


@login_required
def handback_new(request, pk):
    package = package_of(request, pk)
    _office(request)
    form = HandBackForm(
        request.POST or None,
        initial={"last_day": endings.earliest_last_day(package, timezone.localdate())},
    )
    if request.method == "POST" and form.is_valid():
        try:
            handback = endings.handback_give_notice(
                by=request.user, package=package, **form.cleaned_data
            )
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            messages.success(request, "Notice given; the council has been told.")
            return redirect("journey:handback", pk=handback.pk)
    return render(
        request,
        "journey/handback_form.html",
        {
            "form": form,
            "package": package,
            "notice": package.contract.rules().entry("notice.handback"),
        },
    )


@login_required
def handback_list(request):
    _sides(request)
    qs = access.handbacks_for(request.user).select_related("package", "individual")
    return render(
        request,
        "journey/handback_list.html",
        {"page": paginate(request, qs.order_by("last_day", "pk"))},
    )


def _handback(request, pk):
    return access.get_or_404(
        access.handbacks_for(request.user).select_related(
            "package", "individual", "organisation", "given_by"
        ),
        pk=pk,
    )


@login_required
def handback_detail(request, pk):
    handback = _handback(request, pk)
    office = access.may_change_care(request.user) and handback.status == "notice"
    return render(
        request,
        "journey/handback_detail.html",
        {
            "handback": handback,
            "handover_form": HandoverForm() if office else None,
            "may_withdraw": office,
            "last_day_reached": timezone.localdate() >= handback.last_day,
        },
    )


@login_required
@require_POST
def handback_complete(request, pk):
    handback = _handback(request, pk)
    _office(request)
    form = HandoverForm(request.POST)
    if form.is_valid():
        try:
            endings.handback_complete(by=request.user, handback=handback, **form.cleaned_data)
        except ValidationError as exc:
            _errors(request, exc)
        else:
            messages.success(request, "Handed back: the package has ended and is closed.")
    else:
        messages.error(request, "Say who the records went to.")
    return redirect("journey:handback", pk=pk)


@login_required
@require_POST
def handback_withdraw(request, pk):
    handback = _handback(request, pk)
    _office(request)
    try:
        endings.handback_withdraw(by=request.user, handback=handback)
    except ValidationError as exc:
        _errors(request, exc)
    else:
        messages.success(request, "Notice withdrawn.")
    return redirect("journey:handback", pk=pk)


# ---- Discharge to Assess ---------------------------------------------------------


@login_required
@require_POST
def d2a_start(request, pk):
    package = package_of(request, pk)
    _office(request)
    form = D2AStartForm(request.POST)
    if form.is_valid():
        try:
            d2a = endings.d2a_start(by=request.user, package=package, **form.cleaned_data)
        except ValidationError as exc:
            _errors(request, exc)
        else:
            messages.success(request, f"Discharge to Assess runs to {d2a.ends_on:%d %B}.")
            return redirect("journey:d2a", pk=d2a.pk)
    return redirect("journey:package", pk=pk)


def _d2a(request, pk):
    return access.get_or_404(
        access.d2a_periods_for(request.user).select_related("package", "individual"), pk=pk
    )


@login_required
def d2a_detail(request, pk):
    d2a = _d2a(request, pk)
    office = access.may_change_care(request.user) and d2a.ended_at is None
    return render(
        request,
        "journey/d2a_detail.html",
        {
            "d2a": d2a,
            "extend_form": ReasonForm() if office and not d2a.extended_at else None,
            "end_form": OutcomeForm() if office else None,
        },
    )


@login_required
@require_POST
def d2a_extend(request, pk):
    d2a = _d2a(request, pk)
    _office(request)
    form = ReasonForm(request.POST)
    try:
        endings.d2a_extend(by=request.user, d2a=d2a, reason=request.POST.get("reason", ""))
    except ValidationError as exc:
        _errors(request, exc)
    else:
        if form.is_valid():
            messages.success(request, "Extended.")
    return redirect("journey:d2a", pk=pk)


@login_required
@require_POST
def d2a_end(request, pk):
    d2a = _d2a(request, pk)
    _office(request)
    try:
        endings.d2a_finish(by=request.user, d2a=d2a, outcome=request.POST.get("outcome", ""))
    except ValidationError as exc:
        _errors(request, exc)
    else:
        messages.success(request, "Discharge to Assess has ended.")
    return redirect("journey:d2a", pk=pk)
