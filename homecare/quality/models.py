"""Quality and contract assurance: sanctions now; KPIs, complaints and the
scorecard build on the same records later."""

from django.db import models
from simple_history.models import HistoricalRecords

from homecare.core.models import CareRecord


class Sanction(CareRecord):
    """A contract sanction on a provider (KENT-5.2.3): poor practice, contract
    compliance or safeguarding, at level 1 to 3. The rulebook's
    ``referral.sanction_stop_level`` (3, KENT-5.2.4) stops new referrals."""

    class Kind(models.TextChoices):
        POOR_PRACTICE = "poor_practice", "Poor practice"
        CONTRACT_COMPLIANCE = "contract_compliance", "Contract compliance"
        SAFEGUARDING = "safeguarding", "Safeguarding"

    organisation = models.ForeignKey(
        "organisations.Organisation",
        on_delete=models.PROTECT,
        related_name="sanctions_imposed",
        help_text="The council imposing the sanction.",
    )
    provider = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="sanctions"
    )
    kind = models.CharField(max_length=24, choices=Kind.choices)
    level = models.PositiveSmallIntegerField(
        choices=[(1, "Level 1"), (2, "Level 2"), (3, "Level 3")]
    )
    reason = models.TextField()
    starts_on = models.DateField()
    ends_on = models.DateField(null=True, blank=True, help_text="Empty while in force.")

    history = HistoricalRecords()

    class Meta:
        ordering = ["-starts_on"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(level__in=[1, 2, 3]), name="sanction_level_1_to_3"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} level {self.level} · {self.provider}"
