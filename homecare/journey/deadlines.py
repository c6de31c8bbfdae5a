"""The journey's deadlines for the what-is-due page: changes reported within
the rulebook's time (LAN-ST-6.4, LAN-ST-6.8) and requests waiting for the
council, hospital holds (LAN-HC-6.1, LAN-ST-4.14), restart answers
(LAN-HC-6.5), hand-back last days (KENT-3.10.2) and Discharge to Assess ends
(KENT-2.1.8). Set-based: five queries whatever the number of packages."""

from __future__ import annotations

from datetime import datetime

from homecare.domain.deadlines import Deadline, end_of_day, start_of_day
from homecare.plans.deadlines import url_maker
from homecare.referrals.models import Offer

from .models import DischargeToAssess, HandBack, HospitalStay, PackageChange


def journey_deadlines(packages, now: datetime):
    ids = packages.values("pk")
    yield from _changes(ids)
    yield from _stays(ids)
    yield from _handbacks(ids)
    yield from _d2a(ids)


def _common(row_package, individual, provider, council):
    return dict(
        package_id=row_package,
        individual_id=individual,
        provider_id=provider,
        council_id=council,
    )


_PARTIES = (
    "package_id",
    "individual_id",
    "package__organisation_id",
    "package__contract__organisation_id",
    "individual__given_name",
    "individual__family_name",
)


def _changes(ids):
    url = url_maker("journey:change")
    rows = PackageChange.objects.filter(package__in=ids, archived_at__isnull=True).values_list(
        "pk", "status", "report_due_at", "reported_at", "starts_on", "decided_at", *_PARTIES
    )
    for pk, status, due, reported, starts_on, decided, *parties in rows:
        common = _common(*parties[:4])
        name = f"{parties[4]} {parties[5]}"
        yield Deadline(
            key=f"change.report:{pk}",
            kind="change.report",
            title=f"Report the change to {name}'s care to the council",
            due_at=due,
            refs=("LAN-HC-5.5", "LAN-ST-6.4", "LAN-ST-6.8"),
            clause="A change is reported to the council with its evidence within the rulebook's "
            "time (change.report_within).",
            url=url(pk),
            done_at=reported,
            **common,
        )
        if status == PackageChange.Status.REQUESTED or decided:
            yield Deadline(
                key=f"change.decision:{pk}",
                kind="change.decision",
                title=f"Decide the request to change {name}'s care before it starts",
                due_at=start_of_day(starts_on),
                refs=("LAN-HC-5.4", "LAN-ST-6.2", "DERBY-3.5"),
                clause="Beyond the provider's own authority, a change waits for the council.",
                url=url(pk),
                done_at=decided,
                **common,
            )


def _stays(ids):
    url = url_maker("journey:stay")
    rows = list(
        HospitalStay.objects.filter(package__in=ids, archived_at__isnull=True).values_list(
            "pk",
            "admitted_at",
            "hold_until",
            "hold_ended_at",
            "discharged_at",
            "after_hold",
            "refs",
            "restart_referral_id",
            *_PARTIES,
        )
    )
    restarts = {
        referral: (due, answered)
        for referral, due, answered in Offer.objects.filter(
            referral_id__in=[r[7] for r in rows if r[7]], round=Offer.Round.PREVIOUS_PROVIDER
        ).values_list("referral_id", "due_at", "answered_at")
    }
    for pk, admitted, until, ended, discharged, after, refs, referral, *parties in rows:
        common = _common(*parties[:4])
        name = f"{parties[4]} {parties[5]}"
        if until > admitted:  # a ward admission that ends short-term care has no hold
            what = "suspended" if after == "suspend" else "ended"
            yield Deadline(
                key=f"hospital.hold:{pk}",
                kind="hospital.hold",
                title=f"{name}'s hospital hold ends: the package is {what}",
                due_at=until,
                refs=tuple(r.strip() for r in refs.split(",") if r.strip()) or ("LAN-HC-6.1",),
                clause="The package is held for the rulebook's time from admission "
                "(billing.hospital_hold, hospital.a_and_e_hold), then suspended or ended.",
                url=url(pk),
                done_at=ended or discharged,
                **common,
            )
        if referral in restarts:
            due, answered = restarts[referral]
            yield Deadline(
                key=f"hospital.restart:{pk}",
                kind="hospital.restart",
                title=f"Confirm {name}'s package can restart",
                due_at=due,
                refs=("LAN-HC-6.4", "LAN-HC-6.5"),
                clause="The previous provider is offered the restart first and confirms within "
                "the rulebook's time (referral.response.restart).",
                url=url(pk),
                done_at=answered,
                **common,
            )


def _handbacks(ids):
    url = url_maker("journey:handback")
    rows = (
        HandBack.objects.filter(package__in=ids, archived_at__isnull=True)
        .exclude(status=HandBack.Status.WITHDRAWN)
        .values_list("pk", "last_day", "completed_at", *_PARTIES)
    )
    for pk, last_day, completed, *parties in rows:
        yield Deadline(
            key=f"handback.last_day:{pk}",
            kind="handback.last_day",
            title=f"Hand back {parties[4]} {parties[5]}'s care: records handed over",
            due_at=end_of_day(last_day),
            refs=("KENT-3.10.1", "KENT-3.10.2", "LAN-ST-4.26"),
            clause="On the last day the communications record and action plan are handed over, "
            "and the case closes once further needs are with the council.",
            url=url(pk),
            done_at=completed,
            **_common(*parties[:4]),
        )


def _d2a(ids):
    url = url_maker("journey:d2a")
    rows = DischargeToAssess.objects.filter(package__in=ids, archived_at__isnull=True).values_list(
        "pk", "ends_on", "ended_at", *_PARTIES
    )
    for pk, ends_on, ended, *parties in rows:
        yield Deadline(
            key=f"d2a.end:{pk}",
            kind="d2a.end",
            title=f"Discharge to Assess for {parties[4]} {parties[5]} ends",
            due_at=end_of_day(ends_on),
            refs=("KENT-2.1.8",),
            clause="Support for up to 3 days after discharge, extendable by 2.",
            url=url(pk),
            done_at=ended,
            **_common(*parties[:4]),
        )
