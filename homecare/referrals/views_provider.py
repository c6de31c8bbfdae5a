"""The provider's side of referrals: the inbox of offers, one offer, the answer.

Thin views (the house pattern): fetch through ``homecare.core.access``, read
the answer with a form, call one service, redirect or render. Only a
provider's office (manager, coordinator) gets here; anyone else, and any
offer made to another provider, is a 404.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone

from homecare.core import access
from homecare.core.paging import paginate
from homecare.domain.clocks import describe_remaining
from homecare.people.models import WorkerGenderPreference

from . import services
from .forms_provider import AcceptForm, DeclineForm, add_service_errors
from .models import Offer

#: How long answered offers stay in the inbox, and how many of them at most.
ANSWERED_DAYS = 14
RECENT_LIMIT = 50
DAY_NAMES = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]


# ---------------------------------------------------------------- small helpers


def short_name(person) -> str:
    """First name and surname initial: enough to recognise, no more (inbox rows)."""
    return f"{person.given_name} {person.family_name[:1]}."


def hours_text(minutes: int) -> str:
    hours, mins = divmod(minutes, 60)
    return f"{hours} h {mins:02d} min" if mins else f"{hours} h"


def _days_text(days: list[int]) -> str:
    days = sorted(set(days))
    if days == list(range(7)):
        return "Daily"
    if days == list(range(5)):
        return "Mon–Fri"
    if days == [5, 6]:
        return "Sat–Sun"
    return ", ".join(DAY_NAMES[d] for d in days)


def visits_summary(visits) -> str:
    """'Daily 07:30–09:00, 45 min; Daily 17:00–18:30, 30 min' from the wanted visits."""
    groups: dict[tuple, list[int]] = {}
    for v in visits:
        key = (v.slot_start, v.slot_end, v.duration_minutes, v.workers_required)
        groups.setdefault(key, []).append(v.weekday)
    parts = []
    for (start, end, minutes, workers), days in sorted(groups.items()):
        two = ", 2 workers" if workers == 2 else ""
        parts.append(f"{_days_text(days)} {start:%H:%M}–{end:%H:%M}, {minutes} min{two}")
    return "; ".join(parts) or "No visits given"


def closed_reason(offer: Offer) -> str | None:
    """Why this offer can no longer be answered, or None while it is open."""
    if offer.status == Offer.Status.OPEN:
        return None
    if offer.status == Offer.Status.WITHDRAWN:
        return "This offer was withdrawn by the council; it can no longer be answered."
    return (
        f"This offer was already answered ({offer.get_status_display().lower()}) "
        f"at {timezone.localtime(offer.answered_at):%H:%M on %-d %B}."
    )


def _provider_offers(user):
    if not access.may_answer_offers(user):
        raise Http404
    return access.offers_for(user)


def _offer(user, pk) -> Offer:
    return access.get_or_404(
        _provider_offers(user).select_related(
            "referral__individual", "referral__area", "contract", "provider", "package"
        ),
        pk=pk,
    )


# ---------------------------------------------------------------- the inbox


@dataclass(frozen=True)
class InboxRow:
    offer: Offer
    name: str
    weekly_hours: str
    visits: str
    visit_count: int
    is_open: bool
    clock: str
    overdue: bool


#: What an inbox row shows: loading only these keeps a page of 50 cheap.
INBOX_FIELDS = (
    "id",
    "status",
    "offered_at",
    "due_at",
    "answered_at",
    "answered_late",
    "withdrawn_at",
    "referral__id",
    "referral__kind",
    "referral__urgency",
    "referral__individual__id",
    "referral__individual__given_name",
    "referral__individual__family_name",
    "referral__area__id",
    "referral__area__name",
)


def open_offers(user):
    """Offers waiting for this provider's answer, the soonest due first
    (served by the (provider, status, due_at) index)."""
    return (
        _provider_offers(user)
        .filter(status=Offer.Status.OPEN)
        .select_related("referral__individual", "referral__area")
        .only(*INBOX_FIELDS)
        .prefetch_related("referral__visits")
        .order_by("due_at", "pk")
    )


def recently_closed_offers(user, now, limit: int = RECENT_LIMIT) -> list[Offer]:
    """The newest ``limit`` offers answered or withdrawn in the last
    ANSWERED_DAYS days: two indexed queries, merged newest first."""
    since = now - timedelta(days=ANSWERED_DAYS)
    base = (
        _provider_offers(user)
        .exclude(status=Offer.Status.OPEN)
        .select_related("referral__individual", "referral__area")
        .only(*INBOX_FIELDS)
        .prefetch_related("referral__visits")
    )
    answered = list(base.filter(answered_at__gte=since).order_by("-answered_at")[:limit])
    withdrawn = list(
        base.filter(answered_at__isnull=True, withdrawn_at__gte=since).order_by("-withdrawn_at")[
            :limit
        ]
    )
    merged = sorted(
        answered + withdrawn, key=lambda o: o.answered_at or o.withdrawn_at, reverse=True
    )
    return merged[:limit]


def inbox_rows_for(offers, now) -> list[InboxRow]:
    """The rows of one page, clocks computed from each stored ``due_at``
    (KENT-GLOSS-RT: the response time runs from the offer to the answer)."""
    rows = []
    for offer in offers:
        referral = offer.referral
        visits = list(referral.visits.all())
        is_open = offer.status == Offer.Status.OPEN
        rows.append(
            InboxRow(
                offer=offer,
                name=short_name(referral.individual),
                weekly_hours=hours_text(
                    sum(v.duration_minutes * v.workers_required for v in visits)
                ),
                visits=visits_summary(visits),
                visit_count=len(visits),
                is_open=is_open,
                clock=describe_remaining(offer.due_at, now) if is_open else "",
                overdue=is_open and offer.due_at < now,
            )
        )
    return rows


def _inbox_context(request):
    """Open offers, paginated; after the last of them, the recently closed."""
    now = timezone.now()
    page = paginate(request, open_offers(request.user))
    rows = inbox_rows_for(page.object_list, now)
    if page.number == page.paginator.num_pages:
        rows += inbox_rows_for(recently_closed_offers(request.user, now), now)
    return {"page": page, "rows": rows, "now": now}


@login_required
def inbox(request):
    """Offers to this provider, each with its clock (LAN-HC-3.6, LAN-HC-3.8,
    LAN-ST-4.5), refreshed every 30 seconds."""
    return render(request, "referrals/inbox.html", _inbox_context(request))


@login_required
def inbox_rows(request):
    """The inbox rows alone, for the page to poll."""
    return render(request, "referrals/_inbox_rows.html", _inbox_context(request))


# ---------------------------------------------------------------- one offer


def _accept_form(offer: Offer, latest_date, data=None) -> AcceptForm:
    referral = offer.referral
    today = timezone.localdate()
    initial = {}
    if today <= referral.requested_start <= latest_date:
        initial["start_date"] = referral.requested_start
    return AcceptForm(
        data,
        visits=list(referral.visits.all()),
        needs_start_time=services.needs_start_time(offer),
        ask_gender=referral.preferred_worker_gender != WorkerGenderPreference.NONE,
        today=today,
        latest=latest_date,
        initial=initial,
    )


def _latest_start(offer: Offer):
    latest, ref = services.start_deadline(offer)
    return timezone.localtime(latest), ref


def _render_offer(request, offer: Offer, *, accept_form=None, decline_form=None):
    now = timezone.now()
    referral = offer.referral
    person = referral.individual
    latest, latest_ref = _latest_start(offer)
    is_open = offer.status == Offer.Status.OPEN
    if is_open:
        accept_form = accept_form or _accept_form(offer, latest.date())
        decline_form = decline_form or DeclineForm()
    arrivals = {s.referral_visit_id: s for s in offer.slots.all()}
    visits = [(v, arrivals.get(v.pk)) for v in referral.visits.all()]
    # The offer itself grants sight of the referral it carries, next of kin
    # included (LAN-ST-5.1), before the provider delivers to the person.
    next_of_kin = person.contacts.filter(archived_at__isnull=True, is_next_of_kin=True)
    return render(
        request,
        "referrals/offer_detail.html",
        {
            "offer": offer,
            "referral": referral,
            "person": person,
            "next_of_kin": next_of_kin,
            "visits": visits,
            "weekly_hours": hours_text(
                sum(v.duration_minutes * v.workers_required for v, _ in visits)
            ),
            "missing": referral.missing_information(),
            "is_open": is_open,
            "clock": describe_remaining(offer.due_at, now),
            "overdue": offer.due_at < now,
            "latest_start": latest,
            "latest_start_ref": latest_ref,
            "needs_start_time": services.needs_start_time(offer),
            "closed": closed_reason(offer),
            "accept_form": accept_form if is_open else None,
            "decline_form": decline_form if is_open else None,
        },
    )


@login_required
def offer_detail(request, pk):
    """What the provider needs to decide (LAN-ST-5.1, LAN-ST-5.4), the clock and
    the rule that set it, and the two answers."""
    return _render_offer(request, _offer(request.user, pk))


def _answered(request, offer: Offer, verb: str):
    text = f"{verb}."
    if offer.answered_late:
        text += (
            f" Answered late: the answer was due at "
            f"{timezone.localtime(offer.due_at):%H:%M on %-d %B}."
        )
    messages.success(request, text)
    return redirect("referrals:offer", pk=offer.pk)


def _refused(request, offer: Offer):
    """The offer closed under us (answered elsewhere, or withdrawn): say so."""
    fresh = _offer(request.user, offer.pk)
    reason = closed_reason(fresh)
    if reason is None:
        return None
    messages.error(request, reason)
    return redirect("referrals:offer", pk=offer.pk)


@login_required
def offer_accept(request, pk):
    """Accept: an arrival inside each offered slot (LAN-HC-3.5), the start date
    inside the window (LAN-HC-3.7, LAN-HC-3.9), the first visit's time where
    the rulebook asks (LAN-ST-4.5), the gender preference (LAN-HC-3.6)."""
    offer = _offer(request.user, pk)
    if request.method != "POST":
        return redirect("referrals:offer", pk=offer.pk)
    if closed := closed_reason(offer):
        messages.error(request, closed)
        return redirect("referrals:offer", pk=offer.pk)
    latest, _ = _latest_start(offer)
    form = _accept_form(offer, latest.date(), data=request.POST)
    if form.is_valid():
        try:
            offer = services.offer_accept(by=request.user, offer=offer, **form.answer())
        except ValidationError as exc:
            if (response := _refused(request, offer)) is not None:
                return response
            add_service_errors(form, exc)
        else:
            return _answered(request, offer, "Accepted: the council will confirm the package")
    messages.error(request, "Nothing was saved: please correct the answer below.")
    return _render_offer(request, offer, accept_form=form)


@login_required
def offer_decline(request, pk):
    """Decline with a reason from the list (LAN-HC-3.6; LAN-ST-5.4 missing information)."""
    offer = _offer(request.user, pk)
    if request.method != "POST":
        return redirect("referrals:offer", pk=offer.pk)
    if closed := closed_reason(offer):
        messages.error(request, closed)
        return redirect("referrals:offer", pk=offer.pk)
    form = DeclineForm(request.POST)
    if form.is_valid():
        try:
            offer = services.offer_decline(by=request.user, offer=offer, **form.answer())
        except ValidationError as exc:
            if (response := _refused(request, offer)) is not None:
                return response
            add_service_errors(form, exc)
        else:
            return _answered(request, offer, "Declined")
    messages.error(request, "Nothing was saved: please correct the answer below.")
    return _render_offer(request, offer, decline_form=form)
