"""The JSON API for referrals and offers (/api/), for councils' and providers' systems.

Authentication: the browser's session (CSRF enforced on every POST), or
``Authorization: Bearer <token>`` (``homecare.api_tokens``; no CSRF, since no
browser sends that header by itself). Everything is read through
``homecare.core.access``: a record the caller may not see, or an action its
role may not take, is ``404 {"error": "Not found"}``. Writes go through
``homecare.referrals.services``. Datetimes are ISO 8601 in UTC; the NHS number
is never sent.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from functools import wraps

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, JsonResponse
from django.middleware.csrf import CsrfViewMiddleware
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt

from homecare.api_tokens import auth as token_auth
from homecare.core import access
from homecare.people.models import WorkerGenderPreference

from . import api_schema as schema
from . import services
from .forms_provider import AcceptForm, DeclineForm
from .models import Offer, Referral
from .views_provider import closed_reason, short_name

SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}


# ---------------------------------------------------------------- plumbing


def error(status: int, message: str, **extra) -> JsonResponse:
    return JsonResponse({"error": message, **extra}, status=status)


def invalid(errors: dict) -> JsonResponse:
    return JsonResponse({"errors": errors}, status=400)


class _CsrfCheck(CsrfViewMiddleware):
    def _reject(self, request, reason):
        return reason


def _csrf_problem(request) -> str | None:
    """Why a session request fails Django's CSRF check, or None when it passes."""
    check = _CsrfCheck(lambda _request: None)
    check.process_request(request)
    return check.process_view(request, None, (), {})


def _unauthorised(message: str) -> JsonResponse:
    response = error(401, message)
    response["WWW-Authenticate"] = 'Bearer realm="homecare"'
    return response


def endpoint(*methods: str):
    """An API view: authenticate (token or session + CSRF), allow ``methods``,
    and turn a 404 into JSON."""

    def decorate(view):
        @csrf_exempt
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if problem := getattr(request, "api_token_error", None):
                return _unauthorised(problem)
            if hasattr(request, "api_token"):  # read by the BearerTokenMiddleware
                token = request.api_token
            else:
                try:
                    token = token_auth.authenticate(request)
                except token_auth.TokenError as exc:
                    return _unauthorised(str(exc))
            if token is not None:
                request.user = token.user
                request.api_token = token
            elif not request.user.is_authenticated:
                return _unauthorised(
                    "Sign in, or send an API token as 'Authorization: Bearer <token>'."
                )
            elif request.method not in SAFE_METHODS and (problem := _csrf_problem(request)):
                return error(403, f"CSRF check failed: {problem}")
            if request.method not in methods:
                response = error(405, f"Use {' or '.join(methods)}.")
                response["Allow"] = ", ".join(methods)
                return response
            try:
                return view(request, *args, **kwargs)
            except Http404:
                return error(404, "Not found")
            except schema.JSONBodyError as exc:
                return error(400, str(exc))

        return wrapped

    return decorate


def _body(request) -> dict:
    try:
        body = json.loads(request.body or b"{}")
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise schema.JSONBodyError("The body must be JSON.") from exc
    if not isinstance(body, dict):
        raise schema.JSONBodyError("The body must be a JSON object.")
    return body


def _page(request, queryset, serialise) -> dict:
    paginator = Paginator(queryset, settings.HOMECARE_PAGE_SIZE)
    page = paginator.get_page(request.GET.get("page"))
    return {
        "count": paginator.count,
        "page": page.number,
        "pages": paginator.num_pages,
        "next": page.next_page_number() if page.has_next() else None,
        "previous": page.previous_page_number() if page.has_previous() else None,
        "results": [serialise(item) for item in page.object_list],
    }


def _dt(value: datetime | None) -> str | None:
    return value.astimezone(UTC).isoformat() if value else None


def _d(value) -> str | None:
    return value.isoformat() if value else None


def _t(value) -> str | None:
    return f"{value:%H:%M}" if value else None


