"""Electronic call monitoring: one watch per visit being watched.

The shape is healthchecks' ``sendalerts``: each watch stores ``alert_at``, the
next moment something must happen to it; the monitor claims due rows
(``alert_at <= now``) with conditional updates and writes outbox rows
(:class:`homecare.notifications.models.Notification`) that a second loop
delivers.
"""

from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords

from homecare.core.models import CareRecord
from homecare.domain import calls


class CallWatch(CareRecord):
    """The monitor's view of one visit as it happens (a 'call')."""

    class State(models.TextChoices):
        PLANNED = calls.PLANNED, "Planned"
        DUE = calls.DUE, "Due"
        IN_PROGRESS = calls.IN_PROGRESS, "In progress"
        COMPLETED = calls.COMPLETED, "Completed"
        LATE = calls.LATE, "Late"
        MISSED = calls.MISSED, "Missed"
        CANCELLED = calls.CANCELLED, "Cancelled"

    class Outcome(models.TextChoices):
        NONE = "", "—"
        DELIVERED = "delivered", "Delivered"
        VOID = "void", "Void call"
        NO_RESPONSE = "no_response", "No response"

    # Both first in an index below: no index of their own to keep up as every
    # check-in and check-out moves the watch.
    organisation = models.ForeignKey(
        "organisations.Organisation",
        on_delete=models.PROTECT,
        related_name="call_watches",
        help_text="The provider delivering the visit.",
        db_index=False,
    )
    council = models.ForeignKey(
        "organisations.Organisation",
        on_delete=models.PROTECT,
        related_name="+",
        help_text="The council that commissioned the visit (its contract's owner).",
        db_index=False,
    )
    visit = models.OneToOneField(
        "packages.Visit", on_delete=models.PROTECT, related_name="call_watch"
    )
    date = models.DateField(help_text="The local date of the visit.")
    ordered_at = models.DateTimeField(help_text="The ordered start (planned start).")
    planned_end = models.DateTimeField()
    workers_required = models.PositiveSmallIntegerField(default=1)
    # The contract's rules, copied when the watch is made so a sweep needs no joins.
    late_minutes = models.PositiveIntegerField()
    missed_minutes = models.PositiveIntegerField()
    travel_allowance_minutes = models.PositiveIntegerField(default=0)
    arrival_together = models.BooleanField(default=True)

    # The thresholds as instants, so the sweep compares columns and never computes.
    late_due_at = models.DateTimeField(help_text="Ordered time + late threshold.")
    missed_due_at = models.DateTimeField(help_text="Ordered time + missed threshold.")
    checkout_due_at = models.DateTimeField(
        help_text="Planned end + late threshold: a call still open then has no check-out."
    )

    state = models.CharField(max_length=12, choices=State.choices, default=State.PLANNED)
    alert_at = models.DateTimeField(
        null=True, blank=True, help_text="The next moment the monitor must look at this call."
    )
    first_arrival_at = models.DateTimeField(null=True, blank=True)
    started_at = models.DateTimeField(null=True, blank=True, help_text="When care started.")
    ended_at = models.DateTimeField(null=True, blank=True)
    late_at = models.DateTimeField(null=True, blank=True, help_text="When it was flagged late.")
    missed_at = models.DateTimeField(null=True, blank=True)
    no_checkout_at = models.DateTimeField(
        null=True, blank=True, help_text="When the monitor found the call still open."
    )
    sweep_token = models.UUIDField(
        null=True, blank=True, editable=False, help_text="The sweep that last moved it."
    )
    outcome = models.CharField(max_length=12, choices=Outcome.choices, blank=True, default="")
    #: Short labels: "early", "late_start", "short", "waiting_for_partner",
    #: "started_after_missed", "reassigned", "called_ahead".
    flags = models.JSONField(default=list, blank=True)
    called_ahead_at = models.DateTimeField(null=True, blank=True)
    called_ahead_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,
    )
    call_ahead_note = models.TextField(blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords(excluded_fields=["created_at", "updated_at"])

    class Meta:
        ordering = ["ordered_at"]
        indexes = [
            models.Index(fields=["alert_at"], name="callwatch_alert_at"),
            models.Index(fields=["sweep_token"], name="callwatch_sweep_token"),
            models.Index(fields=["organisation", "date", "ordered_at"]),
            models.Index(fields=["council", "date"]),
        ]

    def __str__(self) -> str:
        return f"Call {self.visit_id} ({self.state})"

    @property
    def rules(self) -> calls.CallRules:
        return calls.CallRules(
            late_minutes=self.late_minutes,
            missed_minutes=self.missed_minutes,
            travel_allowance_minutes=self.travel_allowance_minutes,
            arrival_together=self.arrival_together,
        )


class CallPresence(models.Model):
    """One worker in (and out of) the home on a call: arrival and departure."""

    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="+", db_index=False
    )
    # First in the unique constraint's index below.
    watch = models.ForeignKey(
        CallWatch, on_delete=models.PROTECT, related_name="presences", db_index=False
    )
    worker = models.ForeignKey("workforce.CareWorker", on_delete=models.PROTECT, related_name="+")
    arrived_at = models.DateTimeField()
    left_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["watch", "worker"], name="presence_one_per_worker")
        ]

    def __str__(self) -> str:
        return f"{self.worker_id} at {self.watch_id}"
