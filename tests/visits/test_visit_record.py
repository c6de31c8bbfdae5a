"""The visit record (KENT-8.2.1, KENT-8.2.2, KENT-3.9.1): tasks, the medication
administration record, money, incidents and notes."""

from datetime import timedelta
from decimal import Decimal

import pytest
import time_machine

from homecare.visits.models import (
    CallRecord,
    DoseRecord,
    FinancialTransaction,
    Incident,
    MedicationDose,
    TaskRecord,
    VisitNote,
)
from tests.visits.conftest import dose_payload

pytestmark = pytest.mark.django_db


@pytest.fixture
def inside(ward, nine, send):
    assert send("worker", "check_in").outcome == "accepted"
    return nine


def test_doses_fall_to_the_nearest_visit_of_the_day(ward, inside):
    morning = MedicationDose.objects.filter(visit=ward["visit"])
    assert sorted((d.medication.name, f"{d.due_at:%H:%M}") for d in morning) == [
        ("Donepezil", "09:00"),
        ("Paracetamol", "08:00"),
    ]


def test_a_visit_with_due_medication_cannot_close_without_an_entry_for_each_dose(
    ward, inside, send
):
    """KENT-8.2.2: medication assistance is recorded; the MAR closing rule."""
    send("worker", "medication", **dose_payload(ward["paracetamol"], ward["visit"], "08:00"))
    out = send("worker", "check_out")
    assert out.outcome == "rejected" and "Donepezil 09:00" in out.reason
    assert CallRecord.objects.get().status == "in_progress"
    refused = dose_payload(ward["donepezil"], ward["visit"], "09:00", outcome="refused")
    assert "reason" in send("worker", "medication", **refused).reason
    refused["reason"] = "Said she would take it with lunch"
    assert send("worker", "medication", **refused).outcome == "accepted"
    assert send("worker", "check_out").outcome == "accepted"
    record = DoseRecord.objects.get(dose__medication=ward["donepezil"])
    assert record.outcome == "refused" and record.given_at is None


def test_a_dose_recorded_twice_is_refused(ward, inside, send):
    payload = dose_payload(ward["paracetamol"], ward["visit"], "08:00")
    assert send("worker", "medication", **payload).outcome == "accepted"
    twice = send("worker", "medication", **payload)
    assert twice.outcome == "rejected" and "recorded already (given at 09:02" in twice.reason
    assert DoseRecord.objects.count() == 1


def test_a_medication_not_due_on_this_visit_is_refused(ward, inside, send):
    evening_dose = dose_payload(ward["paracetamol"], ward["visit"], "18:00")
    event = send("worker", "medication", **evening_dose)
    assert event.outcome == "rejected" and "not due on this visit" in event.reason


def test_tasks_done_not_done_or_refused_with_reason(ward, inside, send):
    assert send("worker", "task", task="Personal care", outcome="done").outcome == "accepted"
    no_reason = send("worker", "task", task="Breakfast", outcome="refused")
    assert no_reason.outcome == "rejected" and "'reason' is required" in no_reason.reason
    send("worker", "task", task="Breakfast", outcome="refused", reason="Not hungry")
    assert dict(TaskRecord.objects.values_list("task", "outcome")) == {
        "Personal care": "done",
        "Breakfast": "refused",
    }
    bad = send("worker", "task", task="Breakfast", outcome="maybe")
    assert bad.outcome == "rejected" and "must be one of" in bad.reason


def test_nothing_is_recorded_before_checking_in(ward, nine, send):
    event = send("worker", "task", task="Personal care", outcome="done")
    assert event.outcome == "rejected" and "Check in" in event.reason
    assert not TaskRecord.objects.exists()


def test_a_financial_transaction_needs_amount_purpose_and_the_persons_confirmation(
    ward, inside, send
):
    """KENT-5.6.1: amount, purpose, confirmed by the person."""
    unconfirmed = send("worker", "finance", kind="shopping", amount="12.40", purpose="Milk")
    assert unconfirmed.outcome == "rejected" and "must confirm" in unconfirmed.reason
    bad = send(
        "worker",
        "finance",
        kind="shopping",
        amount="lots",
        purpose="Milk",
        confirmed_by_person=True,
    )
    assert bad.outcome == "rejected" and "sum of money" in bad.reason
    ok = send(
        "worker",
        "finance",
        kind="shopping",
        amount="12.40",
        purpose="Milk and bread",
        confirmed_by_person=True,
        confirmed_by_name="Margaret",
    )
    assert ok.outcome == "accepted"
    assert FinancialTransaction.objects.get().amount == Decimal("12.40")


