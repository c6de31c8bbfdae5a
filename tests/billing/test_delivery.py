"""The delivery selector: the one place billing reads what really happened."""

from datetime import timedelta

from homecare.billing import delivery
from homecare.packages.models import Visit


def _records(world, dates, **kwargs):
    first, last = dates
    return list(
        delivery.deliveries(contract_id=world["contract"].pk, first=first, last=last, **kwargs)
    )


def test_completed_visits_are_delivered_with_their_planned_times(world, dates, delivered):
    records = _records(world, dates)
    assert [r.visit_id for r in records] == [str(v.pk) for v in delivered]
    first = records[0]
    assert (first.actual_start, first.actual_end) == (first.planned_start, first.planned_end)
    assert first.person_id == str(world["person"].pk)
    assert first.workers == 1 and first.kind == "visit" and first.delivered


def test_missed_and_cancelled_visits_are_not_delivered_but_missed_ones_were_commissioned(
    world, dates, delivered
):
    Visit.objects.filter(pk=delivered[0].pk).update(status=Visit.Status.MISSED)
    Visit.objects.filter(pk=delivered[1].pk).update(status=Visit.Status.CANCELLED)
    delivered_ids = {r.visit_id for r in _records(world, dates)}
    planned_ids = {r.visit_id for r in _records(world, dates, planned=True)}
    assert str(delivered[0].pk) not in delivered_ids
    assert str(delivered[0].pk) in planned_ids
    assert str(delivered[1].pk) not in planned_ids


def test_call_monitoring_times_replace_the_planned_ones(world, dates, delivered):
    visit = delivered[0]
    checked_in = visit.planned_start + timedelta(minutes=7)

    def ecm(ids):
        return {str(visit.pk): (checked_in, checked_in + timedelta(minutes=40))}

    delivery.register_actuals(ecm)
    try:
        record = _records(world, dates)[0]
    finally:
        delivery.unregister_actuals(ecm)
    assert record.actual_start == checked_in
    assert record.for_pricing().actual_minutes == 40
    assert record.for_pricing(planned=True).actual_minutes == 45


def test_blocks_and_nights_are_priced_as_the_engine_knows_them():
    assert delivery.PRICING_KIND["day_block"] == "block"
    assert {delivery.PRICING_KIND[k] for k in ("overnight_block", "waking_night", "sleep_in")} == {
        "night"
    }


def test_hospital_holds_come_from_the_registered_source(world, dates):
    from datetime import datetime

    from django.utils import timezone

    from homecare.domain.pricing import HospitalAdmission

    admitted = timezone.make_aware(datetime.combine(dates[0], datetime.min.time()))
    hold = HospitalAdmission(package_id=str(world["package"].pk), admitted_at=admitted)

    def journey(contract_id, first, last):
        return [hold] if contract_id == str(world["contract"].pk) else []

    assert (
        delivery.hospital_holds(contract_id=world["contract"].pk, first=dates[0], last=dates[1])
        == []
    )
    delivery.register_hospital_holds(journey)
    try:
        found = delivery.hospital_holds(
            contract_id=world["contract"].pk, first=dates[0], last=dates[1]
        )
    finally:
        delivery.unregister_hospital_holds(journey)
    assert found == [hold]
