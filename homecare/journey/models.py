"""Changes to care, hospital stays, hand-backs and Discharge to Assess."""

from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords

from homecare.core.models import CareRecord
from homecare.domain.journey import ChangeKind, Place


class PackageChange(CareRecord):
    """A provider's change to a package, with the evidence LAN-HC-5.5 asks for.

    The change is one edit of the weekly pattern (``operation``). It is
    requested from the council when the rules say so, agreed otherwise, and
    applied on its start date; the council may reverse it (LAN-HC-5.8).
    """

    class Status(models.TextChoices):
        REQUESTED = "requested", "Waiting for the council"
        AGREED = "agreed", "Agreed, starts on its date"
        APPLIED = "applied", "Applied"
        DECLINED = "declined", "Declined by the council"
        REVERSED = "reversed", "Reversed by the council"

    class Operation(models.TextChoices):
        ADD = "add", "Add a visit"
        RESIZE = "resize", "Change a visit's times"
        REMOVE = "remove", "Take a visit out"
        WORKERS = "workers", "Change the number of workers"
        CEASE = "cease", "End the care"

    Kind = models.TextChoices("Kind", [(k.name, (k.value, k.label)) for k in ChangeKind])

    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    package = models.ForeignKey(
        "packages.CarePackage", on_delete=models.PROTECT, related_name="changes"
    )
    individual = models.ForeignKey("people.Individual", on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=12, choices=Kind.choices)
    operation = models.CharField(max_length=8, choices=Operation.choices)
    entry = models.ForeignKey(
        "packages.PatternEntry",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="The line of the pattern changed (not for an added visit or a cessation).",
    )
    weekdays = models.JSONField(default=list, blank=True)
    start_time = models.TimeField(null=True, blank=True)
    end_time = models.TimeField(null=True, blank=True)
    workers_required = models.PositiveSmallIntegerField(null=True, blank=True)
    minutes_before = models.JSONField(default=list, help_text="Worker minutes per weekday.")
    minutes_after = models.JSONField(default=list)
    starts_on = models.DateField()
    # The evidence (LAN-HC-5.5, LAN-ST-6.4).
    agreed_with = models.CharField(max_length=200)
    reason = models.TextField()
    risk_assessed = models.BooleanField(default=False)
    person_agrees = models.BooleanField(default=False)
    goals_met = models.BooleanField(default=False)
    concerns = models.JSONField(default=list, blank=True)
    ot_assessed = models.BooleanField(default=False)
    plan_reviewed = models.BooleanField(default=False)
    # Why the council decides, if it does: [{"message": ..., "refs": [...]}].
    council_reasons = models.JSONField(default=list, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices)
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    report_due_at = models.DateTimeField(help_text="Reported to the council by then.")
    reported_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.TextField(blank=True)
    applied_at = models.DateTimeField(null=True, blank=True)
    created_entry_ids = models.JSONField(default=list, blank=True)
    archived_entry_ids = models.JSONField(default=list, blank=True)
    moved_visit_ids = models.JSONField(
        default=list, blank=True, help_text="Visits created, moved or cancelled by the change."
    )
    reversed_at = models.DateTimeField(null=True, blank=True)
    reversed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    reverse_reason = models.TextField(blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["organisation", "status"]),
            models.Index(fields=["package", "status"]),
            models.Index(fields=["status", "starts_on"]),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} of {self.package_id} from {self.starts_on}"

    @property
    def weekly_before(self) -> int:
        return sum(self.minutes_before)

    @property
    def weekly_after(self) -> int:
        return sum(self.minutes_after)


