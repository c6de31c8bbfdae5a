"""Referrals from council to providers, the offers they make, and the answers.

A council broker records a ``Referral`` (the person, needs, risks and the
visits wanted, each with an offered time slot), publishes it, and Homecare
makes one ``Offer`` per eligible provider contract, each with its own clock
from that contract's rulebook. Providers accept (an arrival time inside each
slot, a start date) or decline (a reason); the broker confirms one or more
accepted offers (a split package, KENT-3.2.7) and care packages are created.
"""

from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords

from homecare.core.models import CareRecord
from homecare.packages.models import WEEKDAYS, PatternEntry
from homecare.people.models import WorkerGenderPreference


class Referral(CareRecord):
    class Kind(models.TextChoices):
        HOSPITAL_DISCHARGE = "hospital_discharge", "Hospital discharge"
        URGENT_COMMUNITY = "urgent_community", "Urgent (crisis at home, hospital avoidance)"
        PLANNED = "planned", "Planned"
        RESTART = "restart", "Restart after a hospital stay"

    class Urgency(models.TextChoices):
        """LAN-ST-2.3: every referral is urgent or planned."""

        URGENT = "urgent", "Urgent"
        PLANNED = "planned", "Planned"

    class Source(models.TextChoices):
        """LAN-ST-5.2 and 5.3."""

        HOSPITAL_TEAM = "hospital_team", "Hospital discharge / avoidance team"
        COMMUNITY_TEAM = "community_team", "Community adult social care team"
        EMERGENCY_DUTY = "emergency_duty", "Emergency duty team"
        NHS_HOSPITAL = "nhs_hospital", "NHS hospital staff"
        COMMUNITY_HEALTH = "community_health", "Community health (nurse, GP, physio, OT)"
        VOLUNTARY = "voluntary", "Voluntary, community or faith sector"
        CARERS_SERVICE = "carers_service", "Carers service"

    class CareType(models.TextChoices):
        VISITS = "visits", "Single visits"
        BLOCK = "block", "Block hours"

    class Consent(models.TextChoices):
        """KENT-3.4.3: consent or a best-interest decision."""

        CONSENTED = "consented", "The person consents"
        BEST_INTEREST = "best_interest", "Best-interest decision recorded"
        NOT_YET = "not_yet", "Not yet recorded"

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        QUEUED = "queued", "Queued for the daily batch"
        PUBLISHED = "published", "Waiting for answers"
        PLACED = "placed", "Placed"
        CANCELLED = "cancelled", "Cancelled"

    organisation = models.ForeignKey(
        "organisations.Organisation",
        on_delete=models.PROTECT,
        related_name="referrals",
        help_text="The council making the referral.",
    )
    individual = models.ForeignKey(
        "people.Individual", on_delete=models.PROTECT, related_name="referrals"
    )
    area = models.ForeignKey("organisations.Area", on_delete=models.PROTECT, related_name="+")
    reference = models.CharField(max_length=30)
    kind = models.CharField(max_length=20, choices=Kind.choices)
    urgency = models.CharField(max_length=10, choices=Urgency.choices)
    source = models.CharField(max_length=20, choices=Source.choices)
    referrer_name = models.CharField(max_length=120)
    referrer_telephone = models.CharField(max_length=20, blank=True)
    received_at = models.DateTimeField(help_text="When the council received the referral.")
    care_type = models.CharField(max_length=10, choices=CareType.choices, default=CareType.VISITS)
    requested_start = models.DateField()
    expected_end = models.DateField(null=True, blank=True)
    needs_statement = models.TextField(
        "needs and outcomes", help_text="The statement of need / plan sections (KENT-3.4.3)."
    )
    special_requirements = models.TextField(blank=True)
    moving_and_handling = models.TextField(
        "moving and handling equipment and instructions", blank=True
    )
    known_risks = models.TextField("known risks and mitigations", blank=True)
    preferred_worker_gender = models.CharField(
        max_length=10, choices=WorkerGenderPreference.choices, default=WorkerGenderPreference.NONE
    )
    safeguarding_concern = models.BooleanField(default=False)
    capacity_concern = models.BooleanField(default=False)
    consent = models.CharField(max_length=20, choices=Consent.choices, default=Consent.NOT_YET)
    consent_notes = models.TextField(blank=True)
    previous_package = models.ForeignKey(
        "packages.CarePackage",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="restarts",
        help_text="For a restart: the package held during the stay.",
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    publish_after = models.DateTimeField(
        null=True, blank=True, help_text="Queued referrals go out in the batch at this time."
    )
    published_at = models.DateTimeField(null=True, blank=True)
    placed_at = models.DateTimeField(null=True, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    cancellation_reason = models.TextField(blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["-received_at"]
        indexes = [
            models.Index(fields=["organisation", "status", "received_at"]),
            models.Index(fields=["status", "publish_after"]),
            # The broker's board: newest first, without sorting every referral.
            models.Index(
                fields=["organisation", "-received_at", "id"],
                condition=models.Q(archived_at__isnull=True),
                name="referral_board",
            ),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "reference"], name="referral_unique_reference"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.reference} · {self.individual}"

    @property
    def weekly_minutes(self) -> int:
        return sum(v.duration_minutes * v.workers_required for v in self.visits.all())

    def missing_information(self) -> list[str]:
        """What a provider may decline the referral for lacking (LAN-ST-5.4)."""
        person = self.individual
        missing = []
        if not (person.telephone or person.contacts.exists()):
            missing.append("a telephone number or a contact for the person")
        if not self.moving_and_handling and not person.moving_and_handling:
            missing.append("moving and handling equipment and instructions")
        if not self.known_risks and not person.known_risks:
            missing.append("known risks and how they are managed")
        if not (person.medical_conditions or self.needs_statement):
            missing.append("presenting needs or medical conditions")
        if not person.contacts.filter(is_next_of_kin=True).exists():
            missing.append("next of kin")
        if not self.visits.exists():
            missing.append("the visits wanted")
        return missing


class ReferralVisit(models.Model):
    """A visit wanted each week, with the time slot the council offers (LAN-HC-3.4)."""

    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    referral = models.ForeignKey(Referral, on_delete=models.PROTECT, related_name="visits")
    weekday = models.PositiveSmallIntegerField(choices=WEEKDAYS)
    kind = models.CharField(max_length=16, choices=PatternEntry.Kind.choices, default="visit")
    slot_start = models.TimeField(help_text="Earliest arrival the council offers.")
    slot_end = models.TimeField(help_text="Latest arrival the council offers.")
    duration_minutes = models.PositiveIntegerField()
    workers_required = models.PositiveSmallIntegerField(default=1)
    tasks = models.JSONField(default=list, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["weekday", "slot_start"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(slot_end__gte=models.F("slot_start")),
                name="referral_slot_ends_after_start",
            ),
            models.CheckConstraint(
                condition=models.Q(workers_required__in=[1, 2]), name="referral_one_or_two_workers"
            ),
        ]

    def __str__(self) -> str:
        return (
            f"{self.get_weekday_display()} {self.slot_start:%H:%M}–{self.slot_end:%H:%M}, "
            f"{self.duration_minutes} min"
        )


class Offer(CareRecord):
    """A referral offered to one provider under one contract, with its clock."""

    class Round(models.TextChoices):
        PREVIOUS_PROVIDER = "previous", "Previous provider first (LAN-HC-6.4)"
        OPEN = "open", "Open to eligible providers"

    class Status(models.TextChoices):
        OPEN = "open", "Waiting for an answer"
        ACCEPTED = "accepted", "Accepted"
        DECLINED = "declined", "Declined"
        WITHDRAWN = "withdrawn", "Withdrawn"
        CONFIRMED = "confirmed", "Confirmed"

    class DeclineReason(models.TextChoices):
        NO_CAPACITY = "no_capacity", "No capacity"
        NO_STAFF_IN_AREA = "no_staff_in_area", "No staff in that area"
        TIMES = "times", "Cannot meet the visit times"
        GENDER = "gender", "Cannot meet the worker gender preference"
        SKILLS = "skills", "Cannot meet the skills or equipment needed"
        MISSING_INFORMATION = "missing_information", "Basic information missing (LAN-ST-5.4)"
        BLOCK_FULL = "block_full", "Block capacity used up (LAN-ST-4.4)"
        OTHER = "other", "Other"

    organisation = models.ForeignKey(
        "organisations.Organisation",
        on_delete=models.PROTECT,
        related_name="offers_made",
        help_text="The council (the referral's owner).",
    )
    referral = models.ForeignKey(Referral, on_delete=models.PROTECT, related_name="offers")
    provider = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="offers"
    )
    contract = models.ForeignKey(
        "organisations.Contract", on_delete=models.PROTECT, related_name="offers"
    )
    round = models.CharField(max_length=10, choices=Round.choices, default=Round.OPEN)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    offered_at = models.DateTimeField()
    due_at = models.DateTimeField(help_text="When the answer is due, from the contract's rulebook.")
    deadline_rule = models.CharField(
        max_length=60,
        help_text="The rulebook entry that set the clock, e.g. referral.response.planned",
    )
    deadline_ref = models.CharField(max_length=60, blank=True, help_text="Its requirement IDs.")
    answered_at = models.DateTimeField(null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    answered_late = models.BooleanField(default=False)
    response_minutes = models.PositiveIntegerField(
        null=True, blank=True, help_text="Offer to answer (KENT-GLOSS-RT)."
    )
    start_date = models.DateField(null=True, blank=True)
    start_time = models.TimeField(null=True, blank=True)
    gender_preference_met = models.BooleanField(null=True, blank=True)
    decline_reason = models.CharField(max_length=24, choices=DeclineReason.choices, blank=True)
    decline_details = models.TextField(blank=True)
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    withdrawn_reason = models.CharField(max_length=200, blank=True)
    package = models.ForeignKey(
        "packages.CarePackage",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="offers",
        help_text="The package this offer became, once confirmed.",
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["due_at"]
        indexes = [
            models.Index(fields=["referral", "status"]),
            # The provider's inbox: open offers by due time; the recently closed.
            models.Index(
                fields=["provider", "status", "due_at"],
                condition=models.Q(archived_at__isnull=True),
                name="offer_inbox_open",
            ),
            models.Index(
                fields=["provider", "-answered_at"],
                condition=models.Q(archived_at__isnull=True),
                name="offer_inbox_answered",
            ),
            models.Index(
                fields=["provider", "-withdrawn_at"],
                condition=models.Q(archived_at__isnull=True),
                name="offer_inbox_withdrawn",
            ),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["referral", "contract", "round"], name="offer_once_per_contract_per_round"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.referral.reference} → {self.provider}"


class OfferSlot(models.Model):
    """The provider's arrival time for one wanted visit (LAN-HC-3.5), and whether the
    broker gave that visit to this provider when confirming (a split, KENT-3.2.7)."""

    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    offer = models.ForeignKey(Offer, on_delete=models.PROTECT, related_name="slots")
    referral_visit = models.ForeignKey(ReferralVisit, on_delete=models.PROTECT, related_name="+")
    arrival_time = models.TimeField()
    confirmed = models.BooleanField(default=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["offer", "referral_visit"], name="one_arrival_per_visit"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.referral_visit}: arrive {self.arrival_time:%H:%M}"
