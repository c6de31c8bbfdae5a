"""The council's side of referrals: record, publish, watch the answers, confirm
or cancel. Council brokers act; commissioners look; anyone else gets a 404.

Every read goes through ``homecare.core.access``; every write is one service.
"""

import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from homecare.core import access
from homecare.core.paging import paginate

from . import selectors, services
from .forms import CancelForm, ConfirmForm, ReferralForm, VisitsWantedFormSet
from .models import Offer, Referral

#: Statuses a referral can still be cancelled from (LAN-ST-4.25).
CANCELLABLE = (
    Referral.Status.DRAFT,
    Referral.Status.QUEUED,
    Referral.Status.PUBLISHED,
    Referral.Status.PLACED,
)


def _council_only(user) -> None:
    """Broker pages are the council's: a provider (or anyone else) learns nothing."""
    if not user.is_council:
        raise Http404


def _broker_only(user) -> None:
    if not access.may_broker(user):
        raise Http404


def _referral(request, pk) -> Referral:
    _council_only(request.user)
    return access.get_or_404(
        access.referrals_for(request.user).select_related("individual", "area", "previous_package"),
        pk=pk,
    )


def _errors(request, exc: ValidationError) -> None:
    for message in exc.messages:
        messages.error(request, message)


# The board ------------------------------------------------------------------


def _board_context(request) -> dict:
    status = request.GET.get("status", "open")
    if status not in selectors.FILTERS:
        status = "open"
    q = request.GET.get("q", "").strip()
    now = timezone.now()
    page = paginate(request, selectors.board(request.user, status=status, q=q, now=now))
    return {
        "page": page,
        "rows": selectors.board_rows(page.object_list, now=now),
        "status": status,
        "q": q,
        "filters": selectors.FILTERS,
        "now": now,
    }


@login_required
@require_GET
def board(request):
    _council_only(request.user)
    context = _board_context(request)
    context["counts"] = selectors.board_counts(request.user, now=context["now"])
    context["may_broker"] = access.may_broker(request.user)
    return render(request, "referrals/board.html", context)


@login_required
@require_GET
def board_rows(request):
    """The board's rows alone, for htmx to swap in every 30 seconds."""
    _council_only(request.user)
    return render(request, "referrals/_board_rows.html", _board_context(request))


# Recording a referral -------------------------------------------------------


@login_required
def referral_create(request):
    _broker_only(request.user)
    people = access.individuals_for(request.user)
    packages = access.packages_for(request.user)
    person = _preselected(request, people)
    initial = {}
    if person is not None:
        initial = {
            "individual": person.pk,
            "preferred_worker_gender": person.preferred_worker_gender,
            "safeguarding_concern": person.safeguarding_concern,
            "capacity_concern": person.capacity_concern,
        }
    data = request.POST if request.method == "POST" else None
    form = ReferralForm(data, people=people, packages=packages, initial=initial)
    visits = VisitsWantedFormSet(data, prefix="visits")
    if data is not None and form.is_valid() and visits.is_valid():
        try:
            referral = services.referral_create(
                by=request.user,
                individual=form.cleaned_data["individual"],
                visits=visits.visits(),
                **form.service_fields(),
            )
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(
                request,
                f"Referral {referral.reference} is recorded as a draft. Check it, then publish it.",
            )
            return redirect("referrals:detail", pk=referral.pk)
    return render(
        request,
        "referrals/referral_form.html",
        {
            "form": form,
            "visits": visits,
            "person": person,
        },
    )


def _preselected(request, people):
    try:
        pk = uuid.UUID(request.GET.get("person", ""))
    except ValueError:
        return None
    return people.filter(pk=pk).first()


def _add_errors(form, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for name, errors in exc.message_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, exc)


# One referral ---------------------------------------------------------------


@login_required
@require_GET
def referral_detail(request, pk):
    referral = _referral(request, pk)
    now = timezone.now()
    offers = selectors.referral_offers(request.user, referral, now=now)
    before_publishing = referral.status in (Referral.Status.DRAFT, Referral.Status.QUEUED)
    may_act = access.may_broker(request.user)
    visits = list(referral.visits.all())
    return render(
        request,
        "referrals/referral_detail.html",
        {
            "referral": referral,
            "visit_groups": selectors.group_visits(visits),
            "weekly_minutes": sum(v.duration_minutes * v.workers_required for v in visits),
            "offers": offers,
            "now": now,
            "missing": referral.missing_information() if before_publishing else [],
            "decision": services.eligibility(referral) if before_publishing else None,
            "packages": [line.offer.package for line in offers if line.offer.package_id],
            "may_act": may_act,
            "can_publish": may_act and referral.status == Referral.Status.DRAFT,
            "can_confirm": may_act
            and referral.status == Referral.Status.PUBLISHED
            and any(line.offer.status == Offer.Status.ACCEPTED for line in offers),
            "can_offer_to_others": may_act and _waiting_on_previous_provider(referral, offers),
            "can_cancel": may_act and referral.status in CANCELLABLE,
            "cancel_form": CancelForm(),
        },
    )


