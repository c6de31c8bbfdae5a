"""Care and support plans (versioned), outcomes and SMART goals, reviews, and the what-is-due page (issue 4)."""

from django.apps import AppConfig


class PlansConfig(AppConfig):
    name = "homecare.plans"
    label = "plans"

    def ready(self):
        from . import jobs  # noqa: F401  (registers the periodic job)
        from .deadlines import register
        from .sources import KINDS, plan_deadlines

        register(plan_deadlines, kinds=KINDS)
