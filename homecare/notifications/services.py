"""Raising and delivering notifications to the council: one row per event, at
least one email each, never two for the same event.

The shape is healthchecks' ``sendalerts``: ``notification_raise`` writes an
outbox row in the caller's transaction and, once it commits, a job delivers
it; ``notifications_deliver_due`` (a periodic job) claims whatever is still
undelivered with a conditional update and tries again, so a crash between
raising and sending loses nothing.
"""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils import timezone

from homecare.core.jobs import run_soon

from .models import KINDS, Notification

#: A claimed notification not delivered within this is claimed again (the
#: worker that claimed it died); this is what makes delivery at-least-once.
CLAIM_LEASE = timedelta(minutes=5)


def notification_build(
    *,
    kind: str,
    provider,
    council,
    subject: str,
    body: str,
    refs: list[str] | tuple[str, ...],
    event_key: str,
    package=None,
    individual=None,
    by=None,
    deliver_within_minutes: int | None = None,
) -> Notification:
    """The notification of an event, checked and not yet written (see
    :func:`notification_raise`)."""
    if kind not in KINDS:
        raise ValidationError(f"Unknown kind of notification: {kind!r}.")
    if not event_key:
        raise ValidationError("A notification needs the key of the event it is about.")
    now = timezone.now()
    notification = Notification(
        organisation=provider,
        council=council,
        package=package,
        individual=individual or (package.individual if package is not None else None),
        kind=kind,
        subject=subject[:200],
        body=body,
        refs=list(refs),
        event_key=event_key,
        raised_at=now,
        raised_by=by if getattr(by, "is_authenticated", False) else None,
        deliver_by=(
            now + timedelta(minutes=deliver_within_minutes)
            if deliver_within_minutes is not None
            else None
        ),
        recipient=council.email,
    )
    notification._history_user = notification.raised_by
    return notification


def notification_raise(**fields) -> Notification:
    """Record that the council must be told of an event, once
    (:func:`notification_build` takes ``fields``).

    ``event_key`` names the event (for example ``"missed:<visit id>"``):
    raising it again returns the notification already raised and sends
    nothing more. ``deliver_within_minutes`` comes from the contract's
    rulebook (e.g. ``notify.emergency_within``), never from code.
    """
    notification = notification_build(**fields)
    existing = Notification.objects.filter(event_key=notification.event_key).first()
    if existing is not None:
        return existing
    try:
        # A savepoint: a race with another raiser of the same event leaves the
        # caller's transaction usable, and the first one wins.
        with transaction.atomic():
            notification.save()
    except IntegrityError:
        return Notification.objects.get(event_key=notification.event_key)
    deliver_once_committed(notification)
    return notification


def deliver_once_committed(notification: Notification) -> None:
    """Send ``notification`` (written in the current transaction) once the
    transaction commits: at once in this process with the embedded job runner, by
    the delivery job otherwise. The periodic :func:`notifications_deliver_due`
    sends it if this does not."""
    run_soon(
        "notifications.deliver",
        here=lambda: notification_deliver(
            notification_id=notification.pk, notification=notification
        ),
        notification_id=str(notification.pk),
    )


def notification_deliver(*, notification_id, now=None, notification=None) -> bool:
    """Send one notification by email if nobody else is sending it; True if sent now.
    ``notification``: the one just raised, as written (not read again)."""
    now = now or timezone.now()
    claimable = Q(claimed_at__isnull=True) | Q(claimed_at__lt=now - CLAIM_LEASE)
    claimed = Notification.objects.filter(
        claimable, pk=notification_id, delivered_at__isnull=True
    ).update(claimed_at=now, attempts=F("attempts") + 1)
    if not claimed:
        return False
    if notification is None:
        notification = Notification.objects.select_related("organisation", "council").get(
            pk=notification_id
        )
    if not notification.recipient:
        _failed(notification, f"{notification.council} has no email address for notifications.")
        return False
    message = EmailMessage(
        subject=f"[{notification.kind_label}] {notification.subject}",
        body=_email_body(notification),
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[notification.recipient],
        reply_to=[notification.organisation.email] if notification.organisation.email else None,
        headers={"X-Homecare-Event": notification.event_key},
    )
    try:
        message.send(fail_silently=False)
    except Exception as exc:  # the mail server said no: keep it for the next sweep
        _failed(notification, f"{type(exc).__name__}: {exc}")
        return False
    Notification.objects.filter(pk=notification.pk).update(
        delivered_at=timezone.now(), last_error=""
    )
    return True


def _failed(notification: Notification, error: str) -> None:
    # Released at once, so the next sweep tries again.
    Notification.objects.filter(pk=notification.pk).update(last_error=error, claimed_at=None)


def _email_body(n: Notification) -> str:
    lines = [
        f"{n.organisation} tells {n.council}:",
        "",
        n.body,
        "",
        f"Raised: {timezone.localtime(n.raised_at):%d %b %Y %H:%M}",
    ]
    if n.deliver_by:
        lines.append(f"Due with the council by: {timezone.localtime(n.deliver_by):%d %b %Y %H:%M}")
    if n.refs:
        lines.append(f"Contract clauses: {', '.join(n.refs)}")
    lines.append(f"Reference: {n.event_key}")
    return "\n".join(lines)


def notifications_deliver_due(*, now=None, limit: int = 500) -> int:
    """Try again every notification not yet delivered; returns how many were sent."""
    now = now or timezone.now()
    ids = list(
        Notification.objects.filter(delivered_at__isnull=True)
        .filter(Q(claimed_at__isnull=True) | Q(claimed_at__lt=now - CLAIM_LEASE))
        .order_by("raised_at")
        .values_list("pk", flat=True)[:limit]
    )
    return sum(notification_deliver(notification_id=pk, now=now) for pk in ids)
