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

        from django.db.models.signals import post_delete, post_save

        from .cache import changed

        post_save.connect(changed, dispatch_uid="plans.deadlines_changed_on_save")
        post_delete.connect(changed, dispatch_uid="plans.deadlines_changed_on_delete")
