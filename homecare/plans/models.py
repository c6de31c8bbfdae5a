"""Care and support plans (versioned, each version kept), SMART goals with their
progress, reviews, monthly records checks, and the lists of people without a
plan sent to the council.

- :class:`CarePlan`: one per care package; its contents live in
  :class:`PlanVersion` rows (DERBY-3.4), issued one after another and never
  edited once issued.
- :class:`Goal`: the provider's SMART action plan (KENT-3.1.1), goals towards
  the plan's outcomes, with :class:`GoalProgress` from visits and reviews.
- :class:`Review`: light-touch (KENT-3.11.1), statutory (KENT-3.11.2), early
  (KENT-3.12.1); the pre-review form (PPRIF, KENT-3.11.3) is part of it.
- :class:`RecordsCheck`: the monthly review of records (KENT-3.6.10).
- :class:`MissingPlanList`: one list of people without a plan, as sent to the
  council (LAN-ST-9.6).
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from simple_history.models import HistoricalRecords

from homecare.core.models import CareRecord

#: The contents of a care and support plan (DERBY-3.4), in the order the page
#: shows them: field name -> (heading, plain-language heading for the family).
PLAN_SECTIONS = {
    "form_of_address": ("Form of address", "What you like to be called"),
    "outcomes": ("Outcomes", "What you want to achieve"),
    "health_and_social_needs": ("Health and social needs", "Your health and daily life"),
    "personal_care": ("Personal care", "Help with washing, dressing and the toilet"),
    "equipment": ("Equipment", "Equipment you use"),
    "cultural_and_spiritual_needs": ("Cultural and spiritual needs", "Your faith and culture"),
    "community_participation": ("Community participation", "Getting out and about"),
    "communication_needs": ("Communication needs", "How we talk with you"),
    "medication": ("Medication", "Your medicines"),
    "diet": ("Diet", "Food and drink"),
    "contacts": ("Next of kin and emergency contacts", "Who to call"),
    "professional_contacts": ("Key professional contacts", "Professionals who help you"),
    "risk_assessment": ("Risk assessment", "Keeping you safe"),
    "key_worker": ("Named key worker", "Your key worker"),
    "review_attendees": ("Who joins reviews", "Who comes to your reviews"),
    "circle_of_support": ("Circle of support", "The people around you"),
    "advance_directives": ("Advance directives", "Your wishes for the future"),
}


def _provider():
    return models.ForeignKey(
        "organisations.Organisation",
        on_delete=models.PROTECT,
        related_name="+",
        help_text="The provider delivering the package.",
    )


def _by():
    return models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )


class CarePlan(CareRecord):
    """A person's care and support plan for one package; the contents are in
    its versions, the latest being the plan in force."""

    organisation = _provider()
    package = models.OneToOneField(
        "packages.CarePackage", on_delete=models.PROTECT, related_name="care_plan"
    )
    individual = models.ForeignKey(
        "people.Individual", on_delete=models.PROTECT, related_name="care_plans"
    )
    created_by = _by()

    history = HistoricalRecords()

    def __str__(self) -> str:
        return f"Care and support plan · {self.package.reference}"


class PlanVersion(CareRecord):
    """One issued version of a plan: never edited, a change is a new version."""

    organisation = _provider()
    plan = models.ForeignKey(CarePlan, on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveIntegerField()
    issued_at = models.DateTimeField()
    issued_by = _by()
    change_summary = models.CharField(max_length=300, blank=True)

    form_of_address = models.CharField(max_length=100)
    outcomes = models.TextField()
    health_and_social_needs = models.TextField(blank=True)
    personal_care = models.TextField(blank=True)
    equipment = models.TextField(blank=True)
    cultural_and_spiritual_needs = models.TextField(blank=True)
    community_participation = models.TextField(blank=True)
    communication_needs = models.TextField(blank=True)
    medication = models.TextField(blank=True)
    diet = models.TextField(blank=True)
    contacts = models.TextField(blank=True)
    professional_contacts = models.TextField(blank=True)
    risk_assessment = models.TextField(blank=True)
    key_worker = models.CharField(max_length=200, blank=True)
    review_attendees = models.TextField(blank=True)
    circle_of_support = models.TextField(blank=True)
    advance_directives = models.TextField(blank=True)
    actions = models.JSONField(
        default=list, blank=True, help_text='[{"what": ..., "who": ..., "when": "YYYY-MM-DD"}]'
    )
    review_date = models.DateField(help_text="When the plan is next reviewed.")

    history = HistoricalRecords()

    class Meta:
        ordering = ["plan", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "number"], name="plan_version_unique_number")
        ]

    def __str__(self) -> str:
        return f"Version {self.number}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            fields = set(kwargs.get("update_fields") or ())
            if not fields or fields - {"archived_at", "archived_by"}:
                raise ValidationError(
                    "An issued plan version is never edited; issue a new version."
                )
        super().save(*args, **kwargs)

    def sections(self, *, plain: bool = False) -> list[tuple[str, str, str]]:
        """``(field, heading, text)`` for each section, in DERBY-3.4 order."""
        return [
            (name, titles[1] if plain else titles[0], getattr(self, name))
            for name, titles in PLAN_SECTIONS.items()
        ]


class Goal(CareRecord):
    """A SMART goal towards one of the plan's outcomes (KENT-3.1.1)."""

    class Status(models.TextChoices):
        OPEN = "open", "Working towards"
        ACHIEVED = "achieved", "Achieved"
        STOPPED = "stopped", "No longer pursued"

    organisation = _provider()
    plan = models.ForeignKey(CarePlan, on_delete=models.PROTECT, related_name="goals")
    outcome = models.CharField(max_length=300, help_text="The outcome this goal works towards.")
    specific = models.TextField(help_text="What exactly the person will do.")
    measurable = models.TextField(help_text="How we will know it is done.")
    achievable = models.TextField(help_text="Why it is within reach, and the help given.")
    relevant = models.TextField(help_text="How it serves the outcome.")
    target_date = models.DateField(help_text="When it should be achieved (time-bound).")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    achieved_at = models.DateTimeField(null=True, blank=True)
    created_by = _by()

    history = HistoricalRecords()

    class Meta:
        ordering = ["target_date", "created_at"]

    def __str__(self) -> str:
        return self.specific[:80]

    @property
    def latest_percent(self) -> int:
        entries = [p for p in self.progress.all()]
        return entries[-1].percent if entries else 0


