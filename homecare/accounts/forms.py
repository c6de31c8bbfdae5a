"""Sign-in: username, password and the code from an authenticator app, in one form.

The password is checked by ``django.contrib.auth.authenticate`` (so django-axes
sees every attempt); the code by the user's own confirmed authenticator (TOTP)
device, picked for them.  Every refused attempt, a wrong code included, counts
towards the lock-out (``AXES_FAILURE_LIMIT``).
"""

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.contrib.auth.signals import user_login_failed
from django_otp.plugins.otp_totp.models import TOTPDevice

MESSAGES = {
    "invalid_login": (
        "That username and password didn't match. Check them (the password is "
        "case-sensitive) and try again."
    ),
    "inactive": "This account has been closed. Ask your manager if you need it again.",
    "no_device": (
        "Two-factor sign-in isn't set up for your account yet, so you can't sign in. "
        "Ask your manager to set up two-factor sign-in for you."
    ),
    "token_required": "Enter the 6-digit code your authenticator app shows for Homecare.",
    "invalid_token": (
        "That code didn't match. Codes change every 30 seconds: enter the code your "
        "authenticator app shows now, not one you wrote down earlier."
    ),
    "throttled": (
        "That code didn't match, and there have been several wrong codes in a row. "
        "Wait a minute, then enter the code your authenticator app shows now."
    ),
}


def confirmed_totp_device(user) -> TOTPDevice | None:
    """The user's authenticator app: their confirmed TOTP device, if they have one."""
    return TOTPDevice.objects.filter(user=user, confirmed=True).order_by("pk").first()


class SignInForm(AuthenticationForm):
    otp_token = forms.CharField(
        label="6-digit code from your authenticator app",
        required=False,
        max_length=12,
        widget=forms.TextInput(
            attrs={
                "autocomplete": "one-time-code",
                "inputmode": "numeric",
                "pattern": r"[0-9 ]*",
                "size": 8,
            }
        ),
    )

    error_messages = {**AuthenticationForm.error_messages, **MESSAGES}

    def __init__(self, request=None, *args, **kwargs):
        super().__init__(request, *args, **kwargs)
        self.device = None

    def clean(self):
        # Username and password first: AuthenticationForm calls
        # authenticate(request, username=..., password=...), which axes watches.
        cleaned_data = super().clean()
        user = self.get_user()
        if user is None:
            return cleaned_data
        device = confirmed_totp_device(user)
        if device is None:
            self._refuse("no_device")
        token = "".join(cleaned_data.get("otp_token", "").split())
        if not token:
            self._refuse("token_required")
        allowed, _ = device.verify_is_allowed()
        if not allowed:
            self._refuse("throttled")
        if not token.isdigit() or not device.verify_token(token):
            self._refuse("invalid_token")
        self.device = device
        return cleaned_data

    def _refuse(self, code: str):
        """Refuse the sign-in and count it as a failed attempt, as a wrong password is."""
        self.user_cache = None
        user_login_failed.send(
            sender=__name__,
            credentials={"username": self.cleaned_data.get("username")},
            request=self.request,
        )
        raise forms.ValidationError(self.error_messages[code], code=code)
