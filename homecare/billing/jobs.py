"""Background jobs of the billing app."""

from homecare.core.jobs import job


@job("billing.watch_blocks")
def billing_watch_blocks() -> dict:
    """Every quarter of an hour: the 80% block alert (LAN-ST-9.5) once per period,
    and each block's daily capacity update (LAN-ST-9.4) once a day."""
    from .blocks import blocks_watch

    return blocks_watch()
