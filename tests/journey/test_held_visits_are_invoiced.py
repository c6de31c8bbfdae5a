"""Billing reads hospital stays: the visits a 72-hour hold cancelled are
invoiced at 100% of their planned length, and those after it are not."""

from datetime import timedelta
from decimal import Decimal

import time_machine
from django.utils import timezone

from homecare.billing.pricing_inputs import price
from homecare.journey.models import HeldVisit

from .test_hospital_stays import _admit


def test_the_visits_of_a_72_hour_hold_are_invoiced_and_no_later_ones(journey):
    """LAN-HC-6.1: the package is paid at 100% for 72 hours from admission, not beyond."""
    stay = _admit(journey)
    held = list(HeldVisit.objects.filter(stay=stay).order_by("planned_start"))
    assert len(held) == 3
    first = timezone.localdate()
    last = first + timedelta(days=27)  # Lancashire pays four weeks at a time
    with time_machine.travel(timezone.now() + timedelta(days=29), tick=False):
        priced = price(journey["contract"], first, last)
    hold_lines = [line for line in priced.lines if "LAN-HC-6.1" in line.refs]
    assert sorted(line.visit_id for line in hold_lines) == sorted(str(h.visit_id) for h in held)
    # 45 planned minutes at the contract's £22.50 an hour, paid in full.
    assert {line.amount for line in hold_lines} == {Decimal("16.88")}
    cancelled_after = set(stay.cancelled_visit_ids) - {str(h.visit_id) for h in held}
    assert cancelled_after, "the hold cancels visits beyond 72 hours too"
    assert not {line.visit_id for line in priced.lines} & cancelled_after