class Review(CareRecord):
    """A review of the person's care: requested (early), scheduled, held."""

    class Kind(models.TextChoices):
        LIGHT_TOUCH = "light_touch", "Light-touch review"
        STATUTORY = "statutory", "Statutory review"
        EARLY = "early", "Early review"

    organisation = _provider()
    package = models.ForeignKey(
        "packages.CarePackage", on_delete=models.PROTECT, related_name="reviews"
    )
    individual = models.ForeignKey(
        "people.Individual", on_delete=models.PROTECT, related_name="reviews"
    )
    kind = models.CharField(max_length=12, choices=Kind.choices)
    requested_at = models.DateTimeField(null=True, blank=True)
    request_reason = models.TextField(blank=True, help_text="Early review: what changed.")
    scheduled_for = models.DateField(null=True, blank=True)
    held_on = models.DateField(null=True, blank=True)
    attendees = models.TextField(blank=True)
    summary = models.TextField(blank=True)
    pprif_completed_at = models.DateTimeField(null=True, blank=True)
    pprif = models.JSONField(
        default=dict, blank=True, help_text="The provider's pre-review form (KENT-3.11.3)."
    )
    recorded_by = _by()

    history = HistoricalRecords()

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["package", "kind"])]

    def __str__(self) -> str:
        when = self.held_on or self.scheduled_for
        return f"{self.get_kind_display()}{f' · {when:%d %b %Y}' if when else ''}"

    @property
    def state(self) -> str:
        if self.held_on:
            return "held"
        return "scheduled" if self.scheduled_for else "requested"


class GoalProgress(CareRecord):
    """Progress towards a goal, from a visit's notes or a review."""

    class Source(models.TextChoices):
        VISIT = "visit", "Visit notes"
        REVIEW = "review", "Review"
        OFFICE = "office", "Office"

    organisation = _provider()
    goal = models.ForeignKey(Goal, on_delete=models.PROTECT, related_name="progress")
    source = models.CharField(max_length=10, choices=Source.choices)
    visit = models.ForeignKey(
        "packages.Visit", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    review = models.ForeignKey(
        Review, null=True, blank=True, on_delete=models.PROTECT, related_name="goal_progress"
    )
    percent = models.PositiveSmallIntegerField(help_text="How far towards the goal, 0 to 100.")
    note = models.TextField()
    recorded_at = models.DateTimeField()
    recorded_by = _by()

    history = HistoricalRecords()

    class Meta:
        ordering = ["recorded_at"]
        verbose_name_plural = "goal progress"
        constraints = [
            models.CheckConstraint(
                condition=models.Q(percent__lte=100), name="goal_progress_percent_at_most_100"
            )
        ]

    def __str__(self) -> str:
        return f"{self.percent}% · {self.recorded_at:%d %b %Y}"


class RecordsCheck(CareRecord):
    """The provider's monthly review of a person's records (KENT-3.6.10)."""

    organisation = _provider()
    package = models.ForeignKey(
        "packages.CarePackage", on_delete=models.PROTECT, related_name="records_checks"
    )
    checked_on = models.DateField()
    notes = models.TextField(blank=True)
    checked_by = _by()

    history = HistoricalRecords()

    class Meta:
        ordering = ["-checked_on"]

    def __str__(self) -> str:
        return f"Records checked {self.checked_on:%d %b %Y}"


class MissingPlanList(models.Model):
    """A list of people on the service N days or more without a plan, as sent
    to the council on one day (LAN-ST-9.6): kept as sent."""

    organisation = _provider()
    contract = models.ForeignKey(
        "organisations.Contract", on_delete=models.PROTECT, related_name="+"
    )
    for_date = models.DateField()
    sent_at = models.DateTimeField()
    rows = models.JSONField(default=list)

    class Meta:
        ordering = ["-for_date"]
        constraints = [
            models.UniqueConstraint(
                fields=["contract", "for_date"], name="missing_plan_list_once_a_day"
            )
        ]

    def __str__(self) -> str:
        return f"People without a plan · {self.for_date:%d %b %Y}"
