"""Electronic call monitoring as it happens: the coordinator's live board and the late/missed monitor (issue 6)."""

from django.apps import AppConfig


class MonitoringConfig(AppConfig):
    name = "homecare.monitoring"
    label = "monitoring"

    def ready(self):
        from . import jobs  # noqa: F401  (registers the background jobs)
