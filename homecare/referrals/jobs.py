from homecare.core.jobs import job


@job("referrals.publish_batch")
def referrals_publish_batch() -> dict:
    """Every few minutes: send out the referrals queued for the daily batch (LAN-HC-3.2)."""
    from .services import referrals_publish_batch

    return {"published": referrals_publish_batch()}
