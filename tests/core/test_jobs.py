"""Background jobs run once, after the transaction that queued them commits,
whether in-process ("immediate") or on Celery workers over a real broker."""

import os
import time
import uuid

import pytest
from django.db import transaction

from homecare.core.jobs import enqueue, job, registered, run_job, run_soon
from homecare.core.models import JobRun

from .required import unavailable

CALLS: list[dict] = []


@job("tests.echo")
def echo(**arguments) -> dict:
    CALLS.append(arguments)
    return {"echoed": arguments}


@job("tests.fail")
def fail(**arguments):
    raise RuntimeError("the council's API is down")


@pytest.fixture(autouse=True)
def _calls():
    CALLS.clear()
    yield
    CALLS.clear()


# --- in-process ("immediate") backend -------------------------------------------------


@pytest.fixture
def immediate(settings):
    settings.HOMECARE_JOBS = "immediate"


@pytest.mark.django_db
def test_a_job_queued_in_a_transaction_runs_only_after_it_commits(
    immediate, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        with transaction.atomic():
            run = enqueue("tests.echo", visit="V1")
            assert CALLS == []
            assert JobRun.objects.get(pk=run.pk).status == JobRun.Status.QUEUED
        assert CALLS == []

    assert len(callbacks) == 1
    assert CALLS == [{"visit": "V1"}]
    run.refresh_from_db()
    assert run.status == JobRun.Status.DONE
    assert run.result == {"echoed": {"visit": "V1"}}
    assert run.error == ""
    assert run.started_at is not None and run.finished_at >= run.started_at


@pytest.mark.django_db
def test_a_job_queued_in_a_transaction_that_rolls_back_never_runs(
    immediate, django_capture_on_commit_callbacks
):
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError, match="changed my mind"),
        transaction.atomic(),
    ):
        enqueue("tests.echo", visit="V1")
        raise RuntimeError("changed my mind")

    assert callbacks == []
    assert CALLS == []
    assert not JobRun.objects.exists()