def test_a_gift_over_the_contracts_limit_is_refused(ward, inside, send):
    """KENT-5.6.2 (gifts.max_value): above the limit refused, a box of biscuits kept."""
    big = send(
        "worker",
        "finance",
        kind="gift",
        amount="20.00",
        purpose="A thank-you",
        confirmed_by_person=True,
    )
    assert big.outcome == "rejected" and "more than £5.00" in big.reason
    small = send(
        "worker",
        "finance",
        kind="gift",
        amount="3.00",
        purpose="Biscuits",
        confirmed_by_person=True,
    )
    assert small.outcome == "accepted"
    assert FinancialTransaction.objects.count() == 1


def test_incidents_and_notes_are_kept_with_the_visit(ward, inside, send):
    """KENT-8.2.1, KENT-8.2.2, KENT-3.9.1: significant occurrences, handover notes and
    notes the person agreed to share."""
    send(
        "worker",
        "incident",
        kind="accident",
        description="Slipped in the bathroom",
        action_taken="Checked for injury; none",
    )
    send("worker", "note", text="Low on bread", for_next_worker=True)
    send("worker", "note", text="Enjoyed the garden", shared_with_person=True)
    assert Incident.objects.get().kind == "accident"
    assert list(VisitNote.objects.values_list("text", "shared_with_person")) == [
        ("Low on bread", False),
        ("Enjoyed the garden", True),
    ]
    empty = send("worker", "note", text="  ")
    assert empty.outcome == "rejected"


def test_records_sent_after_check_out_still_count(ward, inside, send):
    for hhmm, med in [("08:00", "paracetamol"), ("09:00", "donepezil")]:
        send("worker", "medication", **dose_payload(ward[med], ward["visit"], hhmm))
    with time_machine.travel(inside + timedelta(minutes=30), tick=False):
        send("worker", "check_out")
        assert send("worker", "note", text="Forgot to say: bins out").outcome == "accepted"


def test_a_safeguarding_concern_is_told_to_the_council_once(ward, inside, send):
    """KENT-3.8.1, KENT-8.4.6: safeguarding concerns and emergencies reach the council."""
    from homecare.notifications.models import Notification

    key = "incident-1"
    for _ in range(2):
        event = send(
            "worker",
            "incident",
            key=key,
            kind="safeguarding",
            description="Bruising on both arms; says her nephew grabbed her",
        )
        assert event.outcome == "accepted"
    notice = Notification.objects.get()
    assert notice.kind == "safeguarding" and notice.event_key.startswith("incident:")


def test_a_task_refused_three_visits_in_a_row_tells_the_council(ward, send):
    """KENT-3.8.1: refusals three or more times in consecutive visits."""
    from homecare.notifications.models import Notification
    from homecare.packages import services as package_services

    person, package = ward["person"], ward["package"]
    visits = [ward["visit"]]
    for days in (1, 2):
        day = ward["visit"].date + timedelta(days=days)
        visit = package.visits.filter(date=day).first()
        if visit is None:
            package_services.pattern_entry_add(
                by=ward["coordinator"],
                package=package,
                weekdays=[day.weekday()],
                start_time=ward["visit"].planned_start.astimezone().time().replace(second=0),
                end_time=(ward["visit"].planned_end).astimezone().time().replace(second=0),
                tasks=["Personal care"],
            )
            visit = package.visits.get(date=day)
        package_services.visit_assign_workers(
            by=ward["coordinator"], visit=visit, workers=[ward["care_worker"]]
        )
        visits.append(visit)
    assert person
    for visit in visits:
        with time_machine.travel(visit.planned_start, tick=False):
            send("worker", "check_in", visit=visit)
            send(
                "worker",
                "task",
                visit=visit,
                task="Personal care",
                outcome="refused",
                reason="Did not want a wash",
            )
    assert Notification.objects.filter(kind__icontains="refus").count() == 1
