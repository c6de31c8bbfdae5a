from django.apps import AppConfig


class VisitsConfig(AppConfig):
    name = "homecare.visits"
    label = "visits"

    def ready(self):
        from homecare.billing import delivery

        from . import billing, bodymap, services
        from .models import VisitEvent

        # Invoices are priced on the verified call times (check-in to check-out).
        delivery.register_actuals(billing.actuals)
        # The body map is one more kind of event from the phone's queue.
        services.SERVICES[VisitEvent.Kind.SKIN] = bodymap.visit_record_skin
