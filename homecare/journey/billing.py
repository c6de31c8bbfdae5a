"""What billing reads of hospital stays (LAN-HC-6.1): the admissions of a
contract's people, and the visits an admission cancelled that are still paid.
Registered with :mod:`homecare.billing.delivery` from this app's ``ready()``."""

from __future__ import annotations

from datetime import date, timedelta

from homecare.domain.pricing import HospitalAdmission

from .models import HeldVisit, HospitalStay

#: Admissions this long before a period can still pay visits inside it (the
#: longest hold in any rulebook is 72 hours; a week leaves room).
LOOK_BACK = timedelta(days=7)


def admissions(contract_id: str, first: date, last: date) -> list[HospitalAdmission]:
    stays = HospitalStay.objects.filter(
        archived_at__isnull=True,
        package__contract_id=contract_id,
        admitted_at__date__gte=first - LOOK_BACK,
        admitted_at__date__lte=last,
    ).values_list("package_id", "admitted_at", "discharged_at")
    return [
        HospitalAdmission(package_id=str(package), admitted_at=admitted, discharged_at=home)
        for package, admitted, home in stays
    ]


def held_visit_ids(contract_id: str, first: date, last: date) -> set[str]:
    held = HeldVisit.objects.filter(
        stay__package__contract_id=contract_id,
        stay__archived_at__isnull=True,
        visit__date__gte=first,
        visit__date__lte=last,
        paid_percent__gt=0,
    ).values_list("visit_id", flat=True)
    return {str(pk) for pk in held}
