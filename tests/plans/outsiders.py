"""Outsider cases for the plans app's pages (see tests/test_outsiders_get_404.py)."""

DETAIL_ROUTES = {
    "plans:plan": ("package", {}, "get"),
    "plans:edit": ("package", {}, "get"),
    "plans:history": ("package", {}, "get"),
    "plans:pdf": ("package", {}, "get"),
    "plans:easy_read": ("package", {}, "get"),
    "plans:goals": ("package", {}, "get"),
    "plans:reviews": ("package", {}, "get"),
    "plans:review_schedule": ("package", {}, "post"),
    "plans:review_record": ("package", {}, "post"),
    "plans:review_early": ("package", {}, "post"),
    "plans:records": ("package", {}, "get"),
    "plans:version": ("plan_version", {}, "get"),
    "plans:goal": ("goal", {}, "get"),
    "plans:goal_achieved": ("goal", {}, "post"),
    "plans:goal_stopped": ("goal", {}, "post"),
    "plans:review": ("review", {}, "get"),
}
LIST_ROUTES = {
    "plans:due": "Entwistle-Quayle",
    "plans:without_plan": "Entwistle-Quayle",
}
ONE_SIDED: dict = {}


def build(everything) -> dict:
    """A plan with one version and a goal, and a booked review, for ``package``."""
    from datetime import timedelta

    from django.utils import timezone

    from homecare.plans import services

    by, package = everything["coordinator"], everything["package"]
    version = services.plan_version_issue(
        by=by,
        package=package,
        form_of_address="Mrs Entwistle-Quayle",
        outcomes="To wash and dress with less help",
        review_date=timezone.localdate() + timedelta(days=60),
    )
    goal = services.goal_add(
        by=by,
        package=package,
        outcome="Independence in personal care",
        specific="Dress her upper body without help",
        measurable="Three mornings in a row without help",
        achievable="With a long-handled shoe horn and prompts",
        relevant="She wants to manage mornings alone",
        target_date=timezone.localdate() + timedelta(days=42),
    )
    review = services.review_schedule(
        by=by,
        package=package,
        kind="light_touch",
        scheduled_for=timezone.localdate() + timedelta(days=20),
    )
    return {"plan_version": version, "goal": goal, "review": review}
