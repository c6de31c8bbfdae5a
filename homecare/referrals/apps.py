from django.apps import AppConfig


class ReferralsConfig(AppConfig):
    name = "homecare.referrals"
    label = "referrals"

    def ready(self):
        from . import jobs  # noqa: F401
