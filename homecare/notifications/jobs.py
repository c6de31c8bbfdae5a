"""Background jobs of the notifications app."""

from homecare.core.jobs import job


@job("notifications.deliver")
def notifications_deliver(notification_id: str) -> dict:
    """Send one notification as soon as it is raised."""
    from .services import notification_deliver

    return {"sent": notification_deliver(notification_id=notification_id)}


@job("notifications.deliver_due")
def notifications_deliver_due() -> dict:
    """Every minute: send whatever is still undelivered (a crash or a mail server
    that said no loses nothing)."""
    from .services import notifications_deliver_due

    return {"sent": notifications_deliver_due()}
