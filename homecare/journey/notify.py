"""Telling the council: every message of the journey goes through
:func:`homecare.notifications.services.notification_raise` (idempotent on
``event_key``; delivered by email after commit and listed on both sides)."""

from __future__ import annotations


def tell_council(*, kind, package, subject, body, refs, event_key, by=None):
    from homecare.notifications.services import notification_raise

    return notification_raise(
        kind=kind,
        package=package,
        individual=package.individual,
        provider=package.organisation,
        council=package.contract.organisation,
        subject=subject,
        body=body,
        refs=list(refs),
        event_key=event_key,
        by=by,
    )