@pytest.mark.django_db
def test_a_failing_job_ends_failed_with_its_error(immediate, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        run = enqueue("tests.fail")

    run.refresh_from_db()
    assert run.status == JobRun.Status.FAILED
    assert "RuntimeError" in run.error
    assert "the council's API is down" in run.error
    assert run.result is None
    assert run.finished_at is not None


@pytest.mark.django_db
def test_a_redelivered_job_runs_once(immediate, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        run = enqueue("tests.echo", n=1)

    again = run_job(str(run.pk))

    assert CALLS == [{"n": 1}]
    assert again.status == JobRun.Status.DONE
    assert again.result == {"echoed": {"n": 1}}


@pytest.mark.django_db
def test_an_unknown_job_is_refused_and_nothing_is_queued(immediate):
    with pytest.raises(KeyError, match=r"no\.such\.job"):
        enqueue("no.such.job")

    assert not JobRun.objects.exists()


@pytest.mark.django_db
def test_work_that_records_itself_runs_after_commit_with_no_job_row(
    immediate, django_capture_on_commit_callbacks
):
    """``run_soon``: a notification's delivery is recorded on the notification; the
    embedded runner does it in this process once committed, with what the caller
    holds, and writes no JobRun."""
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        run_soon("tests.echo", here=lambda: CALLS.append({"held": True}), n=1)
        run_soon("tests.echo", n=2)
        assert CALLS == []
    assert CALLS == [{"held": True}, {"n": 2}]
    assert not JobRun.objects.exists()


@pytest.mark.django_db
def test_work_run_soon_that_fails_is_logged_and_the_caller_goes_on(
    immediate, django_capture_on_commit_callbacks, caplog
):
    with django_capture_on_commit_callbacks(execute=True):
        run_soon("tests.fail")
    assert "Job tests.fail failed" in caplog.text
    with pytest.raises(KeyError, match=r"no\.such\.job"):
        run_soon("no.such.job")


@pytest.mark.django_db
def test_an_unknown_backend_is_refused(settings):
    settings.HOMECARE_JOBS = "cron"

    with pytest.raises(ValueError, match="immediate' or 'celery"):
        enqueue("tests.echo")


def test_the_apps_register_their_jobs():
    assert "visits.extend_horizon" in registered()


# --- Celery backend on a real broker --------------------------------------------------

# One queue of its own per test process, deleted when its worker stops, so that
# test runs sharing a broker never take each other's messages.
QUEUE = f"homecare-test-{uuid.uuid4().hex[:12]}"
WAIT_SECONDS = 20


def _broker_url() -> str:
    from django.conf import settings

    return os.environ.get("CELERY_BROKER_URL") or settings.CELERY_BROKER_URL


def _check_broker(url: str) -> None:
    from kombu import Connection

    try:
        with Connection(url, connect_timeout=3) as connection:
            connection.ensure_connection(max_retries=1, timeout=3)
    except Exception as exc:
        unavailable(f"no Celery broker answers at {url}: {exc!r}")


@pytest.fixture
def celery_worker(settings, transactional_db):
    """A Celery worker in a thread of this process, on the broker of CELERY_BROKER_URL."""
    from celery.contrib.testing.worker import start_worker
    from celery.signals import task_postrun
    from celery.worker import state as worker_state
    from kombu import Exchange, Queue

    from homecare.celery import app

    url = _broker_url()
    _check_broker(url)
    app.conf.broker_url = url
    app.conf.broker_connection_retry_on_startup = False
    app.conf.broker_connection_max_retries = 3
    app.conf.worker_enable_remote_control = False
    app.conf.worker_hijack_root_logger = False
    app.conf.task_default_queue = QUEUE
    app.amqp.queues.add(Queue(QUEUE, Exchange(QUEUE), routing_key=QUEUE, auto_delete=True))
    settings.HOMECARE_JOBS = "celery"
    finished: list[str] = []

    def count(sender=None, task_id=None, **kwargs):
        finished.append(task_id)

    task_postrun.connect(count, weak=False)
    try:
        with start_worker(
            app, pool="solo", concurrency=1, queues=[QUEUE], perform_ping_check=False
        ) as worker:
            worker.tasks_finished = finished
            # With the solo pool and CELERY_WORKER_PREFETCH_MULTIPLIER = 1, the worker
            # takes its next message only when its event loop next wakes, up to ~10 s
            # after the last task: a timer wakes the loop every 0.1 s instead.
            worker.hub.call_soon(lambda: worker.hub.call_repeatedly(0.1, lambda: None))
            yield worker
            # Stop now rather than when the event loop next wakes by itself (~10 s).
            worker_state.should_terminate = 0
            worker.hub.call_soon(lambda: None)
    finally:
        task_postrun.disconnect(count)
        if url.startswith(("redis://", "rediss://")):
            _forget_redis_bindings(url)


def _forget_redis_bindings(url: str) -> None:
    """Kombu keeps a queue's bindings in Redis keys: drop this run's."""
    import redis

    client = redis.Redis.from_url(url, socket_timeout=3)
    try:
        keys = list(client.scan_iter(match=f"_kombu.binding*{QUEUE}"))
        if keys:
            client.delete(*keys)
    finally:
        client.close()


def _wait_until(condition, what: str) -> None:
    deadline = time.monotonic() + WAIT_SECONDS
    while not condition():
        if time.monotonic() > deadline:
            pytest.fail(f"{what} after {WAIT_SECONDS}s on {_broker_url()}")
        time.sleep(0.05)


def _wait_until_finished(run: JobRun) -> JobRun:
    def finished():
        run.refresh_from_db()
        return run.status in (JobRun.Status.DONE, JobRun.Status.FAILED)

    _wait_until(finished, f"{run.name} not finished")
    return run


@pytest.mark.jobs
def test_a_celery_worker_runs_the_nightly_visit_horizon_job(celery_worker, world, settings):
    package = world["package"]  # one visit a week, generated four weeks ahead
    visits_before = package.visits.count()
    settings.HOMECARE_VISIT_HORIZON_DAYS += 14  # the worker thread sees it too

    with transaction.atomic():
        run = enqueue("visits.extend_horizon")

    run = _wait_until_finished(run)

    assert run.status == JobRun.Status.DONE, run.error
    assert run.result == {"created": 2}
    assert package.visits.count() == visits_before + 2


@pytest.mark.jobs
def test_a_celery_worker_records_a_failing_job(celery_worker):
    with transaction.atomic():
        run = enqueue("tests.fail")

    run = _wait_until_finished(run)

    assert run.status == JobRun.Status.FAILED
    assert "the council's API is down" in run.error


@pytest.mark.jobs
def test_a_job_delivered_twice_to_celery_runs_once(celery_worker):
    from homecare.celery import app

    run = _wait_until_finished(enqueue("tests.echo", n=1))
    assert len(celery_worker.tasks_finished) == 1

    app.send_task("homecare.run_job", args=[str(run.pk)])  # the broker delivers it again
    _wait_until(lambda: len(celery_worker.tasks_finished) == 2, "second delivery not handled")
    run.refresh_from_db()

    assert run.status == JobRun.Status.DONE
    assert run.result == {"echoed": {"n": 1}}
    assert CALLS == [{"n": 1}]


@pytest.mark.jobs
def test_work_run_soon_on_celery_runs_on_a_worker_as_a_job(celery_worker):
    """With Celery, ``run_soon`` queues the registered job like any other (its JobRun,
    then the broker): the caller's in-memory shortcut stays in the caller."""
    with transaction.atomic():
        run_soon("tests.echo", here=lambda: CALLS.append("here"), n=3)
    _wait_until(JobRun.objects.exists, "no job queued")
    run = _wait_until_finished(JobRun.objects.get())
    assert (run.name, run.status, run.result) == ("tests.echo", "done", {"echoed": {"n": 3}})
    assert CALLS == [{"n": 3}]
