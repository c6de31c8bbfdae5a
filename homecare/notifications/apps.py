from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "homecare.notifications"
    label = "notifications"

    def ready(self):
        from . import jobs  # noqa: F401  (registers the background jobs)