# ---------------------------------------------------------------- what is sent


def person_summary(person) -> dict:
    return {"id": str(person.pk), "name": short_name(person)}


def person_json(person) -> dict:
    """The person as a referral carries them (LAN-ST-5.1), without the NHS number."""
    return {
        "id": str(person.pk),
        "title": person.title,
        "given_name": person.given_name,
        "family_name": person.family_name,
        "preferred_name": person.preferred_name,
        "date_of_birth": _d(person.date_of_birth),
        "address": {
            "line_1": person.address_line_1,
            "line_2": person.address_line_2,
            "town": person.town,
            "postcode": person.postcode,
        },
        "telephone": person.telephone,
        "presenting_needs": person.presenting_needs,
        "medical_conditions": person.medical_conditions,
        "current_care_arrangements": person.current_care_arrangements,
        "moving_and_handling": person.moving_and_handling,
        "known_risks": person.known_risks,
        "communication_needs": person.communication_needs,
        "safeguarding_concern": person.safeguarding_concern,
        "capacity_concern": person.capacity_concern,
    }


def visit_json(visit, slot=None) -> dict:
    out = {
        "id": visit.pk,
        "weekday": visit.weekday,
        "weekday_name": visit.get_weekday_display(),
        "kind": visit.kind,
        "slot_start": _t(visit.slot_start),
        "slot_end": _t(visit.slot_end),
        "duration_minutes": visit.duration_minutes,
        "workers_required": visit.workers_required,
        "tasks": visit.tasks,
    }
    if slot is not None:
        out["arrival_time"] = _t(slot.arrival_time)
        out["confirmed"] = slot.confirmed
    return out


def referral_summary(referral: Referral) -> dict:
    visits = list(referral.visits.all())
    return {
        "id": str(referral.pk),
        "reference": referral.reference,
        "status": referral.status,
        "kind": referral.kind,
        "urgency": referral.urgency,
        "area": {"id": str(referral.area_id), "name": referral.area.name},
        "person": person_summary(referral.individual),
        "received_at": _dt(referral.received_at),
        "published_at": _dt(referral.published_at),
        "requested_start": _d(referral.requested_start),
        "weekly_minutes": sum(v.duration_minutes * v.workers_required for v in visits),
        "visits_per_week": len(visits),
    }


def referral_json(referral: Referral, *, user, now) -> dict:
    """A referral in full, with the offers the caller may see."""
    offers = (
        access.offers_for(user)
        .filter(referral=referral)
        .select_related("provider", "referral__individual", "referral__area")
        .order_by("due_at", "pk")
    )
    return {
        **referral_summary(referral),
        "source": referral.source,
        "referrer_name": referral.referrer_name,
        "referrer_telephone": referral.referrer_telephone,
        "care_type": referral.care_type,
        "expected_end": _d(referral.expected_end),
        "needs_statement": referral.needs_statement,
        "special_requirements": referral.special_requirements,
        "moving_and_handling": referral.moving_and_handling,
        "known_risks": referral.known_risks,
        "preferred_worker_gender": referral.preferred_worker_gender,
        "safeguarding_concern": referral.safeguarding_concern,
        "capacity_concern": referral.capacity_concern,
        "consent": referral.consent,
        "consent_notes": referral.consent_notes,
        "publish_after": _dt(referral.publish_after),
        "placed_at": _dt(referral.placed_at),
        "cancelled_at": _dt(referral.cancelled_at),
        "person": person_json(referral.individual),
        "missing_information": referral.missing_information(),
        "visits": [visit_json(v) for v in referral.visits.all()],
        "offers": [offer_summary(o, now=now) for o in offers],
    }


