"""Every write to referrals and offers: one function, one transaction.

Transitions are conditional updates (``filter(status=OLD).update(...)``) so a
double click, a retried request or two people at once cannot answer, confirm
or cancel twice.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max, Q
from django.utils import timezone

from homecare.domain import allocation
from homecare.organisations.models import Contract
from homecare.packages import services as package_services
from homecare.packages.models import CarePackage
from homecare.quality.models import Sanction

from .models import Offer, OfferSlot, Referral, ReferralVisit

REFERRAL_FIELDS = {
    "kind",
    "urgency",
    "source",
    "referrer_name",
    "referrer_telephone",
    "care_type",
    "requested_start",
    "expected_end",
    "needs_statement",
    "special_requirements",
    "moving_and_handling",
    "known_risks",
    "preferred_worker_gender",
    "safeguarding_concern",
    "capacity_concern",
    "consent",
    "consent_notes",
    "previous_package",
}


def _next_reference(council) -> str:
    year = timezone.localdate().year
    count = Referral.objects.filter(
        organisation=council, reference__startswith=f"REF-{year}-"
    ).count()
    return f"REF-{year}-{count + 1:05d}"


@transaction.atomic
def referral_create(*, by, individual, visits: list[dict], received_at=None, **fields) -> Referral:
    """Record a referral (a draft until published) with the visits wanted.

    ``visits``: dicts of weekday, slot_start, slot_end, duration_minutes,
    workers_required, tasks, kind.
    """
    unknown = set(fields) - REFERRAL_FIELDS
    if unknown:
        raise ValidationError(f"Unknown referral fields: {', '.join(sorted(unknown))}")
    if not visits:
        raise ValidationError({"visits": "Add at least one visit wanted."})
    referral = Referral(
        organisation_id=individual.organisation_id,
        individual=individual,
        area_id=individual.area_id,
        reference=_next_reference(individual.organisation),
        received_at=received_at or timezone.now(),
        created_by=by,
        **fields,
    )
    if referral.kind == Referral.Kind.RESTART and referral.previous_package is None:
        raise ValidationError(
            {"previous_package": "A restart names the package held during the stay."}
        )
    referral.full_clean()
    referral._history_user = by
    referral.save()
    for v in visits:
        _check_visit(v)
        ReferralVisit.objects.create(
            organisation_id=referral.organisation_id, referral=referral, **v
        )
    return referral


def _check_visit(v: dict) -> None:
    if v["slot_end"] < v["slot_start"]:
        raise ValidationError(
            f"The time slot ends at {v['slot_end']:%H:%M}, before it starts at {v['slot_start']:%H:%M}."
        )
    if v.get("workers_required", 1) not in (1, 2):
        raise ValidationError("A visit needs one worker, or two when double-handed.")
    if v["duration_minutes"] <= 0:
        raise ValidationError("A visit lasts at least one minute.")


def candidates_for(referral: Referral, *, restart_only: bool = False) -> list[allocation.Candidate]:
    """The live contracts of the council, as plain data for the allocation rules."""
    today = timezone.localdate()
    contracts = (
        Contract.objects.filter(
            organisation_id=referral.organisation_id,
            status=Contract.Status.LIVE,
            archived_at__isnull=True,
            starts_on__lte=today,
        )
        .filter(Q(ends_on__isnull=True) | Q(ends_on__gte=today))
        .select_related("provider")
        .prefetch_related("areas")
    )
    if restart_only:
        contracts = contracts.filter(pk=referral.previous_package.contract_id)
    sanctions = dict(
        Sanction.objects.filter(
            organisation_id=referral.organisation_id,
            archived_at__isnull=True,
            starts_on__lte=today,
        )
        .filter(Q(ends_on__isnull=True) | Q(ends_on__gte=today))
        .values_list("provider_id")
        .annotate(level=Max("level"))
    )
    out = []
    for c in contracts:
        rules = c.rules()
        out.append(
            allocation.Candidate(
                contract_id=c.pk,
                provider_id=c.provider_id,
                provider_name=c.provider.name,
                area_ids=frozenset(a.pk for a in c.areas.all()),
                allocation=rules.value("referral.allocation"),
                sanction_level=sanctions.get(c.provider_id, 0),
                sanction_stop_level=rules.value("referral.sanction_stop_level"),
                cqc_rating=c.provider.cqc_rating,
                cqc_gate=rules.value("referral.quality_gate.cqc_rating"),
                grades=tuple(c.provider.inspection_grades or ()),
                min_grade=rules.value("referral.quality_gate.min_grade"),
                inspections=rules.value("referral.quality_gate.inspections"),
            )
        )
    return out


def eligibility(referral: Referral, *, restart_only: bool = False) -> allocation.Eligibility:
    from homecare.organisations.models import Area

    neighbours = {
        a.pk: {n.pk for n in a.neighbours.all()}
        for a in Area.objects.filter(organisation_id=referral.organisation_id).prefetch_related(
            "neighbours"
        )
    }
    return allocation.decide(
        candidates_for(referral, restart_only=restart_only),
        area_id=referral.area_id,
        neighbours=neighbours,
    )


@transaction.atomic
def referral_publish(*, by, referral: Referral, now: datetime | None = None) -> Referral:
    """Publish a draft. Planned community work waits for the daily batch where
    every candidate contract's rulebook says so (LAN-HC-3.2); hospital
    discharges, urgent work and restarts go out at once, each on its own clock.
    A restart goes to the previous provider first (LAN-HC-6.4)."""
    now = now or timezone.now()
    referral = Referral.objects.select_for_update().get(pk=referral.pk)
    if referral.status != Referral.Status.DRAFT:
        raise ValidationError("This referral has already been published.")
    restart = referral.kind == Referral.Kind.RESTART
    decision = eligibility(referral, restart_only=restart)
    if not decision.offered:
        if restart:
            return _publish_open(by=by, referral=referral, now=now)
        raise ValidationError(
            "No provider can be offered this referral: "
            + "; ".join(f"{d.candidate.provider_name}: {d.reason}" for d in decision.excluded)
        )
    batch_time = _batch_time(decision)
    waits = referral.kind == Referral.Kind.PLANNED and referral.urgency == Referral.Urgency.PLANNED
    if waits and batch_time is not None:
        referral.status = Referral.Status.QUEUED
        referral.publish_after = allocation.next_batch(timezone.localtime(now), batch_time)
        referral._history_user = by
        referral.save(update_fields=["status", "publish_after"])
        return referral
    round_ = Offer.Round.PREVIOUS_PROVIDER if restart else Offer.Round.OPEN
    _make_offers(referral, decision, now=now, round_=round_)
    referral.status, referral.published_at = Referral.Status.PUBLISHED, now
    referral._history_user = by
    referral.save(update_fields=["status", "published_at"])
    return referral


def _batch_time(decision: allocation.Eligibility) -> time | None:
    """The daily batch time when every contract offered publishes in a daily
    batch (LAN-HC-3.2), else None (publish at once)."""
    contracts = Contract.objects.filter(pk__in=[d.candidate.contract_id for d in decision.offered])
    rules = [c.rules() for c in contracts]
    if not rules or any(r.value("referral.publish") != "daily_batch" for r in rules):
        return None
    return min(r.value("referral.publish.batch_time") for r in rules)


def _make_offers(
    referral: Referral, decision: allocation.Eligibility, *, now, round_
) -> list[Offer]:
    contracts = Contract.objects.in_bulk([d.candidate.contract_id for d in decision.offered])
    offers = []
    for d in decision.offered:
        contract = contracts[d.candidate.contract_id]
        rules = contract.rules()
        due, rule = allocation.answer_due(now, referral.kind, rules)
        offer = Offer(
            organisation_id=referral.organisation_id,
            referral=referral,
            provider_id=contract.provider_id,
            contract=contract,
            round=round_,
            offered_at=now,
            due_at=due,
            deadline_rule=rule,
            deadline_ref=", ".join(rules.entry(rule).ref),
        )
        offer.save()
        offers.append(offer)
    return offers


def _publish_open(*, by, referral: Referral, now) -> Referral:
    decision = eligibility(referral)
    if referral.previous_package_id:
        previous = referral.previous_package.contract_id
        decision.offered = [d for d in decision.offered if d.candidate.contract_id != previous]
    if not decision.offered:
        raise ValidationError("No other provider can be offered this referral.")
    _make_offers(referral, decision, now=now, round_=Offer.Round.OPEN)
    referral.status, referral.published_at = Referral.Status.PUBLISHED, referral.published_at or now
    referral._history_user = by
    referral.save(update_fields=["status", "published_at"])
    return referral


@transaction.atomic
def referrals_publish_batch(*, now: datetime | None = None) -> int:
    """Publish the queued referrals whose batch time has come (a periodic job)."""
    now = now or timezone.now()
    published = 0
    queued = Referral.objects.select_for_update().filter(
        status=Referral.Status.QUEUED, publish_after__lte=now, archived_at__isnull=True
    )
    for referral in queued:
        decision = eligibility(referral)
        if not decision.offered:
            continue
        _make_offers(referral, decision, now=now, round_=Offer.Round.OPEN)
        Referral.objects.filter(pk=referral.pk, status=Referral.Status.QUEUED).update(
            status=Referral.Status.PUBLISHED, published_at=now
        )
        published += 1
    return published


def _claim_answer(offer: Offer, by, now: datetime, **changes) -> Offer:
    """Record an answer once: a conditional update from OPEN."""
    late = now > offer.due_at
    minutes = max(0, int((now - offer.offered_at).total_seconds() // 60))
    moved = Offer.objects.filter(pk=offer.pk, status=Offer.Status.OPEN).update(
        answered_at=now, answered_by=by, answered_late=late, response_minutes=minutes, **changes
    )
    if not moved:
        fresh = Offer.objects.get(pk=offer.pk)
        if fresh.status == Offer.Status.WITHDRAWN:
            raise ValidationError(
                "This offer was withdrawn by the council; it can no longer be answered."
            )
        raise ValidationError(
            f"This offer was already answered ({fresh.get_status_display().lower()}) "
            f"at {timezone.localtime(fresh.answered_at):%H:%M on %-d %B}."
        )
    offer.refresh_from_db()
    offer._history_user = by
    offer.save(update_fields=["status"])  # a history row: who answered, before and after
    return offer


def needs_start_time(offer: Offer) -> bool:
    """Short-term care answers with a start date and time (LAN-ST-4.5)."""
    return offer.contract.rulebook == "lan-st"


def start_deadline(offer: Offer) -> tuple[datetime, str]:
    """The latest start this offer may propose, and the rule's requirement IDs."""
    rules = offer.contract.rules()
    latest, rule = allocation.latest_start(offer.due_at, offer.referral.kind, rules)
    return latest, ", ".join(rules.entry(rule).ref)


