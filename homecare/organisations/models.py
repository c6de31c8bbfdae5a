"""Councils, providers and housing providers; the areas they serve; their contracts."""

from decimal import Decimal

from django.core.validators import MinValueValidator
from django.db import models
from simple_history.models import HistoricalRecords

from homecare.core.models import CareRecord


class Nation(models.TextChoices):
    """Bank holidays and regulators differ: England (CQC) and Scotland (Care Inspectorate)."""

    ENGLAND = "england", "England"
    SCOTLAND = "scotland", "Scotland"


class Organisation(CareRecord):
    class Kind(models.TextChoices):
        COUNCIL = "council", "Council (commissioner)"
        PROVIDER = "provider", "Care provider"
        HOUSING_PROVIDER = "housing_provider", "Housing provider (extra care)"

    class Rating(models.TextChoices):
        """CQC overall rating (England)."""

        OUTSTANDING = "outstanding", "Outstanding"
        GOOD = "good", "Good"
        REQUIRES_IMPROVEMENT = "requires_improvement", "Requires improvement"
        INADEQUATE = "inadequate", "Inadequate"
        NOT_RATED = "not_rated", "Not yet rated"

    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=20, choices=Kind.choices)
    nation = models.CharField(max_length=10, choices=Nation.choices, default=Nation.ENGLAND)
    regulator_id = models.CharField(
        "regulator registration", max_length=40, blank=True, help_text="CQC or Care Inspectorate ID"
    )
    cqc_rating = models.CharField("CQC rating", max_length=24, choices=Rating.choices, blank=True)
    inspection_grades = models.JSONField(
        default=list,
        blank=True,
        help_text="Care Inspectorate grades (1–6), newest first (ELOTH-3.13).",
    )
    telephone = models.CharField(max_length=32, blank=True)
    email = models.EmailField(blank=True)
    address = models.TextField(blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @property
    def organisation_id(self):
        """An organisation owns itself (the distribution key)."""
        return self.id


class Area(CareRecord):
    """Where a council commissions: a boundary (Lancashire), a cluster or lot (Kent,
    Derby), or the whole county (East Lothian, ELOTH-3.11)."""

    class Kind(models.TextChoices):
        BOUNDARY = "boundary", "Geographical boundary"
        CLUSTER = "cluster", "Cluster"
        LOT = "lot", "Lot"
        COUNTY = "county", "County-wide"

    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="areas", help_text="The council."
    )
    name = models.CharField(max_length=120)
    kind = models.CharField(max_length=10, choices=Kind.choices)
    neighbours = models.ManyToManyField(
        "self", blank=True, symmetrical=True, help_text="Neighbouring clusters (KENT-3.6.8)."
    )
    postcode_districts = models.JSONField(
        default=list, blank=True, help_text='Outward codes in this area, e.g. ["BB1", "BB2"].'
    )

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "name"], name="area_unique_name")
        ]

    def __str__(self) -> str:
        return self.name


class Scheme(CareRecord):
    """An extra-care housing scheme: flats and communal areas run by a housing
    provider, with a care team on site (DERBY-LOTS)."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="schemes", help_text="The council."
    )
    housing_provider = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="housing_schemes"
    )
    area = models.ForeignKey(Area, on_delete=models.PROTECT, related_name="schemes")
    name = models.CharField(max_length=120)
    flats = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Contract(CareRecord):
    """A contract between a council and a provider, with its rulebook.

    The rulebook (``homecare/rulebooks/<rulebook>/v<N>.toml``, version pinned in
    ``rulebook_version``) holds every number the specification sets;
    ``rulebook_overrides`` changes single entries for this contract.
    """

    class Kind(models.TextChoices):
        BLOCK = "block", "Block"
        SPOT = "spot", "Spot purchase"
        FRAMEWORK = "framework", "Framework / PDPS"
        EXTRA_CARE_BLOCK = "extra_care_block", "Extra-care block"
        PERSONAL_BUDGET = "personal_budget", "Personal budget"

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        LIVE = "live", "Live"
        ENDED = "ended", "Ended"

    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="contracts_commissioned",
        help_text="The council (commissioner).",
    )
    provider = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="contracts_held"
    )
    reference = models.CharField(max_length=40)
    kind = models.CharField(max_length=20, choices=Kind.choices)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.LIVE)
    areas = models.ManyToManyField(Area, related_name="contracts")
    rulebook = models.CharField(max_length=20, help_text="lan-st, lan-hc, kent, derby or eloth")
    rulebook_version = models.PositiveIntegerField(default=1)
    rulebook_overrides = models.JSONField(default=dict, blank=True)
    hourly_rate = models.DecimalField(
        max_digits=8, decimal_places=2, validators=[MinValueValidator(Decimal("0"))]
    )
    night_rate = models.DecimalField(
        max_digits=8,
        decimal_places=2,
        null=True,
        blank=True,
        help_text="Per night session (KENT-3.7.5) or per block night, where the contract has one.",
    )
    block_minutes_min = models.PositiveIntegerField(
        "block minimum (minutes a week)", null=True, blank=True
    )
    block_minutes_start = models.PositiveIntegerField(
        "block start level (minutes a week)", null=True, blank=True
    )
    block_minutes_max = models.PositiveIntegerField(
        "block maximum (minutes a week)", null=True, blank=True
    )
    starts_on = models.DateField()
    ends_on = models.DateField(null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["reference"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "reference"], name="contract_unique_reference"
            ),
            models.CheckConstraint(
                condition=models.Q(ends_on__isnull=True)
                | models.Q(ends_on__gte=models.F("starts_on")),
                name="contract_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.reference} · {self.provider}"

    def rules(self):
        """The contract's rulebook with its overrides applied."""
        from homecare.domain.rulebook import load_rulebook

        return load_rulebook(self.rulebook, version=self.rulebook_version).with_overrides(
            self.rulebook_overrides, source=f"contract {self.reference}"
        )
