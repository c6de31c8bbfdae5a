"""Individuals receiving care, with the fields LAN-ST-5.1 and LAN-ST-9.2 list.

The individual belongs to the council that assessed them (``organisation``);
providers see them through the packages they deliver (see core.access).
"""

from django.db import models
from simple_history.models import HistoricalRecords

from homecare.core.models import CareRecord


class Gender(models.TextChoices):
    FEMALE = "female", "Female"
    MALE = "male", "Male"
    OTHER = "other", "Other / prefers to self-describe"
    UNKNOWN = "unknown", "Not stated"


class WorkerGenderPreference(models.TextChoices):
    NONE = "none", "No preference"
    FEMALE = "female", "Female workers only"
    MALE = "male", "Male workers only"


class Individual(CareRecord):
    organisation = models.ForeignKey(
        "organisations.Organisation",
        on_delete=models.PROTECT,
        related_name="individuals",
        help_text="The council responsible for this person's care.",
    )
    area = models.ForeignKey(
        "organisations.Area", on_delete=models.PROTECT, related_name="individuals"
    )
    # Identity (LAN-ST-9.2: local authority identifier and/or NHS number)
    council_identifier = models.CharField("council ID (LAS ID)", max_length=30, blank=True)
    nhs_number = models.CharField("NHS number", max_length=10, blank=True)
    title = models.CharField(max_length=20, blank=True)
    given_name = models.CharField(max_length=100)
    family_name = models.CharField(max_length=100)
    preferred_name = models.CharField("preferred form of address", max_length=100, blank=True)
    date_of_birth = models.DateField()
    gender = models.CharField(max_length=10, choices=Gender.choices, default=Gender.UNKNOWN)
    # Where and how to reach them (LAN-ST-5.1)
    address_line_1 = models.CharField(max_length=200)
    address_line_2 = models.CharField(max_length=200, blank=True)
    town = models.CharField(max_length=100)
    postcode = models.CharField(max_length=8)
    latitude = models.DecimalField(max_digits=9, decimal_places=6)
    longitude = models.DecimalField(max_digits=9, decimal_places=6)
    telephone = models.CharField(max_length=20, blank=True, help_text="E.164, e.g. +441254123456")
    # Needs and risks (LAN-ST-5.1)
    presenting_needs = models.TextField("reason for referral / presenting needs", blank=True)
    medical_conditions = models.TextField(blank=True)
    current_care_arrangements = models.TextField(blank=True)
    moving_and_handling = models.TextField(
        "moving and handling equipment and techniques", blank=True
    )
    known_risks = models.TextField("known risks and mitigations", blank=True)
    communication_needs = models.TextField(blank=True)
    preferred_worker_gender = models.CharField(
        max_length=10, choices=WorkerGenderPreference.choices, default=WorkerGenderPreference.NONE
    )
    safeguarding_concern = models.BooleanField("known safeguarding issues", default=False)
    safeguarding_notes = models.TextField(blank=True)
    capacity_concern = models.BooleanField("mental capacity issues", default=False)
    capacity_notes = models.TextField(
        blank=True, help_text="Including capacity to agree to the referral."
    )
    named_council_worker = models.CharField(
        "named worker at the council", max_length=120, blank=True, help_text="LAN-ST-5.15"
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["family_name", "given_name"]
        indexes = [
            models.Index(fields=["organisation", "family_name", "given_name"]),
            models.Index(fields=["nhs_number"]),
        ]

    def __str__(self) -> str:
        return f"{self.given_name} {self.family_name}"

    @property
    def full_name(self) -> str:
        return str(self)

    @property
    def nhs_number_display(self) -> str:
        n = self.nhs_number
        return f"{n[:3]} {n[3:6]} {n[6:]}" if len(n) == 10 else ""


class Contact(CareRecord):
    """Next of kin, family, advocate, attorney or deputy, or another contact."""

    class Relationship(models.TextChoices):
        SPOUSE = "spouse", "Spouse or partner"
        CHILD = "child", "Son or daughter"
        SIBLING = "sibling", "Brother or sister"
        RELATIVE = "relative", "Other relative"
        FRIEND = "friend", "Friend or neighbour"
        ADVOCATE = "advocate", "Advocate"
        ATTORNEY = "attorney", "Lasting power of attorney"
        DEPUTY = "deputy", "Court-appointed deputy"
        PROFESSIONAL = "professional", "Professional (GP, nurse, social worker)"

    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    individual = models.ForeignKey(Individual, on_delete=models.PROTECT, related_name="contacts")
    name = models.CharField(max_length=200)
    relationship = models.CharField(max_length=20, choices=Relationship.choices)
    is_next_of_kin = models.BooleanField("next of kin", default=False)
    is_emergency_contact = models.BooleanField(default=False)
    telephone = models.CharField(max_length=20, blank=True)
    email = models.EmailField(blank=True)
    notes = models.TextField(blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-is_next_of_kin", "name"]

    def __str__(self) -> str:
        return f"{self.name} ({self.get_relationship_display()})"
