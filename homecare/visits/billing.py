"""What billing reads of call monitoring: each verified call's care time, from
the moment every worker the visit needs was in (KENT-3.3.7) to the last one
out. Registered with :mod:`homecare.billing.delivery` from this app's ``ready()``,
so invoices are priced on what really happened, not on what was planned."""

from __future__ import annotations

from datetime import datetime

from .models import CallRecord


def actuals(visit_ids: list[str]) -> dict[str, tuple[datetime, datetime | None]]:
    """``{visit id: (care started, ended or None)}`` for the visits that have a call;
    a call still open comes back with no end, which billing refuses ("no check-out")."""
    calls = CallRecord.objects.filter(visit_id__in=visit_ids, archived_at__isnull=True).values_list(
        "visit_id", "started_at", "care_started_at", "ended_at"
    )
    return {
        str(visit): (care_started or started, ended)
        for visit, started, care_started, ended in calls
    }
