"""Care packages, their weekly visit pattern, and the visits generated from it."""

from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords

from homecare.core.models import CareRecord
from homecare.domain.patterns import PackageStatus as DomainStatus
from homecare.domain.patterns import VisitKind as DomainKind

WEEKDAYS = [
    (i, d)
    for i, d in enumerate(
        ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
    )
]


class CarePackage(CareRecord):
    """What was agreed for one person under one contract (Kent's SDO)."""

    Status = models.TextChoices("Status", [(s.name, (s.value, s.label)) for s in DomainStatus])

    organisation = models.ForeignKey(
        "organisations.Organisation",
        on_delete=models.PROTECT,
        related_name="packages",
        help_text="The provider delivering the package.",
    )
    contract = models.ForeignKey(
        "organisations.Contract", on_delete=models.PROTECT, related_name="packages"
    )
    individual = models.ForeignKey(
        "people.Individual", on_delete=models.PROTECT, related_name="packages"
    )
    reference = models.CharField(max_length=30)
    status = models.CharField(max_length=10, choices=Status.choices, default="proposed")
    status_effective_on = models.DateField(help_text="The date the current status took effect.")
    start_date = models.DateField()
    end_date = models.DateField(null=True, blank=True)
    notes = models.TextField(blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-start_date", "reference"]
        indexes = [
            models.Index(fields=["organisation", "status"]),
            models.Index(fields=["individual", "status"]),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "reference"], name="package_unique_reference"
            ),
            models.CheckConstraint(
                condition=models.Q(end_date__isnull=True)
                | models.Q(end_date__gte=models.F("start_date")),
                name="package_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.reference} · {self.individual}"

    @property
    def weekly_minutes(self) -> int:
        return sum(e.weekly_minutes for e in self.pattern.all() if e.archived_at is None)


class PackageStatusChange(models.Model):
    """A dated transition of a package's status: who, when, why."""

    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    package = models.ForeignKey(CarePackage, on_delete=models.PROTECT, related_name="transitions")
    from_status = models.CharField(max_length=10, blank=True)
    to_status = models.CharField(max_length=10)
    effective_on = models.DateField()
    reason = models.TextField(blank=True)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    changed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["changed_at"]

    def __str__(self) -> str:
        return f"{self.from_status or 'new'} → {self.to_status} on {self.effective_on}"


class PatternEntry(CareRecord):
    """One line of the weekly visit pattern: a visit or a block on one weekday.

    ``start_time`` is the ordered (local) time; ``window_minutes`` is how far
    either side of it the visit may start (the offered slot, LAN-HC-3.4).
    Blocks (LAN-ST-4.10) run from ``start_time`` to ``end_time`` and may cross
    midnight; visits last ``duration_minutes``.
    """

    Kind = models.TextChoices("Kind", [(k.name, (k.value, k.label)) for k in DomainKind])

    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    package = models.ForeignKey(CarePackage, on_delete=models.PROTECT, related_name="pattern")
    weekday = models.PositiveSmallIntegerField(choices=WEEKDAYS)
    kind = models.CharField(max_length=16, choices=Kind.choices, default="visit")
    start_time = models.TimeField()
    end_time = models.TimeField(null=True, blank=True, help_text="Blocks only.")
    duration_minutes = models.PositiveIntegerField()
    window_minutes = models.PositiveIntegerField(default=30)
    workers_required = models.PositiveSmallIntegerField(default=1)
    tasks = models.JSONField(default=list, blank=True)
    skills = models.ManyToManyField("workforce.Skill", blank=True, related_name="+")

    history = HistoricalRecords()

    class Meta:
        ordering = ["weekday", "start_time"]
        verbose_name_plural = "pattern entries"
        constraints = [
            models.CheckConstraint(
                condition=models.Q(workers_required__in=[1, 2]), name="pattern_one_or_two_workers"
            ),
            models.CheckConstraint(
                condition=models.Q(duration_minutes__gt=0), name="pattern_positive_duration"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_weekday_display()} {self.start_time:%H:%M} ({self.duration_minutes} min)"

    @property
    def weekly_minutes(self) -> int:
        return self.duration_minutes * self.workers_required


class Visit(CareRecord):
    """One occurrence of a pattern entry on a date (a 'call').

    Times are stored in UTC and shown in Europe/London. Visits in the past are
    never rewritten by regeneration.
    """

    class Status(models.TextChoices):
        PLANNED = "planned", "Planned"
        CANCELLED = "cancelled", "Cancelled"
        COMPLETED = "completed", "Completed"
        MISSED = "missed", "Missed"

    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="visits"
    )
    package = models.ForeignKey(CarePackage, on_delete=models.PROTECT, related_name="visits")
    individual = models.ForeignKey(
        "people.Individual", on_delete=models.PROTECT, related_name="visits"
    )
    pattern_entry = models.ForeignKey(
        PatternEntry, null=True, blank=True, on_delete=models.PROTECT, related_name="visits"
    )
    date = models.DateField(help_text="The local date the visit belongs to.")
    kind = models.CharField(max_length=16, choices=PatternEntry.Kind.choices, default="visit")
    planned_start = models.DateTimeField()
    planned_end = models.DateTimeField()
    duration_minutes = models.PositiveIntegerField(
        help_text="Real minutes from planned start to end (an overnight block is an hour "
        "shorter or longer on the nights the clocks change)."
    )
    window_minutes = models.PositiveIntegerField(default=30)
    workers_required = models.PositiveSmallIntegerField(default=1)
    tasks = models.JSONField(default=list, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PLANNED)
    workers = models.ManyToManyField(
        "workforce.CareWorker", through="VisitAssignment", related_name="visits", blank=True
    )

    history = HistoricalRecords(excluded_fields=["created_at"])

    class Meta:
        ordering = ["planned_start"]
        indexes = [
            models.Index(fields=["organisation", "planned_start"]),
            models.Index(fields=["individual", "planned_start"]),
            models.Index(fields=["package", "date"]),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["pattern_entry", "date"], name="visit_one_per_entry_per_date"
            ),
            models.CheckConstraint(
                condition=models.Q(planned_end__gt=models.F("planned_start")),
                name="visit_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.individual} · {self.planned_start:%Y-%m-%d %H:%M}"

    @property
    def care_minutes(self) -> int:
        """Worker minutes: a double-handed hour is two hours of care."""
        return self.duration_minutes * self.workers_required


class VisitAssignment(models.Model):
    """A worker on the rota for a visit (two for a double-handed visit)."""

    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    visit = models.ForeignKey(Visit, on_delete=models.CASCADE, related_name="assignments")
    worker = models.ForeignKey(
        "workforce.CareWorker", on_delete=models.PROTECT, related_name="assignments"
    )
    assigned_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["visit", "worker"], name="assignment_unique_worker")
        ]
        indexes = [models.Index(fields=["worker", "visit"])]

    def __str__(self) -> str:
        return f"{self.worker_id} on {self.visit_id}"
