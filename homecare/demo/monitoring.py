"""Demo calls for the live board: yesterday's and today's visits as they went.

Up to the time of the build (or 11:15 if it is built earlier in the day, see
:func:`demo_now`), each visit with a worker on it was started on
time (most), 45 minutes or more late (a few) or by nobody (a handful, and the
visits left open on the rota); started calls ended after about their length,
some cut short. The monitor then sweeps once, so calls nobody started are late
or missed at the real minute, and the council gets one missed-call email each
(the demo's file mail backend, ``var/mail``). Yesterday is complete, so the
council's late-calls page and the notifications list have a day behind them.

Rows go in with ``bulk_create``: the county demo holds thousands of calls a day.
"""

from __future__ import annotations

import random
from datetime import datetime, time, timedelta

from django.utils import timezone

from homecare.domain import calls
from homecare.monitoring import alerts, monitor
from homecare.monitoring.models import CallPresence, CallWatch
from homecare.monitoring.services import watch_build
from homecare.packages.models import Visit, VisitAssignment

#: Before this local time there is little to see on a real morning's board, so a
#: demo built earlier plays the day as far as it (the build says so).
DEMO_MORNING = time(11, 15)


def demo_now(today) -> datetime:
    """The moment the demo's calls are played up to: now, or today at 11:15 when
    the demo is built earlier in the day (at night the board would be empty)."""
    now = timezone.now()
    morning = timezone.make_aware(datetime.combine(today, DEMO_MORNING))
    return max(now, morning) if timezone.localdate(now) == today else morning


def build_calls(*, today, now: datetime | None = None, seed: int = 6) -> dict[str, int]:
    """Watches, arrivals and departures for yesterday's and today's visits; returns counts."""
    now = now or demo_now(today)
    rng = random.Random(seed * 1_000_003 + today.toordinal())
    visits = list(
        Visit.objects.filter(date__in=(today - timedelta(days=1), today), archived_at__isnull=True)
        .exclude(call_watch__isnull=False)
        .select_related("package__contract")
        .order_by("planned_start", "pk")
    )
    on_rota: dict = {}
    for visit_id, worker_id in VisitAssignment.objects.filter(
        visit__in=[v.pk for v in visits]
    ).values_list("visit_id", "worker_id"):
        on_rota.setdefault(visit_id, []).append(worker_id)
    watches, presences, late_starts = [], [], []
    for visit in visits:
        watch = watch_build(visit, now=now)
        watches.append(watch)
        workers = on_rota.get(visit.pk, [])
        if watch.state == calls.CANCELLED or not workers or visit.planned_start > now:
            continue
        started = _start(visit, rng)
        if started is None or started > now:
            continue
        _started(watch, started, rng, now)
        presences += [
            CallPresence(
                organisation_id=visit.organisation_id,
                watch=watch,
                worker_id=w,
                arrived_at=started,
                left_at=watch.ended_at,
            )
            for w in workers
        ]
        if "late_start" in watch.flags:
            late_starts.append(watch)
    CallWatch.objects.bulk_create(watches, batch_size=2000)
    CallPresence.objects.bulk_create(presences, batch_size=2000)
    for watch in late_starts:
        alerts.call_late(watch)
    swept = monitor.sweep(now=now)
    return {"calls": len(watches), "started": len(presences), "played_to": now, **swept}


def _start(visit, rng: random.Random):
    roll = rng.random()
    if roll < 0.90:
        offset = rng.uniform(-8, 20)
    elif roll < 0.96:
        offset = rng.uniform(46, 100)
    else:
        return None  # nobody comes: the monitor finds it late, then missed
    return (visit.planned_start + timedelta(minutes=offset)).replace(microsecond=0)


def _started(watch: CallWatch, started, rng: random.Random, now) -> None:
    rules = watch.rules
    verdict = calls.judge_start(watch.ordered_at, started, rules)
    watch.started_at = watch.first_arrival_at = started
    watch.flags = {"late": ["late_start"], "early": ["early"]}.get(verdict, [])
    if verdict == calls.LATE:
        watch.late_at = started
    ordered = calls.delivered_minutes(watch.ordered_at, watch.planned_end)
    length = round(ordered * rng.choice((1.0, 1.0, 1.0, 0.95, 0.9, 0.7)))
    ended = started + timedelta(minutes=length)
    if ended <= now:
        watch.state, watch.ended_at, watch.alert_at = calls.COMPLETED, ended, None
        watch.outcome = CallWatch.Outcome.DELIVERED
        if calls.is_short(ordered_minutes=ordered, delivered_minutes=length, rules=rules):
            watch.flags.append("short")
    else:
        watch.state = calls.IN_PROGRESS
        watch.checkout_due_at = calls.checkout_due(
            started=started, ordered=watch.ordered_at, planned_end=watch.planned_end, rules=rules
        )
        watch.alert_at = watch.checkout_due_at
