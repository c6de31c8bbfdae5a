"""Outsider cases for the live board and the council's late/missed calls
(see tests/test_outsiders_get_404.py)."""

DETAIL_ROUTES = {
    "monitoring:reassign": ("call_watch", {}, "post"),
    "monitoring:call_ahead": ("call_watch", {}, "post"),
    "monitoring:not_delivered": ("call_watch", {}, "post"),
}
LIST_ROUTES = {
    "monitoring:board": "Entwistle-Quayle",
    "monitoring:board_rows": "Entwistle-Quayle",
    "monitoring:council": "Entwistle-Quayle",
    # Family only: everyone else gets 404 (tests/monitoring/test_who_is_coming.py).
    "monitoring:coming": None,
}
ONE_SIDED = {
    "monitoring:board": "office",
    "monitoring:board_rows": "office",
    "monitoring:council": "council",
}


def build(everything):
    """A call today for the world's person, flagged late, so every page shows it."""
    from datetime import timedelta

    from django.utils import timezone

    from homecare.monitoring import monitor, services
    from homecare.packages import services as package_services
    from homecare.packages.models import Visit

    start = timezone.now().replace(second=0, microsecond=0) - timedelta(hours=1)
    visit = Visit.objects.create(
        organisation=everything["provider"],
        package=everything["package"],
        individual=everything["person"],
        date=timezone.localdate(start),
        planned_start=start,
        planned_end=start + timedelta(minutes=30),
        duration_minutes=30,
    )
    package_services.visit_assign_workers(
        by=everything["coordinator"], visit=visit, workers=[everything["care_worker"]]
    )
    watch = services.watch_for(visit)
    monitor.sweep()
    return {"call_watch": watch, "today_visit": visit}
