"""Rotas: the optimizer's Django shell, the rota page, manual moves, worker calendars (issue 5)."""

from django.apps import AppConfig


class RosteringConfig(AppConfig):
    name = "homecare.rostering"
    label = "rostering"

    def ready(self):
        from homecare.journey.signals import visits_moved

        from . import jobs  # noqa: F401  (registers the background jobs)

        visits_moved.connect(_care_changed, dispatch_uid="rostering.runs_outdated")


def _care_changed(sender, visit_ids, **kwargs):
    """The journey app moved visits (after its change committed): tell the proposals
    waiting for review on those days."""
    from .services import rota_runs_outdate

    rota_runs_outdate(visit_ids=visit_ids)