def _waiting_on_previous_provider(referral, offers) -> bool:
    """A restart still with the previous provider, not yet open to others (LAN-HC-6.4)."""
    if referral.kind != Referral.Kind.RESTART or referral.status != Referral.Status.PUBLISHED:
        return False
    rounds = {(line.offer.round, line.offer.status) for line in offers}
    return (Offer.Round.PREVIOUS_PROVIDER, Offer.Status.OPEN) in rounds and not any(
        r == Offer.Round.OPEN for r, _ in rounds
    )


@login_required
@require_POST
def referral_publish(request, pk):
    _broker_only(request.user)
    referral = _referral(request, pk)
    try:
        referral = services.referral_publish(by=request.user, referral=referral)
    except ValidationError as exc:
        _errors(request, exc)
    else:
        if referral.status == Referral.Status.QUEUED:
            at = timezone.localtime(referral.publish_after)
            messages.success(
                request,
                f"Queued: it goes out with the daily batch at {at:%H:%M on %A %-d %B} "
                "(LAN-HC-3.2).",
            )
        else:
            names = sorted(o.provider.name for o in referral.offers.select_related("provider"))
            messages.success(request, f"Published to {_and(names)}.")
    return redirect("referrals:detail", pk=pk)


@login_required
def referral_confirm(request, pk):
    _broker_only(request.user)
    referral = _referral(request, pk)
    if referral.status != Referral.Status.PUBLISHED:
        messages.error(request, "This referral is not waiting for a decision.")
        return redirect("referrals:detail", pk=pk)
    offers = selectors.accepted_offers(request.user, referral)
    if not offers:
        messages.error(request, "No provider has accepted this referral yet.")
        return redirect("referrals:detail", pk=pk)
    form = ConfirmForm(request.POST or None, visits=referral.visits.all(), offers=offers)
    if request.method == "POST" and form.is_valid():
        try:
            packages = services.referral_confirm(
                by=request.user, referral=referral, allocations=form.cleaned_data["allocations"]
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            names = _and(sorted({p.organisation.name for p in packages}))
            books = "the package is" if len(packages) == 1 else "the packages are"
            messages.success(request, f"Placed with {names}; {books} now in their books.")
            return redirect("referrals:detail", pk=pk)
    return render(
        request,
        "referrals/confirm.html",
        {
            "referral": referral,
            "form": form,
            "offers": offers,
        },
    )


@login_required
@require_POST
def referral_cancel(request, pk):
    _broker_only(request.user)
    referral = _referral(request, pk)
    form = CancelForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(e for errs in form.errors.values() for e in errs))
        return redirect("referrals:detail", pk=pk)
    was_placed = referral.status == Referral.Status.PLACED
    try:
        services.referral_cancel(
            by=request.user, referral=referral, reason=form.cleaned_data["reason"]
        )
    except ValidationError as exc:
        _errors(request, exc)
    else:
        if was_placed:
            messages.success(
                request,
                "Cancelled. Today's visits stand; every visit from tomorrow is "
                "cancelled and the provider's capacity is released (LAN-ST-4.25).",
            )
        else:
            messages.success(request, "Cancelled. Offers still open are withdrawn.")
    return redirect("referrals:detail", pk=pk)


@login_required
@require_POST
def referral_offer_to_others(request, pk):
    _broker_only(request.user)
    referral = _referral(request, pk)
    try:
        services.referral_offer_to_others(by=request.user, referral=referral)
    except ValidationError as exc:
        _errors(request, exc)
    else:
        messages.success(
            request,
            "Offered to the other providers; the previous provider's offer is withdrawn "
            "(LAN-HC-6.4, LAN-HC-6.5).",
        )
    return redirect("referrals:detail", pk=pk)


def _and(names: list[str]) -> str:
    if len(names) <= 1:
        return "".join(names)
    return f"{', '.join(names[:-1])} and {names[-1]}"
