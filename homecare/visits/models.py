"""Visits as they happen: the event log from care workers' phones and the visit record.

- :class:`VisitEvent`: append-only log of what a phone sent, one row per
  idempotency key (accepted or rejected, with the reason), device time beside
  server time.
- :class:`CallRecord` + :class:`CallWorker`: the call as verified (the six EVV
  data elements; actual start and end per worker; the care timer, KENT-3.3.7).
- The visit record (KENT-8.2.1, 8.2.2, 3.9.1): :class:`TaskRecord`,
  :class:`MedicationDose` + :class:`DoseRecord` (the MAR, from each person's
  :class:`Medication` schedule), :class:`FinancialTransaction` (KENT-5.6.1),
  :class:`Incident`, :class:`VisitNote`, :class:`SkinConcern` (the body map).
- :class:`HomeProfile`: what a worker needs at the door (tag code, access
  notes, key safety information).
"""

from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords

from homecare.core.models import CareRecord

ORG = {"to": "organisations.Organisation", "on_delete": models.PROTECT, "related_name": "+"}


class HomeProfile(CareRecord):
    """What the provider keeps about one person's home for the phone app."""

    organisation = models.ForeignKey(**ORG, help_text="The provider.")
    individual = models.ForeignKey(
        "people.Individual", on_delete=models.PROTECT, related_name="home_profiles"
    )
    tag_code = models.CharField(
        max_length=40, blank=True, help_text="The code on the QR/NFC tag kept in the home."
    )
    access_notes = models.TextField(blank=True, help_text="Key safe, door, parking, pets.")
    safety_notes = models.TextField(blank=True, help_text="Key safety information for workers.")

    history = HistoricalRecords()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "individual"], name="home_profile_one_per_person"
            )
        ]

    def __str__(self) -> str:
        return f"Home of {self.individual_id}"


