"""API tokens: how a council's or provider's own system calls the JSON API.

Only a SHA-256 hash of each token is stored; the token itself is shown once,
when it is made (``homecare api-token USERNAME NAME``). A token acts as its
user, with exactly that user's role and organisation (see homecare.core.access).
"""

from django.conf import settings
from django.db import models
from django.utils import timezone


class ApiToken(models.Model):
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
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…) for {self.user}"

    @property
    def is_revoked(self) -> bool:
        return self.revoked_at is not None
