from django.apps import AppConfig


class PackagesConfig(AppConfig):
    name = "homecare.packages"
    label = "packages"

    def ready(self):
        from . import jobs  # noqa: F401  (registers the background jobs)
