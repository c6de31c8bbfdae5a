"""Money: billing periods, invoices and their lines, credit notes, contract rates.

An invoice belongs to the provider that raises it (``organisation``) and is
addressed to the council that holds the contract. Its lines are computed by
the pricing engine (``homecare/domain/pricing``) from the visits that really
happened and the contract's rulebook; each line names the requirement IDs that
priced it. A submitted invoice is never edited: corrections are credit notes.
"""

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from simple_history.models import HistoricalRecords

from homecare.core.models import CareRecord

MONEY = {"max_digits": 12, "decimal_places": 2}


class ContractRate(CareRecord):
    """A contract's rates for a span of dates (the pricing engine's ``Tariff``):
    the hourly rate, a night session (KENT-3.7.5), the complex-support hourly
    rate (KENT-3.3.8). A period with a day no rate covers cannot be invoiced."""

    organisation = models.ForeignKey(
        "organisations.Organisation",
        on_delete=models.PROTECT,
        related_name="+",
        help_text="The council that set the rate.",
    )
    contract = models.ForeignKey(
        "organisations.Contract", on_delete=models.PROTECT, related_name="rates"
    )
    valid_from = models.DateField()
    valid_to = models.DateField(null=True, blank=True, help_text="Inclusive; empty = open.")
    hourly_rate = models.DecimalField(**MONEY, validators=[MinValueValidator(0)])
    night_session_rate = models.DecimalField(
        **MONEY, null=True, blank=True, validators=[MinValueValidator(0)]
    )
    complex_hourly_rate = models.DecimalField(
        **MONEY, null=True, blank=True, validators=[MinValueValidator(0)]
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["contract", "valid_from"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(valid_to__isnull=True)
                | models.Q(valid_to__gte=models.F("valid_from")),
                name="rate_ends_after_start",
            )
        ]

    def __str__(self) -> str:
        return f"£{self.hourly_rate} an hour from {self.valid_from}"


class BillingPeriod(CareRecord):
    """One payment period of a contract (a week, four weeks, a month or a
    quarter, as its rulebook's ``billing.period`` says). Invoices are drawn
    only for closed periods."""

    organisation = models.ForeignKey(
        "organisations.Organisation",
        on_delete=models.PROTECT,
        related_name="+",
        help_text="The council that holds the contract.",
    )
    contract = models.ForeignKey(
        "organisations.Contract", on_delete=models.PROTECT, related_name="billing_periods"
    )
    start = models.DateField()
    end = models.DateField(help_text="The last day of the period (inclusive).")
    closed_at = models.DateTimeField(null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["contract", "-start"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end__gte=models.F("start")), name="period_ends_after_start"
            ),
            models.UniqueConstraint(fields=["contract", "start"], name="period_unique_start"),
        ]

    def __str__(self) -> str:
        return f"{self.start:%-d %b %Y} – {self.end:%-d %b %Y}"

    @property
    def is_closed(self) -> bool:
        return self.closed_at is not None


