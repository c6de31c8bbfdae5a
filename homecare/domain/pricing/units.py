"""How a visit's minutes become paid minutes, units and pence (KENT-3.7.2/3.7.3/3.7.5).

Everything a contract decides comes from its rulebook (:class:`Terms`); this
module only does the arithmetic, in whole minutes and whole pence.

Rates are held as whole ten-thousandths of a pound ("centipence") so that a
rate such as £21.375 stays exact; a rate with more places is an error.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from homecare.domain.pricing.model import PricingError
from homecare.domain.rulebook import Rulebook

#: The day units of KENT-3.7.2, in minutes, and the rulebook key of each one's share.
DAY_UNITS = ((30, "billing.unit_30_percent"), (45, "billing.unit_45_percent"))
FULL_HOUR = 60


@dataclass(frozen=True)
class Terms:
    """A contract's billing rules, read once from its rulebook."""

    model: str
    period: str
    unit_percent: dict[int, int]
    day_start: int
    day_end: int
    night_session: int
    over_hour: str
    basis: str
    rounding: str
    step: int
    tolerance: int
    max_duration: int
    flexible_window: str
    carry_forward_cap: Decimal
    hospital_hold: int
    bank_holiday_uplift: Decimal
    hospital_hold_rate: Decimal
    assessment_paid_max: int
    emergency_extra: int
    usage_alert: Decimal
    increase_notice: int
    decrease_notice: int
    reoffer_variance: Decimal
    review_window: int
    emergency_target_share: Decimal
    refs: dict[str, tuple[str, ...]]
    slug: str

    @classmethod
    def from_rulebook(cls, rulebook: Rulebook) -> Terms:
        value = rulebook.value
        percents = {}
        for minutes, key in (*DAY_UNITS, (FULL_HOUR, "billing.unit_60_percent")):
            share = value(key)
            if share != int(share):
                raise PricingError(f"{rulebook.filename}: {key} must be a whole percent")
            percents[minutes] = int(share)
        step = rulebook.minutes("billing.rounding_step")
        if step < 1:
            raise PricingError(f"{rulebook.filename}: billing.rounding_step must be at least 1")
        start, end = value("billing.day_hours.start"), value("billing.day_hours.end")
        return cls(
            model=value("billing.model"),
            period=value("billing.period"),
            unit_percent=percents,
            day_start=start.hour * 60 + start.minute,
            day_end=end.hour * 60 + end.minute,
            night_session=rulebook.minutes("billing.night_session"),
            over_hour=value("billing.over_hour"),
            basis=value("billing.duration_basis"),
            rounding=value("billing.unit_rounding"),
            step=step,
            tolerance=rulebook.minutes("billing.unit_tolerance"),
            max_duration=rulebook.minutes("billing.max_duration"),
            flexible_window=value("billing.flexible_window"),
            carry_forward_cap=value("billing.carry_forward_cap"),
            hospital_hold=rulebook.minutes("billing.hospital_hold"),
            bank_holiday_uplift=value("billing.bank_holiday_uplift"),
            hospital_hold_rate=value("billing.hospital_hold_rate"),
            assessment_paid_max=rulebook.minutes("billing.assessment_paid_max"),
            emergency_extra=rulebook.minutes("change.emergency_extra"),
            usage_alert=value("block.usage_alert"),
            increase_notice=rulebook.minutes("block.increase_notice"),
            decrease_notice=rulebook.minutes("block.decrease_notice"),
            reoffer_variance=value("block.reoffer_variance"),
            review_window=int(value("block.review_window")),
            emergency_target_share=value("emergency_response.target_share"),
            refs={key: entry.ref for key, entry in rulebook.entries.items()},
            slug=rulebook.slug,
        )

    def ref(self, key: str, *fallback: str) -> tuple[str, ...]:
        """The requirement IDs a rulebook entry cites (or ``fallback`` if none)."""
        return self.refs.get(key) or tuple(fallback)


def to_centipence(amount: Decimal, what: str) -> int:
    """Pounds as whole ten-thousandths of a pound; more places is an error."""
    if not isinstance(amount, Decimal):
        raise PricingError(f"{what} must be a Decimal amount of pounds, not {amount!r}")
    if amount < 0:
        raise PricingError(f"{what} is negative ({amount})")
    scaled = amount.scaleb(4)
    if scaled != scaled.to_integral_value():
        raise PricingError(f"{what} has more than four decimal places ({amount})")
    return int(scaled)


def round_half_up(numerator: int, denominator: int) -> int:
    """``numerator / denominator`` rounded half up (both non-negative)."""
    return (2 * numerator + denominator) // (2 * denominator)


def pence(centipence_per_hour: int, minutes: int, percent: int = 100) -> int:
    """Pence for ``minutes`` at ``percent`` of an hourly rate, rounded once, half up."""
    return round_half_up(centipence_per_hour * minutes * percent, 100 * 60 * 100)


def paid_minutes(terms: Terms, planned: int, actual: int) -> int:
    """The minutes a visit is paid for, before units: basis, then rounding to the step.

    ``down``: the largest step reached allowing ``tolerance`` short of it.
    ``up``: the smallest step covering the visit allowing ``tolerance`` over.
    ``nearest``: the nearest step, halves up (tolerance unused).
    """
    if terms.basis == "planned":
        minutes = planned
    elif terms.basis == "actual":
        minutes = actual
    else:
        minutes = actual if actual < planned else planned
    step = terms.step
    if step == 1:
        return minutes
    if terms.rounding == "down":
        return (minutes + terms.tolerance) // step * step
    if terms.rounding == "up":
        over = minutes - terms.tolerance
        return -(-over // step) * step if over > 0 else 0
    return (2 * minutes + step) // (2 * step) * step


def unit_for(terms: Terms, minutes: int) -> tuple[int, int]:
    """A day visit's paid minutes as (unit minutes, percent of the hourly rate).

    Up to an hour: the day unit (KENT-3.7.2), a visit shorter than the
    shortest unit being paid that unit. Beyond an hour: pro rata from the
    full hourly rate (KENT-3.7.3), or further day units where the rulebook
    says ``day_units`` (the caller splits those).
    """
    if minutes <= DAY_UNITS[0][0]:
        return DAY_UNITS[0][0], terms.unit_percent[DAY_UNITS[0][0]]
    if minutes <= DAY_UNITS[1][0]:
        return DAY_UNITS[1][0], terms.unit_percent[DAY_UNITS[1][0]]
    if minutes <= FULL_HOUR:
        return FULL_HOUR, terms.unit_percent[FULL_HOUR]
    return minutes, 100


def night_sessions(terms: Terms, minutes: int) -> int:
    """Night support in whole sessional units (KENT-3.7.5): any part of a session
    beyond the tolerance is a further session."""
    session = terms.night_session
    if session <= 0:
        raise PricingError("the rulebook's billing.night_session is 0: night support has no unit")
    over = max(minutes - terms.tolerance, 1)
    return -(-over // session)
