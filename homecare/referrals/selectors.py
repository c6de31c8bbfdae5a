"""Reads for the broker's board and referral pages, a fixed number of queries each.

Clocks are never recomputed here: every offer stores its ``due_at``, and the
time left is that minus now, worked out in Python when the page is drawn.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.db.models import Count, Prefetch, Q, QuerySet
from django.urls import reverse
from django.utils import timezone

from homecare.core import access
from homecare.domain.clocks import describe_remaining

from .models import Offer, OfferSlot, Referral

RECENT = timedelta(days=7)
OPEN_STATUSES = (Referral.Status.QUEUED, Referral.Status.PUBLISHED)
ANSWERED = (Offer.Status.ACCEPTED, Offer.Status.DECLINED, Offer.Status.CONFIRMED)

#: The board's filters: value -> label.
FILTERS = {
    "open": "Waiting (queued or published)",
    "recent": "Placed or cancelled in the last 7 days",
    "draft": "Drafts",
    "published": "Waiting for answers",
    "queued": "Queued for the daily batch",
    "placed": "Placed",
    "cancelled": "Cancelled",
    "all": "Every referral",
}


@dataclass(frozen=True)
class OfferLine:
    """An offer as the broker sees it: its clock worked out from the stored due time."""

    offer: Offer
    clock: str = ""  # '1 h 05 min left', '25 min overdue'; blank once answered
    overdue: bool = False
    provider: str = ""
    status_label: str = ""


@dataclass
class BoardRow:
    """One referral on the board, its text prepared in Python: a page of 50 rows
    then costs a few variables each to draw, not dozens of template lookups."""

    referral: Referral
    offers: list[OfferLine] = field(default_factory=list)
    answered: int = 0
    accepted: int = 0
    overdue: int = 0
    chosen: list[str] = field(default_factory=list)  # providers the referral was placed with
    url: str = ""
    person: str = ""
    kind: str = ""
    urgent: bool = False
    received: str = ""
    published: str = ""
    status_label: str = ""

    @property
    def total(self) -> int:
        return len(self.offers)


def _when(moment: datetime | None) -> str:
    return f"{timezone.localtime(moment):%-d %b %H:%M}" if moment else ""


def offer_line(offer: Offer, now: datetime) -> OfferLine:
    text = {"provider": offer.provider.name, "status_label": offer.get_status_display().lower()}
    if offer.status != Offer.Status.OPEN:
        return OfferLine(offer, **text)
    return OfferLine(offer, describe_remaining(offer.due_at, now), offer.due_at < now, **text)


def board(user, *, status: str = "open", q: str = "", now: datetime) -> QuerySet[Referral]:
    """The council's referrals for the board, filtered and searched, offers
    (with their provider) prefetched so a page costs the same however many."""
    referrals = access.referrals_for(user)
    if status == "open":
        referrals = referrals.filter(status__in=OPEN_STATUSES)
    elif status == "recent":
        referrals = referrals.filter(_recently_closed(now))
    elif status in Referral.Status.values:
        referrals = referrals.filter(status=status)
    if q:
        referrals = referrals.filter(
            Q(reference__icontains=q) | Q(individual__family_name__icontains=q)
        )
    offers = (
        access.offers_for(user)
        .select_related("provider")
        .only(*BOARD_OFFER_FIELDS)
        .order_by("round", "provider__name")
    )
    return (
        referrals.select_related("individual")
        .only(*BOARD_REFERRAL_FIELDS)
        .prefetch_related(Prefetch("offers", queryset=offers))
        .order_by("-received_at", "pk")
    )


#: What a board row shows: loading only these keeps a page of 50 cheap.
BOARD_REFERRAL_FIELDS = (
    "id",
    "organisation_id",
    "reference",
    "status",
    "kind",
    "urgency",
    "received_at",
    "published_at",
    "publish_after",
    "cancellation_reason",
    "individual__id",
    "individual__given_name",
    "individual__family_name",
)
BOARD_OFFER_FIELDS = (
    "id",
    "referral_id",
    "provider_id",
    "round",
    "status",
    "due_at",
    "answered_at",
    "provider__id",
    "provider__name",
)


def _recently_closed(now: datetime) -> Q:
    since = now - RECENT
    return Q(status=Referral.Status.PLACED, placed_at__gte=since) | Q(
        status=Referral.Status.CANCELLED, cancelled_at__gte=since
    )


def board_counts(user, *, now: datetime) -> dict[str, int]:
    """How many referrals sit behind the main filters (one query)."""
    return access.referrals_for(user).aggregate(
        open=Count("pk", filter=Q(status__in=OPEN_STATUSES)),
        recent=Count("pk", filter=_recently_closed(now)),
        draft=Count("pk", filter=Q(status=Referral.Status.DRAFT)),
    )


def board_rows(referrals, *, now: datetime) -> list[BoardRow]:
    """One row per referral, from the prefetched offers: no queries."""
    detail = reverse("referrals:detail", args=["00000000-0000-0000-0000-000000000000"])
    rows = []
    for referral in referrals:
        person = referral.individual
        row = BoardRow(
            referral,
            url=detail.replace("00000000-0000-0000-0000-000000000000", str(referral.pk)),
            person=f"{person.family_name}, {person.given_name}",
            kind=referral.get_kind_display(),
            urgent=referral.urgency == Referral.Urgency.URGENT
            and referral.kind != Referral.Kind.URGENT_COMMUNITY,
            received=_when(referral.received_at),
            published=_when(referral.published_at),
            status_label=referral.get_status_display(),
        )
        for offer in referral.offers.all():
            line = offer_line(offer, now)
            row.offers.append(line)
            row.answered += offer.answered_at is not None
            row.accepted += offer.status in (Offer.Status.ACCEPTED, Offer.Status.CONFIRMED)
            row.overdue += line.overdue
            if offer.status == Offer.Status.CONFIRMED:
                row.chosen.append(line.provider)
        rows.append(row)
    return rows


@dataclass
class VisitGroup:
    """Wanted visits alike but for the day: shown as one line ("Every day 07:30–09:00")."""

    days: list[int]
    visit: object  # the first ReferralVisit of the group

    @property
    def days_label(self) -> str:
        if len(self.days) == 7:
            return "Every day"
        if self.days == [0, 1, 2, 3, 4]:
            return "Monday to Friday"
        if self.days == [5, 6]:
            return "Saturday and Sunday"
        return ", ".join(DAY_NAMES[d] for d in self.days)


DAY_NAMES = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]


def group_visits(visits) -> list[VisitGroup]:
    """The visits wanted, alike ones on several days folded into one line."""
    groups: dict[tuple, VisitGroup] = {}
    for v in visits:
        key = (
            v.slot_start,
            v.slot_end,
            v.kind,
            v.duration_minutes,
            v.workers_required,
            tuple(v.tasks or ()),
        )
        if key in groups:
            groups[key].days.append(v.weekday)
        else:
            groups[key] = VisitGroup([v.weekday], v)
    for group in groups.values():
        group.days.sort()
    return sorted(groups.values(), key=lambda g: (g.visit.slot_start, g.days))


def referral_offers(user, referral: Referral, *, now: datetime) -> list[OfferLine]:
    """The referral's offers with provider, package and arrival times (3 queries)."""
    slots = OfferSlot.objects.select_related("referral_visit").order_by(
        "referral_visit__weekday", "referral_visit__slot_start"
    )
    offers = (
        access.offers_for(user)
        .filter(referral=referral)
        .select_related("provider", "package")
        .prefetch_related(Prefetch("slots", queryset=slots))
        .order_by("round", "offered_at", "provider__name")
    )
    return [offer_line(o, now) for o in offers]


def accepted_offers(user, referral: Referral) -> list[Offer]:
    """The offers the broker may choose between, with arrival times."""
    return list(
        access.offers_for(user)
        .filter(referral=referral, status=Offer.Status.ACCEPTED)
        .select_related("provider")
        .prefetch_related("slots")
        .order_by("provider__name")
    )
