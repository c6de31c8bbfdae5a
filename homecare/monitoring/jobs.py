"""Background jobs of call monitoring (run by the task runner, see core.schedule)."""

from homecare.core.jobs import job

from . import monitor


@job("monitoring.sweep")
def monitoring_sweep() -> dict:
    """Move due calls to late or missed and raise their notifications."""
    return monitor.sweep()


@job("monitoring.watch_days")
def monitoring_watch_days() -> dict:
    """Make the call watches of today's and tomorrow's visits."""
    return {"made": monitor.watch_days()}
