"""Rota runs (optimise tomorrow, repair today), absences, pinned visits, calendar tokens.

The optimizer itself is plain Python (``homecare.domain.rostering``); these
tables record what was asked of it, what it proposed, and what the coordinator
decided.
"""

import secrets
import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from simple_history.models import HistoricalRecords

from homecare.core.models import CareRecord


class RotaRun(models.Model):
    """One run of the optimizer over one provider's day, and the coordinator's decision.

    ``before`` and ``after`` hold the day's figures (travel minutes, continuity
    share, lateness minutes, unassigned visits) for the rota as it stood and as
    proposed; ``proposal`` holds the proposed workers per visit; ``report`` the
    optimizer's reasons for anything it could not place.
    """

    class Kind(models.TextChoices):
        OPTIMISE = "optimise", "Optimise"
        REPAIR = "repair", "Repair"

    class Status(models.TextChoices):
        QUEUED = "queued", "Queued"
        RUNNING = "running", "Running"
        DONE = "done", "Ready to review"
        FAILED = "failed", "Failed"
        ACCEPTED = "accepted", "Accepted"
        DISCARDED = "discarded", "Discarded"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="rota_runs"
    )
    date = models.DateField()
    kind = models.CharField(max_length=10, choices=Kind.choices)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    progress = models.PositiveSmallIntegerField(default=0, help_text="Per cent done.")
    stage = models.CharField(max_length=120, blank=True)
    before = models.JSONField(default=dict, blank=True)
    after = models.JSONField(default=dict, blank=True)
    proposal = models.JSONField(
        default=dict, blank=True, help_text="visit id -> {workers: [ids], start: ISO time}"
    )
    report = models.JSONField(default=dict, blank=True)
    error = models.TextField(blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    requested_at = models.DateTimeField(default=timezone.now)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-requested_at"]
        indexes = [models.Index(fields=["organisation", "date", "requested_at"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.date} ({self.status})"

    @property
    def is_open(self) -> bool:
        return self.status in (self.Status.QUEUED, self.Status.RUNNING)

    @property
    def changed_visits(self) -> int:
        return int(self.report.get("changed_visits", 0))


class WorkerAbsence(CareRecord):
    """A worker off (sick) from one moment to another: the rota must do without them."""

    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    worker = models.ForeignKey(
        "workforce.CareWorker", on_delete=models.PROTECT, related_name="absences"
    )
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    reason = models.CharField(max_length=20, default="sick")
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["-starts_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_at__gt=models.F("starts_at")),
                name="absence_ends_after_start",
            )
        ]

    def __str__(self) -> str:
        return f"{self.worker_id} {self.reason} {self.starts_at:%Y-%m-%d %H:%M}"


class PinnedVisit(CareRecord):
    """A visit whose workers the optimizer must leave as they are (archived = unpinned)."""

    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    visit = models.ForeignKey("packages.Visit", on_delete=models.PROTECT, related_name="pins")
    pinned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    history = HistoricalRecords()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["visit"],
                condition=models.Q(archived_at__isnull=True),
                name="one_live_pin_per_visit",
            )
        ]

    def __str__(self) -> str:
        return f"pin on {self.visit_id}"


def new_token() -> str:
    return secrets.token_urlsafe(24)


class CalendarToken(models.Model):
    """The secret in a care worker's iCalendar feed address (a new one revokes the old)."""

    worker = models.OneToOneField(
        "workforce.CareWorker", on_delete=models.CASCADE, related_name="calendar_token"
    )
    token = models.CharField(max_length=64, unique=True, default=new_token)
    created_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"calendar of {self.worker_id}"


class RotaWeights(models.Model):
    """How much a provider's optimizer runs care about each soft goal (see
    ``homecare.domain.rostering.Weights``); without a row, the optimizer's defaults."""

    organisation = models.OneToOneField(
        "organisations.Organisation", on_delete=models.CASCADE, related_name="rota_weights"
    )
    travel = models.FloatField(default=1.0, help_text="Per minute of travel.")
    lateness = models.FloatField(default=2.0, help_text="Per minute a visit starts late.")
    continuity = models.FloatField(
        default=60.0, help_text="Per visit by someone outside the person's trusted team."
    )
    continuity_share = models.FloatField(
        default=0.0,
        help_text="Per percentage point a visit by someone outside the trusted team takes "
        "off that person's share by the team (weighs most for people with few visits).",
    )
    unusual = models.FloatField(
        default=10.0, help_text="Per visit by someone who is not one of the person's usual workers."
    )
    balance = models.FloatField(default=0.0, help_text="Spreading the work between workers.")
    long_leg = models.FloatField(
        default=0.0,
        help_text="Per minute a journey exceeds the travel time built into each visit "
        "(the contract's visit.travel_allowance, LAN-HC-4.1).",
    )
    team_share = models.FloatField(
        "team share goal (%)",
        default=85.0,
        help_text="The share of each person's visits their trusted team should do "
        "(KENT-8.1): after the search, people below it get team members moved in. "
        "0 turns this off.",
    )
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    changed_at = models.DateTimeField(default=timezone.now)

    history = HistoricalRecords()

    FIELDS = (
        "travel",
        "lateness",
        "continuity",
        "continuity_share",
        "unusual",
        "balance",
        "long_leg",
        "team_share",
    )

    class Meta:
        verbose_name_plural = "rota weights"
        constraints = [
            models.CheckConstraint(
                condition=models.Q(travel__gte=0)
                & models.Q(lateness__gte=0)
                & models.Q(continuity__gte=0)
                & models.Q(continuity_share__gte=0)
                & models.Q(unusual__gte=0)
                & models.Q(balance__gte=0)
                & models.Q(long_leg__gte=0),
                name="rota_weights_not_negative",
            ),
            models.CheckConstraint(
                condition=models.Q(team_share__gte=0) & models.Q(team_share__lte=100),
                name="rota_weights_team_share_a_percentage",
            ),
        ]

    def __str__(self) -> str:
        return f"rota weights of {self.organisation_id}"