@transaction.atomic
def offer_accept(
    *,
    by,
    offer: Offer,
    start_date: date | None,
    start_time: time | None = None,
    gender_preference_met: bool | None = None,
    arrivals: dict,
    now: datetime | None = None,
) -> Offer:
    """Accept with an arrival time inside each offered slot (LAN-HC-3.5), whether
    the preferred worker gender can be met, and a start date inside the window
    (LAN-HC-3.7, LAN-HC-3.9; LAN-ST-4.5 start date and time). An answer after
    the deadline is recorded as late, not refused."""
    now = now or timezone.now()
    if offer.provider_id != getattr(by, "organisation_id", None):
        raise ValidationError("Only the provider this offer was made to can answer it.")
    referral = offer.referral
    errors: dict[str, str] = {}
    if start_date is None:
        errors["start_date"] = "Give the date care can start."
    else:
        latest, refs = start_deadline(offer)
        problem = allocation.start_problem(
            start=start_date,
            today=timezone.localdate(now),
            latest=timezone.localtime(latest).date(),
        )
        if problem:
            errors["start_date"] = f"{problem} ({refs})."
    if needs_start_time(offer) and start_time is None:
        errors["start_time"] = "Give the time of the first visit (LAN-ST-4.5)."
    if referral.preferred_worker_gender != "none" and gender_preference_met is None:
        errors["gender_preference_met"] = "Say whether the preferred worker gender can be provided."
    wanted = {v.pk: v for v in referral.visits.all()}
    chosen = {}
    for pk, visit in wanted.items():
        arrival = arrivals.get(pk) or arrivals.get(str(pk))
        if arrival is None:
            errors[f"arrival_{pk}"] = f"Give an arrival time for {visit}."
        elif not visit.slot_start <= arrival <= visit.slot_end:
            errors[f"arrival_{pk}"] = (
                f"Arrival {arrival:%H:%M} is outside the slot {visit.slot_start:%H:%M}–"
                f"{visit.slot_end:%H:%M} (LAN-HC-3.5)."
            )
        chosen[pk] = arrival
    if errors:
        raise ValidationError(errors)
    offer = _claim_answer(
        offer,
        by,
        now,
        status=Offer.Status.ACCEPTED,
        start_date=start_date,
        start_time=start_time,
        gender_preference_met=gender_preference_met,
    )
    OfferSlot.objects.bulk_create(
        [
            OfferSlot(
                organisation_id=offer.organisation_id,
                offer=offer,
                referral_visit_id=pk,
                arrival_time=arrival,
            )
            for pk, arrival in chosen.items()
        ]
    )
    return offer