class VisitEvent(CareRecord):
    """One event sent by a care worker's phone (append-only; never edited except to
    record the coordinator's approval of a manual check-in)."""

    class Kind(models.TextChoices):
        CHECK_IN = "check_in", "Check in"
        CHECK_OUT = "check_out", "Check out"
        TASK = "task", "Task"
        MEDICATION = "medication", "Medication"
        FINANCE = "finance", "Financial transaction"
        INCIDENT = "incident", "Incident"
        NOTE = "note", "Note"
        SKIN = "skin", "Skin concern (body map)"

    class Method(models.TextChoices):
        GPS = "gps", "GPS"
        TAG = "tag", "Home tag"
        MANUAL = "manual", "Manual (needs approval)"

    class Outcome(models.TextChoices):
        ACCEPTED = "accepted", "Accepted"
        REJECTED = "rejected", "Rejected"

    # The indexes below lead with the organisation and the visit; each index more
    # is kept up on every event a phone sends.
    organisation = models.ForeignKey(**ORG, db_index=False)
    idempotency_key = models.CharField(max_length=64)  # unique: see Meta
    visit = models.ForeignKey(
        "packages.Visit", null=True, on_delete=models.PROTECT, related_name="events", db_index=False
    )
    worker = models.ForeignKey(
        "workforce.CareWorker", null=True, on_delete=models.PROTECT, related_name="visit_events"
    )
    kind = models.CharField(max_length=12, choices=Kind.choices)
    device_at = models.DateTimeField(help_text="When the phone says it happened (its clock).")
    sent_at = models.DateTimeField(null=True, help_text="When the phone sent it (its clock).")
    received_at = models.DateTimeField(help_text="When the server received it.")
    occurred_at = models.DateTimeField(help_text="When it happened, on the server's clock.")
    skew_seconds = models.IntegerField(default=0, help_text="Server minus phone clock.")
    latitude = models.DecimalField(max_digits=9, decimal_places=6, null=True)
    longitude = models.DecimalField(max_digits=9, decimal_places=6, null=True)
    accuracy_metres = models.FloatField(null=True)
    distance_metres = models.FloatField(null=True)
    method = models.CharField(max_length=8, choices=Method.choices, blank=True)
    payload = models.JSONField(default=dict)
    outcome = models.CharField(max_length=8, choices=Outcome.choices)
    reason = models.TextField(blank=True)
    needs_approval = models.BooleanField(default=False)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,
    )
    approved_at = models.DateTimeField(null=True)

    class Meta:
        ordering = ["received_at"]
        constraints = [
            # A constraint, not unique=True: PostgreSQL gets no second, LIKE index.
            models.UniqueConstraint(fields=["idempotency_key"], name="visitevent_one_per_key")
        ]
        indexes = [
            models.Index(fields=["visit", "kind"]),
            models.Index(fields=["organisation", "outcome", "received_at"]),
            models.Index(
                fields=["organisation", "received_at"],
                condition=models.Q(needs_approval=True, approved_at__isnull=True),
                name="visitevent_awaiting_approval",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.outcome} ({self.idempotency_key})"

    @property
    def is_exception(self) -> bool:
        return self.outcome == self.Outcome.REJECTED or (
            self.needs_approval and self.approved_at is None
        )


class CallRecord(CareRecord):
    """The call as verified: the six EVV data elements (service type, person, date,
    location, workers, start and end) and the care timer."""

    class Status(models.TextChoices):
        WAITING = "waiting", "Waiting for partner"
        IN_PROGRESS = "in_progress", "In progress"
        COMPLETED = "completed", "Completed"

    organisation = models.ForeignKey(**ORG, db_index=False)  # first in the index below
    visit = models.OneToOneField("packages.Visit", on_delete=models.PROTECT, related_name="call")
    individual = models.ForeignKey("people.Individual", on_delete=models.PROTECT, related_name="+")
    service_type = models.CharField(max_length=200)
    date = models.DateField()
    latitude = models.DecimalField(max_digits=9, decimal_places=6)
    longitude = models.DecimalField(max_digits=9, decimal_places=6)
    address = models.CharField(max_length=300)
    status = models.CharField(max_length=12, choices=Status.choices)
    started_at = models.DateTimeField(help_text="First worker in.")
    care_started_at = models.DateTimeField(
        null=True, help_text="Care timer: when every worker the visit needs is in (KENT-3.3.7)."
    )
    ended_at = models.DateTimeField(null=True, help_text="Last worker out.")
    needs_approval = models.BooleanField(
        default=False, help_text="A manual check-in or check-out awaits the coordinator."
    )

    # History is looked up by the call's id and by date only.
    history = HistoricalRecords(no_db_index=["organisation", "individual", "visit", "archived_by"])

    class Meta:
        indexes = [models.Index(fields=["organisation", "date", "status"])]

    def __str__(self) -> str:
        return f"Call {self.visit_id} ({self.status})"

    @property
    def care_minutes(self) -> int | None:
        if self.care_started_at is None or self.ended_at is None:
            return None
        return int((self.ended_at - self.care_started_at).total_seconds() // 60)


class CallWorker(models.Model):
    """One worker's actual start and end on a call."""

    organisation = models.ForeignKey(**ORG, db_index=False)  # read through its call
    # First in the unique constraint's index below.
    call = models.ForeignKey(
        CallRecord, on_delete=models.PROTECT, related_name="workers", db_index=False
    )
    worker = models.ForeignKey("workforce.CareWorker", on_delete=models.PROTECT, related_name="+")
    checked_in_at = models.DateTimeField()
    checked_out_at = models.DateTimeField(null=True)
    check_in_method = models.CharField(max_length=8, choices=VisitEvent.Method.choices)
    check_out_method = models.CharField(max_length=8, choices=VisitEvent.Method.choices, blank=True)

    history = HistoricalRecords(no_db_index=["organisation", "call", "worker"])

    class Meta:
        ordering = ["checked_in_at"]
        constraints = [
            models.UniqueConstraint(fields=["call", "worker"], name="callworker_once_per_call")
        ]

    def __str__(self) -> str:
        return f"{self.worker_id} on {self.call_id}"


class _VisitPart(CareRecord):
    """A part of the visit record, written by one worker from one event."""

    organisation = models.ForeignKey(**ORG)
    visit = models.ForeignKey("packages.Visit", on_delete=models.PROTECT, related_name="+")
    worker = models.ForeignKey("workforce.CareWorker", on_delete=models.PROTECT, related_name="+")
    event = models.ForeignKey(VisitEvent, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField()

    class Meta:
        abstract = True


class TaskRecord(_VisitPart):
    class Outcome(models.TextChoices):
        DONE = "done", "Done"
        NOT_DONE = "not_done", "Not done"
        REFUSED = "refused", "Refused"

    task = models.CharField(max_length=200)
    outcome = models.CharField(max_length=10, choices=Outcome.choices)
    reason = models.TextField(blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["recorded_at"]
        constraints = [
            models.UniqueConstraint(fields=["visit", "task"], name="taskrecord_once_per_visit")
        ]


class Medication(CareRecord):
    """A medicine the provider helps one person take, with its daily times."""

    organisation = models.ForeignKey(**ORG, help_text="The provider.")
    individual = models.ForeignKey(
        "people.Individual", on_delete=models.PROTECT, related_name="medications"
    )
    name = models.CharField(max_length=200)
    dose = models.CharField(max_length=100, help_text="e.g. '500 mg, one tablet'.")
    route = models.CharField(max_length=40, default="by mouth")
    times = models.JSONField(default=list, help_text="Local times of day, 'HH:MM'.")
    instructions = models.TextField(blank=True)
    active = models.BooleanField(default=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return f"{self.name} {self.dose}"


class MedicationDose(CareRecord):
    """One dose due on one visit (the MAR line)."""

    organisation = models.ForeignKey(**ORG)
    visit = models.ForeignKey("packages.Visit", on_delete=models.PROTECT, related_name="doses")
    medication = models.ForeignKey(Medication, on_delete=models.PROTECT, related_name="doses")
    due_at = models.DateTimeField()

    history = HistoricalRecords()

    class Meta:
        ordering = ["due_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["visit", "medication", "due_at"], name="dose_once_per_visit"
            )
        ]


class DoseRecord(_VisitPart):
    class Outcome(models.TextChoices):
        GIVEN = "given", "Given"
        REFUSED = "refused", "Refused"
        NOT_GIVEN = "not_given", "Not given"

    dose = models.OneToOneField(MedicationDose, on_delete=models.PROTECT, related_name="record")
    outcome = models.CharField(max_length=10, choices=Outcome.choices)
    reason = models.TextField(blank=True)
    given_at = models.DateTimeField(null=True)

    history = HistoricalRecords()


class FinancialTransaction(_VisitPart):
    """Money handled for the person (KENT-5.6.1); a gift above the contract's limit is
    refused (KENT-5.6.2)."""

    class Kind(models.TextChoices):
        SHOPPING = "shopping", "Shopping"
        BILL = "bill", "Paying a bill"
        CASH = "cash", "Cash withdrawal"
        GIFT = "gift", "Gift offered to the worker"

    individual = models.ForeignKey("people.Individual", on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    amount = models.DecimalField(max_digits=9, decimal_places=2)
    purpose = models.CharField(max_length=300)
    confirmed_by_person = models.BooleanField()
    confirmed_by_name = models.CharField(max_length=120, blank=True)

    history = HistoricalRecords()


class Incident(_VisitPart):
    class Kind(models.TextChoices):
        ACCIDENT = "accident", "Accident or fall"
        INCIDENT = "incident", "Incident"
        SAFEGUARDING = "safeguarding", "Safeguarding concern"
        HEALTH = "health", "Change in health or needs"

    individual = models.ForeignKey("people.Individual", on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=14, choices=Kind.choices)
    description = models.TextField()
    action_taken = models.TextField(blank=True)

    history = HistoricalRecords()


class VisitNote(_VisitPart):
    """A note on the visit: handover for the next worker, and whether the person agreed
    to share it with family (KENT-8.2.2, KENT-3.9.1)."""

    individual = models.ForeignKey("people.Individual", on_delete=models.PROTECT, related_name="+")
    text = models.TextField()
    for_next_worker = models.BooleanField(default=True)
    shared_with_person = models.BooleanField(
        default=False, help_text="The person agreed to share it with their family."
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["recorded_at"]


class SkinConcern(_VisitPart):
    """A mark on the body map: a skin concern seen on a visit, where it is (the side of
    the outline and the point tapped, ``homecare.domain.bodymap``) and what it is.
    Kept for good, as every care record: a mark made in error is archived, not deleted."""

    class Kind(models.TextChoices):
        BRUISE = "bruise", "Bruise"
        PRESSURE = "pressure", "Pressure area (redness, sore)"
        WOUND = "wound", "Wound, cut or skin tear"
        RASH = "rash", "Rash"
        OTHER = "other", "Other"

    class Side(models.TextChoices):
        FRONT = "front", "Front"
        BACK = "back", "Back"

    individual = models.ForeignKey("people.Individual", on_delete=models.PROTECT, related_name="+")
    side = models.CharField(max_length=5, choices=Side.choices)
    x = models.PositiveSmallIntegerField(help_text="Across the 200-wide outline.")
    y = models.PositiveSmallIntegerField(help_text="Down the 440-high outline.")
    region = models.CharField(max_length=60, help_text="The part of the body, in words.")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    note = models.TextField(help_text="What it looks like, its size, what was done.")

    history = HistoricalRecords()

    class Meta:
        ordering = ["recorded_at"]
        indexes = [models.Index(fields=["individual", "recorded_at"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} on the {self.region}"
