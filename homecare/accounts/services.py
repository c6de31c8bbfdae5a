"""Every write to accounts: one function, one transaction."""

from django.contrib.sessions.models import Session
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse
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


#: How long a two-factor set-up link stays valid.
ENROLMENT_LINK_HOURS = 48
_ENROLMENT_SALT = "homecare.accounts.enrolment"


@transaction.atomic
def enrolment_send(*, user: User, by: User | None, base_url: str) -> str:
    """Start setting up a person's authenticator app: a new, unconfirmed device
    and a one-time link to it, emailed to them. Returns the link.

    Any earlier unconfirmed device is replaced, so only the newest link works.
    """
    if not user.email:
        raise ValidationError(f"{user.username} has no email address to send the link to.")
    TOTPDevice.objects.filter(user=user, confirmed=False).delete()
    device = TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=False)
    token = signing.TimestampSigner(salt=_ENROLMENT_SALT).sign(str(device.pk))
    link = f"{base_url.rstrip('/')}{reverse('accounts:enrol', args=[token])}"
    sender = by.get_full_name() if by else "Homecare"
    transaction.on_commit(
        lambda: send_mail(
            "Set up two-factor sign-in for Homecare",
            f"Hello {user.get_full_name() or user.username},\n\n"
            f"{sender} has set up your Homecare account ({user.username}). Before you can "
            "sign in, link an authenticator app on your phone: open this link within "
            f"{ENROLMENT_LINK_HOURS} hours, scan the code it shows, and type the 6 digits "
            f"your app shows.\n\n{link}\n\nIf you did not expect this, tell your manager.",
            None,
            [user.email],
        )
    )
    return link


def enrolment_device(token: str) -> TOTPDevice:
    """The unconfirmed device a set-up link points to; ValidationError when the
    link is expired, tampered with, or already used."""
    try:
        device_id = signing.TimestampSigner(salt=_ENROLMENT_SALT).unsign(
            token, max_age=ENROLMENT_LINK_HOURS * 3600
        )
    except signing.SignatureExpired as exc:
        raise ValidationError("This link has expired. Ask your manager for a new one.") from exc
    except signing.BadSignature as exc:
        raise ValidationError("This link is not valid.") from exc
    device = TOTPDevice.objects.filter(pk=device_id, confirmed=False, user__is_active=True).first()
    if device is None:
        raise ValidationError("This link has already been used. Sign in as usual.")
    return device


@transaction.atomic
def enrolment_confirm(*, token: str, code: str) -> User:
    """The person typed the code their app shows: the device is confirmed once
    (a conditional update, so a replayed request cannot confirm it twice)."""
    device = enrolment_device(token)
    if not device.verify_token(code.strip().replace(" ", "")):
        raise ValidationError(
            "That code didn't match. Codes change every 30 seconds: type the one your app "
            "shows now."
        )
    if not TOTPDevice.objects.filter(pk=device.pk, confirmed=False).update(confirmed=True):
        raise ValidationError("This link has already been used. Sign in as usual.")
    return device.user
