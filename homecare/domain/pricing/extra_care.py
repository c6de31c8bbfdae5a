"""Derby extra care: the quarterly block payment and the block volume review (DERBY-APP4).

"Payment will be linked to the receipt of monitoring being delivered at the
end of the quarter that indicates that: requirements of the Appendix 2,
Quality Assurance have been delivered; 24/7 Emergency service has been
available and is meeting its 90% target; Wellbeing Service has been
delivered." The block's payment is released when all three are met, and
withheld (a zero line naming what is missing) otherwise.

"If the volume of block contract in the previous 6 months varies from the
current volume by more than 5% the Council will offer the Provider an updated
block payment": the last ``block.review_window`` months of care hours are
compared with the block over the same span (the quarter's hours x months / 3);
beyond ``block.reoffer_variance`` the review proposes the new quarterly volume.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from homecare.domain.pricing.model import (
    InvoiceLine,
    PricingError,
    PricingWarning,
    QuarterlyBlock,
    pence_to_pounds,
)
from homecare.domain.pricing.rates import hours, quantity
from homecare.domain.pricing.units import Terms, round_half_up, to_centipence


@dataclass(frozen=True)
class VolumeReview:
    months: int
    volume_hours: Decimal
    block_hours: Decimal
    variance_percent: Decimal
    reoffer: bool
    proposed_quarter_hours: int


@dataclass(frozen=True)
class ExtraCareQuarter:
    scheme_id: str
    name: str
    quarter_start: date
    released: bool
    reasons: tuple[str, ...]
    amount_pence: int
    delivered_minutes: int
    review: VolumeReview | None
    lines: tuple[InvoiceLine, ...]
    warnings: tuple[PricingWarning, ...]

    @property
    def amount(self) -> Decimal:
        return pence_to_pounds(self.amount_pence)


def release_reasons(terms: Terms, block: QuarterlyBlock) -> list[str]:
    """What keeps the quarter's payment back (empty: release it)."""
    monitoring = block.monitoring
    if monitoring is None:
        return ["no monitoring return has been received for the quarter"]
    reasons = []
    if not monitoring.quality_met:
        reasons.append("the quality assurance requirements (Appendix 2) were not met")
    if monitoring.emergency_calls < 0 or not (
        0 <= monitoring.emergency_calls_in_target <= monitoring.emergency_calls
    ):
        raise PricingError(
            f"scheme {block.name}: {monitoring.emergency_calls_in_target} emergency calls in "
            f"target out of {monitoring.emergency_calls} is not possible"
        )
    if (
        monitoring.emergency_calls
        and monitoring.emergency_calls_in_target * 100
        < terms.emergency_target_share * monitoring.emergency_calls
    ):
        share = Decimal(monitoring.emergency_calls_in_target * 100) / monitoring.emergency_calls
        reasons.append(
            f"the emergency service answered {share.quantize(Decimal('0.1'), ROUND_HALF_UP)}% "
            f"of calls in target, below {terms.emergency_target_share}%"
        )
    if not monitoring.wellbeing_delivered:
        reasons.append("the wellbeing service was not reported as delivered")
    return reasons


def volume_review(terms: Terms, block: QuarterlyBlock) -> VolumeReview | None:
    """The six-monthly volume comparison, or None without enough months of figures."""
    months = terms.review_window
    if months <= 0 or len(block.monthly_hours) < months or block.quarter_hours <= 0:
        return None
    volume = sum(block.monthly_hours[-months:], Decimal(0))
    block_hours = Decimal(block.quarter_hours * months) / 3
    variance = (abs(volume - block_hours) * 100 / block_hours).quantize(
        Decimal("0.01"), ROUND_HALF_UP
    )
    proposed = int((volume * 3 / months).quantize(Decimal(1), ROUND_HALF_UP))
    return VolumeReview(
        months=months,
        volume_hours=volume,
        block_hours=block_hours.quantize(Decimal("0.01"), ROUND_HALF_UP),
        variance_percent=variance,
        reoffer=variance > terms.reoffer_variance,
        proposed_quarter_hours=proposed,
    )


def price_extra_care(
    terms: Terms,
    start: date,
    end: date,
    blocks: tuple[QuarterlyBlock, ...],
    counted: dict[str, list[tuple]],
    lines: list[InvoiceLine],
) -> list[ExtraCareQuarter]:
    refs = terms.ref("billing.model")
    review_refs = terms.ref("block.reoffer_variance")
    seen: set[tuple[str, date]] = set()
    results = []
    for block in sorted(blocks, key=lambda item: (item.scheme_id, item.quarter_start)):
        if not start <= block.quarter_start <= end:
            continue
        if (block.scheme_id, block.quarter_start) in seen:
            raise PricingError(
                f"scheme {block.name} has two blocks for the quarter from {block.quarter_start}"
            )
        seen.add((block.scheme_id, block.quarter_start))
        amount = to_centipence(block.amount, f"scheme {block.name} block amount")
        amount_pence = round_half_up(amount, 100)
        delivered = sum(
            lines[index].minutes
            for package_id in block.package_ids
            for _day, _minute, _visit, index in counted.get(package_id, ())
        )
        reasons = release_reasons(terms, block)
        released = not reasons
        warnings = []
        explanation = (
            f"Quarterly block for {block.quarter_hours} hours; {hours(delivered)} hours delivered "
            "in the quarter. "
        )
        if released:
            explanation += (
                "Released: quality met, emergency response target met, wellbeing delivered."
            )
        else:
            explanation += "Withheld: " + "; ".join(reasons) + "."
            warnings.append(
                PricingWarning(
                    f"scheme {block.name}: block payment withheld: " + "; ".join(reasons), refs
                )
            )
        line = InvoiceLine(
            None,
            f"scheme:{block.scheme_id}",
            "",
            block.quarter_start,
            f"Extra care block, quarter from {block.quarter_start}: {block.name}",
            quantity(1),
            "quarter",
            delivered,
            pence_to_pounds(amount_pence),
            amount_pence if released else 0,
            refs,
            explanation,
        )
        review = volume_review(terms, block)
        if review is not None and review.reoffer:
            warnings.append(
                PricingWarning(
                    f"scheme {block.name}: {review.volume_hours} hours in the last "
                    f"{review.months} months against a block of {review.block_hours} "
                    f"({review.variance_percent}% apart, more than {terms.reoffer_variance}%): "
                    f"offer an updated block of {review.proposed_quarter_hours} hours a quarter",
                    review_refs,
                )
            )
        results.append(
            ExtraCareQuarter(
                scheme_id=block.scheme_id,
                name=block.name,
                quarter_start=block.quarter_start,
                released=released,
                reasons=tuple(reasons),
                amount_pence=amount_pence if released else 0,
                delivered_minutes=delivered,
                review=review,
                lines=(line,),
                warnings=tuple(warnings),
            )
        )
    return results
