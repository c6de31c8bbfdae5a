"""Money: invoices, block contracts and payments from the contract rules and the visits that happened (issue 7)."""

from django.apps import AppConfig


class BillingConfig(AppConfig):
    name = "homecare.billing"
    label = "billing"

    def ready(self):
        from . import jobs  # noqa: F401