@transaction.atomic
def offer_decline(
    *, by, offer: Offer, reason: str, details: str = "", now: datetime | None = None
) -> Offer:
    """Decline with a reason from the list and free text (LAN-HC-3.6). A previous
    provider declining a restart opens it to the others at once (LAN-HC-6.4)."""
    now = now or timezone.now()
    if offer.provider_id != getattr(by, "organisation_id", None):
        raise ValidationError("Only the provider this offer was made to can answer it.")
    if reason not in Offer.DeclineReason.values:
        raise ValidationError({"decline_reason": "Choose a reason from the list."})
    if reason == Offer.DeclineReason.OTHER and not details.strip():
        raise ValidationError({"decline_details": "Say why, when the reason is 'Other'."})
    offer = _claim_answer(
        offer,
        by,
        now,
        status=Offer.Status.DECLINED,
        decline_reason=reason,
        decline_details=details,
    )
    if offer.round == Offer.Round.PREVIOUS_PROVIDER:
        _publish_open(by=by, referral=offer.referral, now=now)
    return offer


def _withdraw(offers, now, reason):
    return offers.filter(status__in=[Offer.Status.OPEN, Offer.Status.ACCEPTED]).update(
        status=Offer.Status.WITHDRAWN, withdrawn_at=now, withdrawn_reason=reason
    )


