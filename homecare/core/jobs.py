"""One interface for background work: optimizer runs, the call monitor,
notifications, reports.

    @job("visits.extend_horizon")
    def visits_extend_horizon(): ...

    enqueue("visits.extend_horizon")

``HOMECARE_JOBS = "immediate"`` (the embedded default) runs the job in this
process once the surrounding transaction commits: nothing else to install.
``HOMECARE_JOBS = "celery"`` sends it to Celery workers on
``CELERY_BROKER_URL`` (RabbitMQ or Redis). Either way a ``JobRun`` row records
what ran, when, and how it ended.
"""

from __future__ import annotations

import logging
import traceback
from collections.abc import Callable

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from .models import JobRun

log = logging.getLogger(__name__)
_REGISTRY: dict[str, Callable[..., object]] = {}


def job(name: str):
    """Register a function as the background job ``name``."""

    def register(fn):
        if name in _REGISTRY and _REGISTRY[name] is not fn:
            raise ValueError(f"Two jobs are called {name!r}.")
        _REGISTRY[name] = fn
        return fn

    return register


def registered() -> dict[str, Callable[..., object]]:
    return dict(_REGISTRY)


def enqueue(name: str, **arguments) -> JobRun:
    """Queue job ``name`` with JSON-serialisable keyword ``arguments``."""
    if name not in _REGISTRY:
        raise KeyError(f"No job is called {name!r}.")
    run = JobRun.objects.create(name=name, arguments=arguments)
    backend = settings.HOMECARE_JOBS
    if backend == "immediate":
        transaction.on_commit(lambda: run_job(str(run.pk)))
    elif backend == "celery":
        from homecare.celery import app

        transaction.on_commit(lambda: app.send_task("homecare.run_job", args=[str(run.pk)]))
    else:
        raise ValueError(f"HOMECARE_JOBS must be 'immediate' or 'celery', not {backend!r}.")
    return run


def run_soon(name: str, here: Callable[[], object] | None = None, **arguments) -> None:
    """Job ``name`` once the current transaction commits, for work whose own rows
    record how it went (a notification records its delivery, its attempts and its
    last error): with the immediate backend it runs in this process and writes no
    ``JobRun`` (``here``: the same work done with what the caller holds in memory;
    the registered job by default), a failure logged, as :func:`run_job` logs it;
    with Celery it is queued as :func:`enqueue` queues it."""
    if name not in _REGISTRY:
        raise KeyError(f"No job is called {name!r}.")
    if settings.HOMECARE_JOBS != "immediate":
        transaction.on_commit(lambda: _enqueue_alone(name, arguments))
        return
    work = here or (lambda: _REGISTRY[name](**arguments))

    def run_here():
        try:
            work()
        except Exception:
            log.exception("Job %s failed", name)

    transaction.on_commit(run_here)


def _enqueue_alone(name: str, arguments: dict) -> None:
    with transaction.atomic():
        enqueue(name, **arguments)


def run_job(run_id: str) -> JobRun:
    """Run a queued job once: a conditional update claims it, so a redelivered
    message cannot run it twice."""
    claimed = JobRun.objects.filter(pk=run_id, status=JobRun.Status.QUEUED).update(
        status=JobRun.Status.RUNNING, started_at=timezone.now()
    )
    run = JobRun.objects.get(pk=run_id)
    if not claimed:
        return run
    try:
        result = _REGISTRY[run.name](**run.arguments)
    except Exception as exc:
        log.exception("Job %s failed", run.name)
        run.status, run.error = JobRun.Status.FAILED, f"{exc!r}\n{traceback.format_exc()}"
    else:
        run.status, run.result = JobRun.Status.DONE, result if _jsonable(result) else repr(result)
    run.finished_at = timezone.now()
    run.save(update_fields=["status", "result", "error", "finished_at"])
    return run


def _jsonable(value) -> bool:
    return value is None or isinstance(value, dict | list | str | int | float | bool)
