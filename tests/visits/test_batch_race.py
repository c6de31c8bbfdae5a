"""A batch that waited for another batch's lock on a visit sees what that batch
wrote: its call, its check-in. (PostgreSQL; SQLite writes one transaction at a
time, so no batch ever waits on another there.)"""

import threading
import time

import pytest
import time_machine
from django.db import connection, transaction

from homecare.monitoring.services import watch_build
from homecare.visits import arrivals
from homecare.visits.models import CallRecord, CallWorker, VisitEvent
from tests.visits.conftest import check

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL locks rows"),
]


def test_a_check_in_waiting_on_another_for_the_same_visit_is_told_it_is_in_already(ward, lunch):
    watch_build(lunch).save()
    worker = ward["care_worker"]
    waiting, answers, errors = {}, [], []

    def second_phone():  # the same worker's other phone, a moment later
        try:
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_backend_pid()")
                waiting["pid"] = cursor.fetchone()[0]
            with time_machine.travel(lunch.planned_start, tick=False):
                answers.extend(
                    arrivals.record([check(worker, lunch, "check_in", lunch.planned_start)])
                )
        except Exception as error:  # reported below
            errors.append(error)
        finally:
            connection.close()

    other = threading.Thread(target=second_phone)
    with time_machine.travel(lunch.planned_start, tick=False), transaction.atomic():
        first = arrivals._Batch([check(worker, lunch, "check_in", lunch.planned_start)]).run()
        other.start()
        state = None
        for _ in range(250):  # until the second batch waits for this one's lock
            while "pid" not in waiting:
                time.sleep(0.01)
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT wait_event_type FROM pg_stat_activity WHERE pid = %s", [waiting["pid"]]
                )
                if (state := cursor.fetchone()[0]) == "Lock":
                    break
            time.sleep(0.02)
        assert state == "Lock"
    other.join(10)
    assert errors == []
    assert [a.outcome for a in first] == ["accepted"]
    assert [(a.outcome, a.reason[:27]) for a in answers] == [
        ("rejected", "You checked in at 13:00 alr")
    ]
    assert CallRecord.objects.filter(visit=lunch).count() == 1
    assert CallWorker.objects.filter(call__visit=lunch).count() == 1
    assert VisitEvent.objects.filter(visit=lunch).count() == 2
