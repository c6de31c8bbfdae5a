"""The optimizer run in the background: claim the run, plan, record the proposal."""

from __future__ import annotations

import logging
import time

from django.conf import settings
from django.utils import timezone

from homecare.core.jobs import job
from homecare.domain.rostering.model import ProblemError

from . import optimise, services
from .day import load_day
from .models import RotaRun, RotaWeights

log = logging.getLogger(__name__)

#: Seconds the optimizer may search (settings.HOMECARE_ROTA_SECONDS overrides).
SECONDS = {"optimise": 20.0, "repair": 4.0}


def time_limit(kind: str) -> float:
    return float(getattr(settings, "HOMECARE_ROTA_SECONDS", {}).get(kind, SECONDS[kind]))


def _weights(provider):
    """The provider's weights (or the optimizer's defaults) and the travel time built into
    each visit (LAN-HC-4.1: the smallest of its contracts' ``visit.travel_allowance``)."""
    from homecare.domain.rostering.model import Weights
    from homecare.organisations.models import Contract

    row = RotaWeights.objects.filter(organisation=provider).first()
    weights = Weights(**{k: getattr(row, k) for k in RotaWeights.FIELDS}) if row else Weights()
    allowances = [
        c.rules().minutes("visit.travel_allowance")
        for c in Contract.objects.filter(provider=provider, archived_at__isnull=True)
    ]
    return weights, (min(allowances) if allowances else None)


@job("rostering.run")
def rostering_run(run_id: str) -> dict:
    """Run the optimizer for one queued :class:`RotaRun` (once: a conditional update claims it)."""
    claimed = RotaRun.objects.filter(pk=run_id, status=RotaRun.Status.QUEUED).update(
        status=RotaRun.Status.RUNNING,
        started_at=timezone.now(),
        progress=1,
        stage="Reading the day",
    )
    if not claimed:
        return {"skipped": run_id}
    run = RotaRun.objects.select_related("organisation").get(pk=run_id)
    try:
        day = load_day(run.organisation, run.date)
        services.rota_run_progress(run_id=run.pk, progress=5, stage="Planning")
        last = [0.0]

        def progress(fraction, best=None):
            if time.monotonic() - last[0] < 0.5:
                return
            last[0] = time.monotonic()
            services.rota_run_progress(
                run_id=run.pk, progress=5 + int(90 * float(fraction)), stage="Improving the rota"
            )

        weights, allowance = _weights(run.organisation)
        outcome = optimise.run(
            day,
            kind=run.kind,
            weights=weights,
            travel_allowance=allowance,
            time_limit_s=time_limit(run.kind),
            from_minute=services.now_minute(run.date) if run.kind == "repair" else None,
            progress=progress,
        )
    except ProblemError as exc:
        RotaRun.objects.filter(pk=run.pk).update(
            status=RotaRun.Status.FAILED,
            finished_at=timezone.now(),
            report={"problems": exc.reasons},
            error="The day cannot be planned as it stands.",
        )
        return {"failed": exc.reasons}
    except Exception as exc:
        log.exception("Rota run %s failed", run_id)
        RotaRun.objects.filter(pk=run.pk).update(
            status=RotaRun.Status.FAILED, finished_at=timezone.now(), error=repr(exc)
        )
        raise
    RotaRun.objects.filter(pk=run.pk, status=RotaRun.Status.RUNNING).update(
        status=RotaRun.Status.DONE,
        finished_at=timezone.now(),
        progress=100,
        stage="Ready to review",
        before=outcome.before,
        after=outcome.after,
        proposal=outcome.proposal,
        report=outcome.report,
    )
    return {"after": outcome.after}


def warm_optimizer(**_) -> None:
    """Load the optimizer's compiled kernels (numba, ``cache=True``) when a job worker
    process starts, so no coordinator's run waits for them: from the on-disk cache
    this takes about a second; on a machine where nothing is cached yet (or the cache
    directory cannot be written, set ``NUMBA_CACHE_DIR``) it compiles them, 20-40 s."""
    from homecare.domain.rostering.kernels import warm_up

    started = time.monotonic()
    warm_up()
    log.info("optimizer kernels ready in %.1f s", time.monotonic() - started)


try:  # a Celery worker warms up as each of its processes starts
    from celery.signals import worker_process_init
except ImportError:  # pragma: no cover - Celery is optional in development
    pass
else:
    worker_process_init.connect(warm_optimizer, weak=False)
