from django.apps import AppConfig


class VisitsConfig(AppConfig):
    name = "homecare.visits"
    label = "visits"

    def ready(self):
        from homecare.billing import delivery

        from . import billing

        # Invoices are priced on the verified call times (check-in to check-out).
        delivery.register_actuals(billing.actuals)
