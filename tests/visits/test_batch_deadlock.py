"""A batch of check-ins chosen as a deadlock's victim is tried again, not lost.

The batch locks its visits and watches in visit order; the call monitor's
sweep updates due watches in its own order. Here another transaction holds
the second watch and then asks for the first while the batch holds it: a real
deadlock in PostgreSQL, which rolls the batch back. Both check-ins are still
recorded, once. (SQLite writes one transaction at a time: no deadlock there.)
"""

import threading
import time
from datetime import timedelta

import pytest
import time_machine
from django.db import connection, transaction

from homecare.monitoring.models import CallWatch
from homecare.monitoring.services import watch_build
from homecare.visits import arrivals
from homecare.visits.models import CallWorker
from tests.visits.conftest import check

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL locks rows"),
]


def deadlocks() -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT deadlocks FROM pg_stat_database WHERE datname = current_database()")
        return cursor.fetchone()[0]


def test_a_batch_rolled_back_by_a_deadlock_is_written_on_a_second_try(ward, lunch):
    evening = ward["evening"]
    for visit in (lunch, evening):
        watch_build(visit).save()
    first, second = sorted([lunch, evening], key=lambda v: v.pk)
    holding, errors = threading.Event(), []
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        batch_pid = cursor.fetchone()[0]

    def sweep_like():
        try:
            with transaction.atomic(), connection.cursor() as cursor:
                # The batch, waiting since before this asks, is the one the database
                # checks first, and so rolls back.
                cursor.execute("SET LOCAL deadlock_timeout = '10s'")
                CallWatch.objects.select_for_update().get(visit=second)
                holding.set()
                waiting = None
                for _ in range(200):  # until the batch holds the first and waits
                    cursor.execute(
                        "SELECT wait_event_type FROM pg_stat_activity WHERE pid = %s", [batch_pid]
                    )
                    if (waiting := cursor.fetchone()[0]) == "Lock":
                        break
                    time.sleep(0.02)
                assert waiting == "Lock"
                CallWatch.objects.select_for_update().get(visit=first)
        except Exception as error:  # reported below
            errors.append(error)
        finally:
            connection.close()

    before = deadlocks()
    other = threading.Thread(target=sweep_like)
    at = evening.planned_start + timedelta(minutes=1)  # after both ordered times
    with time_machine.travel(at, tick=False):
        other.start()
        assert holding.wait(5)
        answers = arrivals.record(
            [
                check(ward["care_worker"], lunch, "check_in", lunch.planned_start),
                check(ward["care_worker"], evening, "check_in", evening.planned_start),
            ]
        )
    other.join(10)
    assert [a.outcome for a in answers] == ["accepted", "accepted"]
    assert CallWorker.objects.count() == 2
    assert errors == []  # the other transaction got its rows once the batch let go
    for _ in range(50):  # the statistics reach pg_stat_database within a second
        if deadlocks() > before:
            break
        time.sleep(0.1)
    assert deadlocks() > before