def offer_summary(offer: Offer, *, now) -> dict:
    """An offer and its clock (KENT-GLOSS-RT response time once answered)."""
    is_open = offer.status == Offer.Status.OPEN
    referral = offer.referral
    return {
        "id": str(offer.pk),
        "status": offer.status,
        "round": offer.round,
        "provider": {"id": str(offer.provider_id), "name": offer.provider.name},
        "referral": {
            "id": str(referral.pk),
            "reference": referral.reference,
            "kind": referral.kind,
            "urgency": referral.urgency,
            "area": referral.area.name,
            "person": person_summary(referral.individual),
        },
        "offered_at": _dt(offer.offered_at),
        "due_at": _dt(offer.due_at),
        "time_left_minutes": int((offer.due_at - now).total_seconds() // 60) if is_open else None,
        "overdue": is_open and offer.due_at < now,
        "deadline_rule": offer.deadline_rule,
        "deadline_ref": offer.deadline_ref,
        "answered_at": _dt(offer.answered_at),
        "answered_late": offer.answered_late,
        "response_minutes": offer.response_minutes,
        "start_date": _d(offer.start_date),
        "start_time": _t(offer.start_time),
        "gender_preference_met": offer.gender_preference_met,
        "decline_reason": offer.decline_reason or None,
        "decline_details": offer.decline_details,
        "withdrawn_at": _dt(offer.withdrawn_at),
        "withdrawn_reason": offer.withdrawn_reason,
    }


def offer_json(offer: Offer, *, now) -> dict:
    """One offer: what the provider needs to decide (LAN-ST-5.1, LAN-ST-5.4) and
    the visits wanted with their slots (LAN-HC-3.4) and any arrival given."""
    referral = offer.referral
    latest, latest_ref = services.start_deadline(offer)
    slots = {s.referral_visit_id: s for s in offer.slots.all()}
    return {
        **offer_summary(offer, now=now),
        "latest_start": _dt(latest),
        "latest_start_ref": latest_ref,
        "needs_start_time": services.needs_start_time(offer),
        "preferred_worker_gender": referral.preferred_worker_gender,
        "requested_start": _d(referral.requested_start),
        "needs_statement": referral.needs_statement,
        "special_requirements": referral.special_requirements,
        "moving_and_handling": referral.moving_and_handling,
        "known_risks": referral.known_risks,
        "safeguarding_concern": referral.safeguarding_concern,
        "capacity_concern": referral.capacity_concern,
        "person": person_json(referral.individual),
        "missing_information": referral.missing_information(),
        "visits": [visit_json(v, slots.get(v.pk)) for v in referral.visits.all()],
        "package": str(offer.package_id) if offer.package_id else None,
    }


# ---------------------------------------------------------------- referrals


def _referrals(user):
    return (
        access.referrals_for(user).select_related("individual", "area").prefetch_related("visits")
    )


@endpoint("GET", "POST")
def referrals(request):
    """GET: the council's referrals, or those offered to the provider.
    POST (council broker): record a draft referral with the visits wanted."""
    if request.method == "POST":
        return _referral_create(request)
    queryset = _referrals(request.user).order_by("-received_at", "pk")
    return JsonResponse(_page(request, queryset, referral_summary))


def _referral_create(request):
    if not access.may_broker(request.user):
        raise Http404
    arguments, errors = schema.referral_from_json(_body(request), user=request.user)
    if errors:
        return invalid(errors)
    try:
        created = services.referral_create(by=request.user, **arguments)
    except ValidationError as exc:
        return invalid(schema.validation_error_json(exc))
    referral = access.get_or_404(_referrals(request.user), pk=created.pk)
    return JsonResponse(referral_json(referral, user=request.user, now=timezone.now()), status=201)


@endpoint("GET")
def referral(request, pk):
    found = access.get_or_404(_referrals(request.user), pk=pk)
    return JsonResponse(referral_json(found, user=request.user, now=timezone.now()))


@endpoint("POST")
def referral_publish(request, pk):
    """Publish a draft to the providers who may take it (LAN-HC-3.2), each offer
    on its own contract's clock."""
    if not access.may_broker(request.user):
        raise Http404
    found = access.get_or_404(_referrals(request.user), pk=pk)
    if found.status != Referral.Status.DRAFT:
        return error(
            409, f"This referral has already been published ({found.get_status_display().lower()})."
        )
    try:
        services.referral_publish(by=request.user, referral=found)
    except ValidationError as exc:
        fresh = access.get_or_404(_referrals(request.user), pk=pk)
        if fresh.status != Referral.Status.DRAFT:
            return error(409, " ".join(exc.messages))
        return invalid(schema.validation_error_json(exc))
    fresh = access.get_or_404(_referrals(request.user), pk=pk)
    return JsonResponse(referral_json(fresh, user=request.user, now=timezone.now()))


# ---------------------------------------------------------------- offers


def _offers(user):
    return access.offers_for(user).select_related(
        "provider", "contract", "referral__individual", "referral__area"
    )


@endpoint("GET")
def offers(request):
    """The provider's offers, or the offers of the council's referrals;
    ``?status=open`` (or accepted, declined, withdrawn, confirmed)."""
    queryset = _offers(request.user).order_by("due_at", "pk")
    status = request.GET.get("status")
    if status:
        if status not in Offer.Status.values:
            return invalid({"status": [f"Choose one of: {', '.join(Offer.Status.values)}."]})
        queryset = queryset.filter(status=status)
    now = timezone.now()
    return JsonResponse(_page(request, queryset, lambda o: offer_summary(o, now=now)))


@endpoint("GET")
def offer(request, pk):
    found = access.get_or_404(_offers(request.user), pk=pk)
    return JsonResponse(offer_json(found, now=timezone.now()))


def _answerable(request, pk) -> Offer:
    if not access.may_answer_offers(request.user):
        raise Http404
    return access.get_or_404(_offers(request.user), pk=pk)


def _answer(request, found: Offer, form, answer):
    """Validate ``form`` and call ``answer``: 409 once the offer is closed (even
    if it closed under us), 400 with field errors, else the answered offer."""
    if not form.is_valid():
        return invalid({schema.api_name(k): v for k, v in schema.errors_json(form).items()})
    try:
        answer(found, form)
    except ValidationError as exc:
        if closed := closed_reason(_answerable(request, found.pk)):
            return error(409, closed)
        return invalid(schema.validation_error_json(exc, rename=schema.api_name))
    return JsonResponse(offer_json(_answerable(request, found.pk), now=timezone.now()))


@endpoint("POST")
def offer_accept(request, pk):
    """Accept: ``{start_date, start_time?, gender_preference_met?, arrivals:
    {"<visit id>": "HH:MM"}}`` (LAN-HC-3.5, LAN-HC-3.6, LAN-HC-3.7, LAN-HC-3.9,
    LAN-ST-4.5). Answering twice, or a withdrawn offer, is a 409."""
    found = _answerable(request, pk)
    if closed := closed_reason(found):
        return error(409, closed)
    referral = found.referral
    visits = list(referral.visits.all())
    data, errors = schema.accept_form_data(_body(request), [v.pk for v in visits])
    if errors:
        return invalid(errors)
    latest, _ = services.start_deadline(found)
    form = AcceptForm(
        data,
        visits=visits,
        needs_start_time=services.needs_start_time(found),
        ask_gender=referral.preferred_worker_gender != WorkerGenderPreference.NONE,
        latest=timezone.localtime(latest).date(),
    )
    return _answer(
        request,
        found,
        form,
        lambda o, f: services.offer_accept(by=request.user, offer=o, **f.answer()),
    )


@endpoint("POST")
def offer_decline(request, pk):
    """Decline: ``{reason, details}``, the reason one of Offer.DeclineReason
    (LAN-HC-3.6). Answering twice, or a withdrawn offer, is a 409."""
    found = _answerable(request, pk)
    if closed := closed_reason(found):
        return error(409, closed)
    data, errors = schema.decline_form_data(_body(request))
    if errors:
        return invalid(errors)
    return _answer(
        request,
        found,
        DeclineForm(data),
        lambda o, f: services.offer_decline(by=request.user, offer=o, **f.answer()),
    )
