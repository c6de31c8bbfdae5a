"""A batch's committed work that nobody's answer waits for: the council's email
about a late call goes once the batch has committed (and, through the group
commit, once its requests are answered), never for a batch rolled back. Real
transactions: in a test's own transaction nothing ever commits."""

from datetime import timedelta

import pytest
import time_machine
from django.core import mail

from homecare.core.models import JobRun
from homecare.monitoring import monitor
from homecare.monitoring.models import CallWatch
from homecare.monitoring.services import watch_for
from homecare.notifications.models import Notification
from homecare.visits import arrivals
from homecare.visits.models import VisitEvent
from tests.visits.conftest import check

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_late_start_is_emailed_to_the_council_once_the_batch_commits(ward, lunch):
    """KENT-3.9.4 / KENT-3.8.1: started 50 minutes after the ordered time."""
    ward["council"].email = "brokerage@lancashire.example"
    ward["council"].save()
    at = lunch.planned_start + timedelta(minutes=50)
    with time_machine.travel(at, tick=False):
        (answer,) = arrivals.group.submit([check(ward["care_worker"], lunch, "check_in", at)])
    assert answer.outcome == "accepted"
    notification = Notification.objects.get(kind="late_call")
    assert notification.delivered_at is not None
    assert notification.event_key == f"call:{lunch.pk}:late_call"
    assert notification.refs == ["KENT-3.9.4", "KENT-3.8.1"]
    assert "Margaret" in notification.subject and notification.individual_id == lunch.individual_id
    # Written with the batch's rows, audit history included; delivered in this
    # process with what the batch held (no job row: the notification records it).
    assert list(notification.history.values_list("history_type", flat=True)) == ["+"]
    assert not JobRun.objects.exists()
    assert len(mail.outbox) == 1 and mail.outbox[0].subject.startswith("[Late call]")


def test_a_check_in_after_the_monitor_reported_the_call_missed_sends_nothing_more(ward, lunch):
    """KENT-3.9.5: the sweep told the council at two hours; the worker arriving after
    that is recorded (the call started after it was missed) and raises the same
    event, which is not told twice."""
    ward["council"].email = "brokerage@lancashire.example"
    ward["council"].save()
    watch_for(lunch)
    with time_machine.travel(lunch.planned_start + timedelta(minutes=121), tick=False):
        assert monitor.sweep()["missed"] == 1
    assert len(mail.outbox) == 1
    at = lunch.planned_start + timedelta(minutes=130)
    with time_machine.travel(at, tick=False):
        (answer,) = arrivals.group.submit([check(ward["care_worker"], lunch, "check_in", at)])
    assert answer.outcome == "accepted"
    notification = Notification.objects.get()
    assert notification.kind == "missed_call" and notification.history.count() == 1
    assert len(mail.outbox) == 1
    assert CallWatch.objects.get(visit=lunch).state == "missed"


def test_a_batch_rolled_back_emails_nothing(ward, lunch, monkeypatch):
    ward["council"].email = "brokerage@lancashire.example"
    ward["council"].save()
    at = lunch.planned_start + timedelta(minutes=50)

    def refuse(objs, **kwargs):
        raise RuntimeError("the database went away")

    real = arrivals.rows.inserts
    monkeypatch.setattr(
        arrivals.rows,
        "inserts",
        lambda objs, **kw: (
            refuse(objs) if objs and type(objs[0]) is VisitEvent else real(objs, **kw)
        ),
    )
    with time_machine.travel(at, tick=False), pytest.raises(RuntimeError):
        arrivals.group.submit([check(ward["care_worker"], lunch, "check_in", at)])
    assert not Notification.objects.exists() and mail.outbox == []
