"""Background jobs of the plans app."""

from homecare.core.jobs import job


@job("plans.missing_plan_lists")
def plans_missing_plan_lists() -> dict:
    """Hourly: on each contract's days, send the list of people without a plan
    (LAN-ST-9.6); a list goes once a day at most."""
    from .missing import missing_plan_lists_send

    return {"sent": len(missing_plan_lists_send())}
