"""The pricing engine: what a provider is paid, line by line, and why.

Plain Python (no Django). Input: the contract's :class:`~homecare.domain.rulebook.Rulebook`,
the provider's :class:`Tariff` rates, :class:`CommissionedHours` per package,
the :class:`DeliveredVisit` list and events (hospital admissions, approved
exceptions, block contracts, extra care blocks, personal budgets). Output: a
:class:`PricedPeriod` of :class:`InvoiceLine` each carrying the requirement
IDs that priced it and an explanation.

Rounding: each line's amount is rounded once, half up to the penny
(``ROUND_HALF_UP``). A unit's price is rounded first and multiplied by the
number of units and workers, so quantity x unit price = amount on every line;
pro-rata lines are rounded from the exact product. Totals are sums of rounded
lines. The same input always gives the same lines to the penny.

Broken data raises :class:`PricingError` and prices nothing.
"""

from homecare.domain.pricing.blocks import (
    BlockGauge,
    BlockPeriod,
    BlockWeek,
    gauge,
    level_at,
    validate_level_change,
)
from homecare.domain.pricing.engine import check_period, price_period
from homecare.domain.pricing.extra_care import ExtraCareQuarter, VolumeReview
from homecare.domain.pricing.flexible import ClaimReview, FlexibleUse, WeekUse, review_claim
from homecare.domain.pricing.model import (
    ApprovedException,
    BlockContract,
    BlockLevelChange,
    BlockLevels,
    CommissionedHours,
    DeliveredVisit,
    HospitalAdmission,
    InvoiceLine,
    PersonalBudget,
    PricedPeriod,
    PricingError,
    PricingWarning,
    QuarterlyBlock,
    QuarterMonitoring,
    Tariff,
    pence_to_pounds,
)

__all__ = [
    "ApprovedException",
    "BlockContract",
    "BlockGauge",
    "BlockLevelChange",
    "BlockLevels",
    "BlockPeriod",
    "BlockWeek",
    "ClaimReview",
    "CommissionedHours",
    "DeliveredVisit",
    "ExtraCareQuarter",
    "FlexibleUse",
    "HospitalAdmission",
    "InvoiceLine",
    "PersonalBudget",
    "PricedPeriod",
    "PricingError",
    "PricingWarning",
    "QuarterMonitoring",
    "QuarterlyBlock",
    "Tariff",
    "VolumeReview",
    "WeekUse",
    "check_period",
    "gauge",
    "level_at",
    "pence_to_pounds",
    "price_period",
    "review_claim",
    "validate_level_change",
]
