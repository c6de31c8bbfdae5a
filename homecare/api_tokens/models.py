"""API tokens: how a council's or provider's own system calls the JSON API.

Only a SHA-256 hash of each token is stored; the token itself is shown once,
when it is made (``homecare api-token USERNAME NAME``). A token acts as its
user, with exactly that user's role and organisation (see homecare.core.access).

A phone token (``kind="phone"``) is issued to a care worker signed in on the
phone app (``POST /visits/api/device-token/``): the phone signs its API calls
with it instead of the session, it works on the phone app's API only, expires
with the session's absolute timeout and is revoked when the worker signs out.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone


class ApiToken(models.Model):
    class Kind(models.TextChoices):
        SYSTEM = "system", "Another system (council or provider office)"
        PHONE = "phone", "A care worker's phone (the phone app's API only)"

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField(
        max_length=100, help_text="What the token is for, e.g. 'Care planning system'."
    )
    key_hash = models.CharField(max_length=64, unique=True, help_text="SHA-256 of the token, hex.")
    prefix = models.CharField(
        max_length=8, help_text="The token's first characters, to recognise it."
    )
    kind = models.CharField(max_length=8, choices=Kind.choices, default=Kind.SYSTEM)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    expires_at = models.DateTimeField(
        null=True, blank=True, help_text="Phone tokens end with the shift's sign-in."
    )
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…) for {self.user}"

    @property
    def is_revoked(self) -> bool:
        return self.revoked_at is not None

    def has_expired(self, now) -> bool:
        return self.expires_at is not None and self.expires_at <= now