@transaction.atomic
def referral_offer_to_others(*, by, referral: Referral, now: datetime | None = None) -> Referral:
    """The previous provider has not confirmed a restart in time: offer it to the
    others (LAN-HC-6.4, LAN-HC-6.5)."""
    now = now or timezone.now()
    if referral.status != Referral.Status.PUBLISHED:
        raise ValidationError("Only a referral waiting for answers can be offered to others.")
    if referral.offers.filter(round=Offer.Round.OPEN).exists():
        raise ValidationError("This referral is already open to other providers.")
    _withdraw(referral.offers.filter(status=Offer.Status.OPEN), now, "Offered to other providers")
    return _publish_open(by=by, referral=referral, now=now)


@transaction.atomic
def referral_confirm(
    *, by, referral: Referral, allocations: dict, now: datetime | None = None
) -> list[CarePackage]:
    """The broker chooses the provider: every wanted visit goes to one accepted
    offer (several offers = a split package, KENT-3.2.7, where the rulebook
    allows). Each chosen offer becomes an active care package in that
    provider's books, with its visit pattern; the other offers are withdrawn.

    ``allocations``: referral visit id -> offer id.
    """
    now = now or timezone.now()
    moved = Referral.objects.filter(pk=referral.pk, status=Referral.Status.PUBLISHED).update(
        status=Referral.Status.PLACED, placed_at=now
    )
    if not moved:
        raise ValidationError(
            "This referral is not waiting for a decision (already placed or cancelled)."
        )
    referral.refresh_from_db()
    accepted = {str(o.pk): o for o in referral.offers.filter(status=Offer.Status.ACCEPTED)}
    visits = {str(v.pk): v for v in referral.visits.all()}
    chosen = {str(k): str(v) for k, v in allocations.items()}
    if set(chosen) != set(visits):
        raise ValidationError("Give every visit wanted to one provider.")
    unknown = set(chosen.values()) - set(accepted)
    if unknown:
        raise ValidationError("Only offers a provider has accepted can be confirmed.")
    offers = [accepted[o] for o in dict.fromkeys(chosen.values())]
    if len(offers) > 1 and not all(
        o.contract.rules().value("referral.split_allowed") for o in offers
    ):
        raise ValidationError(
            "This contract does not allow a package to be split between providers."
        )
    packages = []
    for offer in offers:
        package = package_services.package_create(
            by=by,
            contract=offer.contract,
            individual=referral.individual,
            reference=f"{referral.reference}-{len(packages) + 1}",
            start_date=offer.start_date,
            end_date=referral.expected_end,
            notes=f"From referral {referral.reference}",
        )
        slots = OfferSlot.objects.filter(offer=offer).select_related("referral_visit")
        for slot in slots:
            if str(slot.referral_visit_id) not in chosen or chosen[
                str(slot.referral_visit_id)
            ] != str(offer.pk):
                continue
            wanted = slot.referral_visit
            end = (
                datetime.combine(date.min, slot.arrival_time)
                + timedelta(minutes=wanted.duration_minutes)
            ).time()
            package_services.pattern_entry_add(
                by=by,
                package=package,
                weekdays=[wanted.weekday],
                kind=wanted.kind,
                start_time=slot.arrival_time,
                end_time=end,
                workers_required=wanted.workers_required,
                tasks=wanted.tasks,
            )
            OfferSlot.objects.filter(pk=slot.pk).update(confirmed=True)
        package_services.package_transition(
            by=by,
            package=package,
            to_status="active",
            effective_on=offer.start_date,
            reason=f"Confirmed from referral {referral.reference}",
        )
        Offer.objects.filter(pk=offer.pk, status=Offer.Status.ACCEPTED).update(
            status=Offer.Status.CONFIRMED, package=package
        )
        packages.append(package)
    _withdraw(
        referral.offers.exclude(pk__in=[o.pk for o in offers]), now, "Another provider was chosen"
    )
    return packages


