"""Care workers: employer, role, skills, hours, availability, where they start from."""

from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords

from homecare.core.models import CareRecord
from homecare.people.models import Gender


class Skill(models.Model):
    """A skill or competency a visit may need (hoist, medication, PEG feeding…)."""

    code = models.SlugField(max_length=40, unique=True)
    name = models.CharField(max_length=120)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class CareWorker(CareRecord):
    class Role(models.TextChoices):
        CARE_WORKER = "care_worker", "Care worker"
        SENIOR = "senior_care_worker", "Senior care worker"
        NURSE = "nurse", "Nurse"
        WELLBEING = "wellbeing_worker", "Wellbeing worker"

    organisation = models.ForeignKey(
        "organisations.Organisation",
        on_delete=models.PROTECT,
        related_name="care_workers",
        help_text="The employing provider.",
    )
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="care_worker",
    )
    given_name = models.CharField(max_length=100)
    family_name = models.CharField(max_length=100)
    role = models.CharField(max_length=20, choices=Role.choices, default=Role.CARE_WORKER)
    gender = models.CharField(max_length=10, choices=Gender.choices)
    skills = models.ManyToManyField(Skill, blank=True, related_name="workers")
    contracted_minutes = models.PositiveIntegerField(
        "contracted minutes a week", default=0, help_text="0 for zero-hours contracts."
    )
    telephone = models.CharField(max_length=20, blank=True)
    postcode = models.CharField(max_length=8)
    latitude = models.DecimalField(max_digits=9, decimal_places=6)
    longitude = models.DecimalField(max_digits=9, decimal_places=6)
    drives = models.BooleanField(default=True)
    started_on = models.DateField()
    left_on = models.DateField(null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["family_name", "given_name"]
        indexes = [models.Index(fields=["organisation", "family_name", "given_name"])]

    def __str__(self) -> str:
        return f"{self.given_name} {self.family_name}"

    @property
    def contracted_hours(self) -> str:
        hours, minutes = divmod(self.contracted_minutes, 60)
        return f"{hours}h{minutes:02d}" if minutes else f"{hours}h"


class Availability(CareRecord):
    """A weekly window in which a worker can be rostered (local time)."""

    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    worker = models.ForeignKey(CareWorker, on_delete=models.PROTECT, related_name="availability")
    weekday = models.PositiveSmallIntegerField(
        choices=[
            (i, d)
            for i, d in enumerate(
                ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
            )
        ]
    )
    start_time = models.TimeField()
    end_time = models.TimeField()

    history = HistoricalRecords()

    class Meta:
        ordering = ["weekday", "start_time"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end_time__gt=models.F("start_time")),
                name="availability_ends_after_start",
            )
        ]