class Invoice(CareRecord):
    """What a provider asks to be paid for one contract and one period."""

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        SUBMITTED = "submitted", "Submitted"
        QUERIED = "queried", "Queried"
        APPROVED = "approved", "Approved"
        PAID = "paid", "Paid"

    organisation = models.ForeignKey(
        "organisations.Organisation",
        on_delete=models.PROTECT,
        related_name="invoices",
        help_text="The provider raising the invoice.",
    )
    council = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="invoices_received"
    )
    contract = models.ForeignKey(
        "organisations.Contract", on_delete=models.PROTECT, related_name="invoices"
    )
    period = models.ForeignKey(BillingPeriod, on_delete=models.PROTECT, related_name="invoices")
    number = models.CharField(max_length=60)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    total = models.DecimalField(**MONEY, default=0)
    line_count = models.PositiveIntegerField(default=0)
    rulebook = models.CharField(max_length=40, help_text="Slug and version that priced it.")
    carried_in_minutes = models.PositiveIntegerField(
        default=0, help_text="Block hours carried in from the last period (LAN-ST-4.17)."
    )
    carried_out_minutes = models.PositiveIntegerField(
        default=0, help_text="Unused block hours carried to the next period (LAN-ST-4.17)."
    )
    offset_out_minutes = models.PositiveIntegerField(
        default=0, help_text="Demand beyond the block, offset against the next period (4.18)."
    )
    warnings = models.JSONField(default=list, blank=True)
    computed_at = models.DateTimeField()
    computed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    submitted_at = models.DateTimeField(null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    queried_at = models.DateTimeField(null=True, blank=True)
    queried_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    query_reason = models.TextField(blank=True)
    answer = models.TextField(blank=True, help_text="The provider's answer to the last query.")
    approved_at = models.DateTimeField(null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    paid_at = models.DateTimeField(null=True, blank=True)
    paid_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["-computed_at"]
        indexes = [
            models.Index(fields=["organisation", "status"]),
            models.Index(fields=["council", "status"]),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["contract", "period"],
                condition=models.Q(archived_at__isnull=True),
                name="invoice_one_per_contract_period",
            ),
            models.UniqueConstraint(
                fields=["organisation", "number"], name="invoice_unique_number"
            ),
        ]

    def __str__(self) -> str:
        return self.number

    @property
    def credited(self):
        return sum((c.total for c in self.credit_notes.all()), start=0)


class InvoiceLine(CareRecord):
    """One priced line: usually one visit; or a period line (block minimum,
    carry-forward, a hospital hold) with no visit. ``refs`` are the requirement
    IDs whose rule priced it; ``explanation`` says how, in words."""

    # A county's month writes hundreds of thousands of lines: only the indexes
    # the pages read by are kept (the invoice's lines in order, a visit's line),
    # and only the invoice is a database constraint. The organisation, person,
    # package and visit a line names are care records, never deleted (delete()
    # refuses) and read in the same transaction that writes the line; checking
    # each at commit took a third of a county run's database time.
    organisation = models.ForeignKey(
        "organisations.Organisation",
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,
        db_constraint=False,
    )
    invoice = models.ForeignKey(
        Invoice, on_delete=models.PROTECT, related_name="lines", db_index=False
    )
    position = models.PositiveIntegerField()
    individual = models.ForeignKey(
        "people.Individual",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,
        db_constraint=False,
    )
    package = models.ForeignKey(
        "packages.CarePackage",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,
        db_constraint=False,
    )
    visit = models.ForeignKey(
        "packages.Visit",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        db_constraint=False,
    )
    date = models.DateField(null=True, blank=True)
    description = models.CharField(max_length=200)
    quantity = models.DecimalField(max_digits=12, decimal_places=4)
    unit = models.CharField(max_length=20, default="hours")
    minutes = models.IntegerField(default=0, help_text="Care minutes (all workers).")
    unit_price = models.DecimalField(max_digits=12, decimal_places=4)
    amount = models.DecimalField(**MONEY)
    refs = models.JSONField(
        default=list, help_text="Requirement IDs of the rule(s) that priced it."
    )
    charge_person = models.BooleanField(
        default=True, help_text="False where the person is not charged (KENT-8.4.7)."
    )
    explanation = models.TextField(blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["invoice", "position"]
        indexes = [models.Index(fields=["invoice", "position"])]

    def __str__(self) -> str:
        return f"{self.description} £{self.amount}"


class CreditNote(CareRecord):
    """A correction of a submitted invoice: the invoice stays as it was sent."""

    organisation = models.ForeignKey(
        "organisations.Organisation",
        on_delete=models.PROTECT,
        related_name="credit_notes",
        help_text="The provider issuing it.",
    )
    invoice = models.ForeignKey(Invoice, on_delete=models.PROTECT, related_name="credit_notes")
    number = models.CharField(max_length=60)
    reason = models.TextField()
    total = models.DecimalField(**MONEY, help_text="Negative: the amount taken off.")
    issued_at = models.DateTimeField()
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["issued_at"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "number"], name="credit_unique_number")
        ]

    def __str__(self) -> str:
        return self.number


class CreditNoteLine(CareRecord):
    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    credit_note = models.ForeignKey(CreditNote, on_delete=models.PROTECT, related_name="lines")
    invoice_line = models.ForeignKey(
        InvoiceLine, null=True, blank=True, on_delete=models.PROTECT, related_name="credits"
    )
    description = models.CharField(max_length=200)
    amount = models.DecimalField(**MONEY)
    refs = models.JSONField(default=list)

    history = HistoricalRecords()

    class Meta:
        ordering = ["credit_note", "description"]

    def __str__(self) -> str:
        return f"{self.description} £{self.amount}"


class BlockAlert(models.Model):
    """The 80% block-usage alert (LAN-ST-9.5), raised once per contract per period."""

    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    contract = models.ForeignKey(
        "organisations.Contract", on_delete=models.PROTECT, related_name="block_alerts"
    )
    period_start = models.DateField()
    usage_percent = models.DecimalField(max_digits=6, decimal_places=1)
    raised_at = models.DateTimeField()
    event_key = models.CharField(max_length=200, unique=True)

    class Meta:
        ordering = ["-raised_at"]

    def __str__(self) -> str:
        return f"{self.contract_id} {self.period_start} {self.usage_percent}%"
