"""Periodic jobs: what runs on a timer, and the embedded timer that runs them.

Production runs ``celery -A homecare beat`` next to the workers, reading
``CELERY_BEAT_SCHEDULE`` built from :data:`PERIODIC`. The embedded default
(``make demo``, or ``homecare scheduler`` on a small install) runs the same
jobs from a thread in this process, through :func:`homecare.core.jobs.enqueue`,
so every run is recorded as a ``JobRun`` either way.
"""

from __future__ import annotations

import logging
import threading
import time

log = logging.getLogger(__name__)

#: job name -> every how many seconds it runs.
PERIODIC: dict[str, int] = {
    "referrals.publish_batch": 60,  # the daily batch goes out within a minute of its time
    "visits.extend_horizon": 6 * 60 * 60,  # keeps four weeks of visits ahead
    "journey.end_hospital_holds": 5 * 60,  # a 72-hour hold ends within 5 minutes (LAN-HC-6.1)
    "journey.apply_due_changes": 5 * 60,  # agreed changes to care on their start date
    "monitoring.sweep": 30,  # late and missed calls flagged within half a minute
    "monitoring.watch_days": 10 * 60,  # call watches for today's and tomorrow's visits
    "notifications.deliver_due": 5 * 60,  # retries anything the council has not yet been sent
    "plans.missing_plan_lists": 60 * 60,  # the twice-weekly list of people without a plan
    "billing.watch_blocks": 15 * 60,  # block alert at 80% and the daily capacity update by 10:00
}


def beat_schedule() -> dict:
    """The Celery beat schedule for :data:`PERIODIC`."""
    return {
        name: {"task": "homecare.enqueue_job", "schedule": float(every), "args": [name]}
        for name, every in PERIODIC.items()
    }


def run_due(last_run: dict[str, float], now: float) -> list[str]:
    """Enqueue each periodic job never run here or whose interval has passed;
    returns their names."""
    from django.db import transaction

    from .jobs import enqueue

    started = []
    for name, every in PERIODIC.items():
        if name not in last_run or now - last_run[name] >= every:
            with transaction.atomic():
                enqueue(name)
            last_run[name] = now
            started.append(name)
    return started


def start_in_background(tick_seconds: float = 15.0) -> threading.Thread:
    """The embedded timer: a daemon thread that runs due jobs every ``tick_seconds``."""

    def loop():
        from django.db import close_old_connections

        last_run: dict[str, float] = {}
        while True:
            close_old_connections()
            try:
                run_due(last_run, time.monotonic())
            except Exception:  # keep the timer alive; the JobRun row holds the error
                log.exception("A periodic job could not be started")
            time.sleep(tick_seconds)

    thread = threading.Thread(target=loop, name="homecare-scheduler", daemon=True)
    thread.start()
    return thread
