"""The outbox of what a provider must tell the council (KENT-3.8.1, LAN-HC-6.2).

A notification is raised once per event (``event_key`` is unique) and
delivered at least once by email; ``delivered_at`` records when. Raising the
same event again returns the first notification and sends nothing more.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from simple_history.models import HistoricalRecords

from homecare.core.models import CareRecord

#: What a notification may be about, with the label both sides read. Apps add
#: their kinds here, so that the council's list reads the same everywhere.
KINDS: dict[str, str] = {
    "missed_call": "Missed call",
    "late_call": "Late call",
    "void_call": "Void call",
    "no_response": "No response at the door",
    "refusals": "Support refused in consecutive visits",
    "safeguarding": "Safeguarding concern",
    "emergency": "Emergency",
    "hospital_admission": "Hospital admission",
    "death": "Death",
    "deterioration": "Deterioration",
    "improvement": "Improvement",
    "goal_achieved": "Goal achieved",
    "package_change": "Change to care",
    "change_request": "Request to change care",
    "early_review": "Early review requested",
    "plan_missing": "People without a plan",
    "block_usage": "Block usage alert",
    "capacity_update": "Daily capacity update",
    "handback": "Package handed back",
    "other": "Other",
}


class Notification(CareRecord):
    """One thing the council must be told, and when it was told."""

    organisation = models.ForeignKey(
        "organisations.Organisation",
        on_delete=models.PROTECT,
        related_name="notifications_sent",
        help_text="The provider that must tell the council.",
    )
    council = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="notifications"
    )
    package = models.ForeignKey(
        "packages.CarePackage", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    individual = models.ForeignKey(
        "people.Individual", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField(max_length=40)
    subject = models.CharField(max_length=200)
    body = models.TextField()
    refs = models.JSONField(default=list, help_text="Requirement IDs that make this due.")
    event_key = models.CharField(
        max_length=200, unique=True, help_text="One notification per event, whoever raises it."
    )
    raised_at = models.DateTimeField(default=timezone.now)
    raised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    deliver_by = models.DateTimeField(
        null=True, blank=True, help_text="When the council must have it by."
    )
    recipient = models.EmailField(blank=True)
    claimed_at = models.DateTimeField(null=True, blank=True, editable=False)
    delivered_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.TextField(blank=True)

    history = HistoricalRecords(excluded_fields=["claimed_at"])

    class Meta:
        ordering = ["-raised_at"]
        indexes = [
            models.Index(fields=["council", "-raised_at"]),
            models.Index(fields=["organisation", "-raised_at"]),
            models.Index(
                fields=["raised_at"],
                condition=models.Q(delivered_at__isnull=True),
                name="notification_undelivered",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind_label}: {self.subject}"

    @property
    def kind_label(self) -> str:
        return KINDS.get(self.kind, self.kind)

    @property
    def is_late(self) -> bool:
        """Delivered (or still waiting) after the time the council had to have it by."""
        if self.deliver_by is None:
            return False
        return (self.delivered_at or timezone.now()) > self.deliver_by
