"""Background jobs of the journey app (run on a timer, see homecare.core.schedule)."""

from homecare.core.jobs import job


@job("journey.end_hospital_holds")
def journey_end_hospital_holds() -> dict:
    """Every five minutes: end the hospital holds that have run out (LAN-HC-6.1,
    LAN-ST-4.14), and the packages a placed restart has replaced (LAN-HC-6.4)."""
    from .hospital import stays_close_restarted, stays_end_holds

    return {"ended": stays_end_holds(), "restarted": stays_close_restarted()}


@job("journey.apply_due_changes")
def journey_apply_due_changes() -> dict:
    """Every few minutes: apply the agreed changes to care whose start date has come."""
    from .changes import changes_apply_due

    return {"applied": changes_apply_due()}
