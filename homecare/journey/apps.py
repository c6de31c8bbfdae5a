"""The person's journey on the service: changes to care, hospital stays, restarts, hand-backs and endings (issue 4)."""

from django.apps import AppConfig


class JourneyConfig(AppConfig):
    name = "homecare.journey"
    label = "journey"

    def ready(self):
        from homecare.billing import delivery
        from homecare.plans.deadlines import register

        from . import billing, deadlines, jobs  # noqa: F401  (registers the background jobs)

        # Billing pays the visits a hospital admission cancelled (LAN-HC-6.1).
        delivery.register_hospital_holds(billing.admissions)
        delivery.register_held_visits(billing.held_visit_ids)

        register(
            deadlines.journey_deadlines,
            kinds={
                "change.report": "Change to care reported",
                "change.decision": "Change waiting for the council",
                "hospital.hold": "Hospital hold ends",
                "hospital.restart": "Restart confirmed",
                "handback.last_day": "Hand-back: last day",
                "d2a.end": "Discharge to Assess ends",
            },
        )