@transaction.atomic
def referral_cancel(
    *, by, referral: Referral, reason: str, now: datetime | None = None
) -> Referral:
    """The council cancels: open offers are withdrawn, and the capacity of a
    placed package is released at once (LAN-ST-4.25): visits with staff
    already committed stand for the rulebook's ``referral.cancellation.committed``
    (one day: today's visits), and every later visit is cancelled."""
    now = now or timezone.now()
    if not reason.strip():
        raise ValidationError({"reason": "Say why the referral is cancelled."})
    old = referral.status
    moved = Referral.objects.filter(
        pk=referral.pk,
        status__in=[
            Referral.Status.DRAFT,
            Referral.Status.QUEUED,
            Referral.Status.PUBLISHED,
            Referral.Status.PLACED,
        ],
    ).update(status=Referral.Status.CANCELLED, cancelled_at=now, cancellation_reason=reason)
    if not moved:
        raise ValidationError("This referral is already cancelled.")
    _withdraw(referral.offers.all(), now, "Referral cancelled by the council")
    if old == Referral.Status.PLACED:
        for package in CarePackage.objects.filter(offers__referral=referral).distinct():
            committed = package.contract.rules().value("referral.cancellation.committed")
            committed_until = timezone.localtime(now).date() + timedelta(days=committed)
            if package.status in ("proposed", "active"):
                to = "closed" if package.status == "proposed" else "ceased"
                package_services.package_transition(
                    by=by,
                    package=package,
                    to_status=to,
                    effective_on=max(committed_until, package.start_date),
                    reason=f"Referral cancelled at short notice: {reason}",
                )
    referral.refresh_from_db()
    return referral
