"""Rotas: the optimizer's Django shell, the rota page, manual moves, worker calendars (issue 5)."""

from django.apps import AppConfig


class RosteringConfig(AppConfig):
    name = "homecare.rostering"
    label = "rostering"

    def ready(self):
        from . import jobs  # noqa: F401  (registers the background jobs)