class HospitalStay(CareRecord):
    """A hospital admission and what it did to the package (LAN-HC-6.1, LAN-ST-4.14)."""

    class Status(models.TextChoices):
        HELD = "held", "In hospital, package held"
        SUSPENDED = "suspended", "In hospital, package suspended"
        CEASED = "ceased", "In hospital, care ended"
        DISCHARGED = "discharged", "Discharged"

    Place = models.TextChoices("Place", [(p.name, (p.value, p.label)) for p in Place])

    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    package = models.ForeignKey(
        "packages.CarePackage", on_delete=models.PROTECT, related_name="hospital_stays"
    )
    individual = models.ForeignKey("people.Individual", on_delete=models.PROTECT, related_name="+")
    place = models.CharField(max_length=8, choices=Place.choices)
    hospital = models.CharField(max_length=200, blank=True)
    admitted_at = models.DateTimeField()
    status = models.CharField(max_length=10, choices=Status.choices)
    hold_until = models.DateTimeField(
        help_text="When the hold runs out (the periodic job suspends or ends the package)."
    )
    after_hold = models.CharField(max_length=8, help_text="suspend or cease")
    paid_until = models.DateTimeField(help_text="Visits cancelled before this are still paid.")
    paid_percent = models.PositiveSmallIntegerField(default=0)
    refs = models.CharField(max_length=100, blank=True)
    hold_ended_at = models.DateTimeField(null=True, blank=True)
    cancelled_visit_ids = models.JSONField(
        default=list, blank=True, help_text="Every visit the admission cancelled."
    )
    council_told_at = models.DateTimeField(null=True, blank=True)
    discharged_at = models.DateTimeField(null=True, blank=True)
    discharge_notes = models.TextField(blank=True)
    restart_referral = models.ForeignKey(
        "referrals.Referral", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    notes = models.TextField(blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-admitted_at"]
        indexes = [
            models.Index(fields=["status", "hold_until"]),
            models.Index(fields=["organisation", "status"]),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["package"],
                condition=models.Q(status__in=["held", "suspended"], archived_at__isnull=True),
                name="one_open_stay_per_package",
            )
        ]

    def __str__(self) -> str:
        return f"{self.individual_id} in hospital from {self.admitted_at:%Y-%m-%d %H:%M}"


class HeldVisit(models.Model):
    """A visit cancelled by a hospital stay, and the share of it still paid
    (billing.hospital_hold_rate; LAN-HC-6.1). Billing reads these rows."""

    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    stay = models.ForeignKey(HospitalStay, on_delete=models.PROTECT, related_name="held_visits")
    visit = models.ForeignKey("packages.Visit", on_delete=models.PROTECT, related_name="+")
    planned_start = models.DateTimeField()
    care_minutes = models.PositiveIntegerField()
    paid_percent = models.PositiveSmallIntegerField()

    class Meta:
        ordering = ["planned_start"]
        constraints = [
            models.UniqueConstraint(fields=["stay", "visit"], name="held_visit_once_per_stay")
        ]

    def __str__(self) -> str:
        return f"{self.visit_id} held at {self.paid_percent}%"


class HandBack(CareRecord):
    """Notice to hand a package back (KENT-3.10.1) and the hand-over on its
    last day (KENT-3.10.2, LAN-ST-4.26)."""

    class Status(models.TextChoices):
        NOTICE = "notice", "Under notice"
        HANDED_BACK = "handed_back", "Handed back"
        WITHDRAWN = "withdrawn", "Withdrawn"

    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    package = models.ForeignKey(
        "packages.CarePackage", on_delete=models.PROTECT, related_name="handbacks"
    )
    individual = models.ForeignKey("people.Individual", on_delete=models.PROTECT, related_name="+")
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.NOTICE)
    given_on = models.DateField()
    last_day = models.DateField()
    reason = models.TextField()
    given_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    handed_to = models.CharField(max_length=200, blank=True)
    handed_over = models.JSONField(default=list, blank=True, help_text="Checklist items done.")
    handover_notes = models.TextField(blank=True)
    completed_at = models.DateTimeField(null=True, blank=True)
    completed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["last_day"]
        constraints = [
            models.UniqueConstraint(
                fields=["package"],
                condition=models.Q(status="notice", archived_at__isnull=True),
                name="one_open_handback_per_package",
            )
        ]

    def __str__(self) -> str:
        return f"Hand-back of {self.package_id} on {self.last_day}"


class DischargeToAssess(CareRecord):
    """Discharge to Assess support: up to 3 days, extendable by 2 (KENT-2.1.8)."""

    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    package = models.ForeignKey(
        "packages.CarePackage", on_delete=models.PROTECT, related_name="d2a_periods"
    )
    individual = models.ForeignKey("people.Individual", on_delete=models.PROTECT, related_name="+")
    starts_on = models.DateField()
    ends_on = models.DateField()
    extended_at = models.DateTimeField(null=True, blank=True)
    extension_reason = models.TextField(blank=True)
    ended_at = models.DateTimeField(null=True, blank=True)
    outcome = models.TextField(blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["ends_on"]
        verbose_name_plural = "discharges to assess"

    def __str__(self) -> str:
        return f"Discharge to Assess {self.starts_on}–{self.ends_on}"
