"""Celery application: production workers run `celery -A homecare worker`."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "homecare.settings.production")

app = Celery("homecare")
app.config_from_object("django.conf:settings", namespace="CELERY")


@app.task(name="homecare.run_job")
def run_job_task(run_id: str) -> str:
    from homecare.core.jobs import run_job

    return run_job(run_id).status


@app.task(name="homecare.enqueue_job")
def enqueue_job_task(name: str) -> str:
    """Celery beat's entry point: queue a periodic job like any other."""
    from django.db import transaction

    from homecare.core.jobs import enqueue

    with transaction.atomic():
        return str(enqueue(name).pk)
