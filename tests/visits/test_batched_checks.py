"""Check-ins and check-outs written in batches (homecare.visits.arrivals): each event
is decided exactly as it would be alone, against what the ones before it in the
batch changed, and the batch is written in one transaction."""

import uuid
from datetime import timedelta

import pytest
import time_machine

from homecare.monitoring.models import CallWatch
from homecare.notifications.models import Notification
from homecare.packages.models import Visit
from homecare.visits import arrivals, services
from homecare.visits.models import CallRecord, CallWorker, VisitEvent
from tests.visits.conftest import check

pytestmark = pytest.mark.django_db


def test_one_batch_checks_in_and_out_of_several_calls_each_in_order(ward, lunch):
    """A phone's queue sent at 18:05: lunch in and out, then both workers of the
    double-handed evening call in; the care timer starts with the second (KENT-3.3.7)."""
    me, partner, evening = ward["care_worker"], ward["partner"], ward["evening"]
    one = lunch.planned_start
    six = evening.planned_start
    with time_machine.travel(six + timedelta(minutes=5), tick=False):
        answers = arrivals.record(
            [
                check(me, lunch, "check_in", one + timedelta(minutes=2)),
                check(me, lunch, "check_out", one + timedelta(minutes=31)),
                check(me, evening, "check_in", six - timedelta(minutes=1)),
                check(partner, evening, "check_in", six + timedelta(minutes=3)),
            ]
        )
    assert [a.outcome for a in answers] == ["accepted"] * 4, [a.reason for a in answers]
    assert VisitEvent.objects.count() == 4
    call = CallRecord.objects.get(visit=lunch)
    assert (call.status, call.started_at, call.ended_at) == (
        "completed",
        one + timedelta(minutes=2),
        one + timedelta(minutes=31),
    )
    assert Visit.objects.get(pk=lunch.pk).status == "completed"
    # The audit history holds each change, as when the events come one at a time.
    assert [h.history_type for h in call.history.order_by("history_date")] == ["+", "~"]
    assert {h.history_user for h in call.history.all()} == {ward["worker"]}
    assert CallWorker.history.filter(call=call).count() == 2
    dinner = CallRecord.objects.get(visit=evening)
    assert dinner.status == "in_progress"
    assert dinner.care_started_at == six + timedelta(minutes=3)
    watches = {w.visit_id: w for w in CallWatch.objects.all()}
    assert watches[lunch.pk].state == "completed"
    assert watches[evening.pk].state == "in_progress"
    assert watches[evening.pk].presences.count() == 2


def test_a_refused_event_in_a_batch_changes_nothing_but_its_own_record(ward, lunch):
    at = lunch.planned_start + timedelta(minutes=1)
    with time_machine.travel(at, tick=False):
        refused, accepted = arrivals.record(
            [
                check(ward["partner"], lunch, "check_in", at),
                check(ward["care_worker"], lunch, "check_in", at),
            ]
        )
    assert refused.outcome == "rejected" and "not on your rota" in refused.reason
    assert accepted.outcome == "accepted"
    assert list(CallWorker.objects.values_list("worker", flat=True)) == [ward["care_worker"].pk]
    assert VisitEvent.objects.filter(outcome="rejected").count() == 1


def test_a_key_twice_in_one_batch_is_recorded_once(ward, lunch):
    at = lunch.planned_start
    with time_machine.travel(at, tick=False):
        first, again = arrivals.record(
            [check(ward["care_worker"], lunch, "check_in", at, key="twice-1")] * 2
        )
    assert not first.replayed and again.replayed and first.pk == again.pk
    assert VisitEvent.objects.count() == 1 and CallWorker.objects.count() == 1


def test_an_unknown_visit_is_an_error_for_that_event_alone(ward, lunch):
    at = lunch.planned_start
    with time_machine.travel(at, tick=False):
        lost, accepted = arrivals.record(
            [
                check(ward["care_worker"], uuid.uuid4(), "check_in", at),
                check(ward["care_worker"], lunch, "check_in", at),
            ]
        )
    assert isinstance(lost, services.EventError) and str(lost) == services.NOT_ON_ROTA
    assert accepted.outcome == "accepted" and VisitEvent.objects.count() == 1


def test_a_late_start_in_a_batch_tells_the_council_once(ward, lunch):
    """KENT-3.9.4 / KENT-3.8.1: started 50 minutes after the ordered time."""
    at = lunch.planned_start + timedelta(minutes=50)
    with time_machine.travel(at, tick=False):
        (answer,) = arrivals.record([check(ward["care_worker"], lunch, "check_in", at)])
        assert answer.outcome == "accepted"
    watch = CallWatch.objects.get(visit=lunch)
    assert watch.state == "in_progress" and "late_start" in watch.flags
    assert Notification.objects.filter(kind="late_call").count() == 1
    assert Notification.objects.get().subject.startswith("Late call")
