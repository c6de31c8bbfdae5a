"""Every write to accounts: one function, one transaction."""

from django.contrib.sessions.models import Session
from django.db import transaction
from django_otp.plugins.otp_totp.models import TOTPDevice

from .models import User, UserSession


@transaction.atomic
def user_disable(*, user: User, by: User | None = None) -> int:
    """A leaver: the account is disabled and every one of their sessions ends now.

    Returns how many sessions were ended.
    """
    User.objects.filter(pk=user.pk).update(is_active=False)
    user.is_active = False
    keys = list(UserSession.objects.filter(user=user).values_list("session_key", flat=True))
    Session.objects.filter(session_key__in=keys).delete()
    UserSession.objects.filter(user=user).delete()
    return len(keys)


@transaction.atomic
def user_enrol_totp(*, user: User, key: str | None = None) -> TOTPDevice:
    """Give ``user`` a confirmed authenticator (TOTP) device; ``key`` is hex when given."""
    kwargs = {"user": user, "name": "Authenticator app", "confirmed": True}
    if key:
        kwargs["key"] = key
    return TOTPDevice.objects.create(**kwargs)
