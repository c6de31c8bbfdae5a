"""Personal budgets beside time and task (ELOTH-3.6a, 3.6b).

A personal-budget package is paid its agreed budget for the days of the
period it runs, whatever the visits: the assessment gives an indicative
budget, which is checked and verified to become the agreed personal budget.
Until it is agreed nothing is invoiced for the package, and the engine says so.
"""

from __future__ import annotations

from datetime import date, timedelta

from homecare.domain.pricing.model import (
    CommissionedHours,
    InvoiceLine,
    PersonalBudget,
    PricingError,
    PricingWarning,
    pence_to_pounds,
)
from homecare.domain.pricing.rates import BUDGET_REF, quantity
from homecare.domain.pricing.units import Terms, round_half_up, to_centipence


def price_budgets(
    terms: Terms,
    start: date,
    end: date,
    commissions: list[CommissionedHours],
    budgets: tuple[PersonalBudget, ...],
) -> tuple[list[InvoiceLine], list[PricingWarning]]:
    """One line per personal-budget package: the agreed weekly budget for its days."""
    by_package: dict[str, PersonalBudget] = {}
    for budget in budgets:
        if budget.package_id in by_package:
            raise PricingError(f"package {budget.package_id} has two personal budgets")
        by_package[budget.package_id] = budget
    refs = BUDGET_REF.get(terms.slug, ())
    lines: list[InvoiceLine] = []
    warnings: list[PricingWarning] = []
    days_by_package: dict[str, int] = {}
    people: dict[str, str] = {}
    for commission in commissions:
        days = sum(
            1 for n in range((end - start).days + 1) if commission.covers(start + timedelta(days=n))
        )
        days_by_package[commission.package_id] = (
            days_by_package.get(commission.package_id, 0) + days
        )
        people[commission.package_id] = commission.person_id
    for package_id in sorted(days_by_package):
        budget = by_package.get(package_id)
        if budget is None:
            raise PricingError(
                f"package {package_id} is paid by personal budget but has no budget recorded"
            )
        if budget.person_id != people[package_id]:
            raise PricingError(
                f"package {package_id}: the personal budget is for person {budget.person_id}, "
                f"the package for {people[package_id]}"
            )
        indicative = to_centipence(
            budget.indicative_weekly, f"package {package_id} indicative budget"
        )
        days = days_by_package[package_id]
        if budget.agreed_weekly is None:
            warnings.append(
                PricingWarning(
                    f"package {package_id}: the indicative budget "
                    f"(£{budget.indicative_weekly} a week) is not yet agreed; nothing is "
                    "invoiced for it until it is",
                    refs,
                    package_id,
                )
            )
            continue
        weekly = to_centipence(budget.agreed_weekly, f"package {package_id} agreed budget")
        amount = round_half_up(weekly * days, 7 * 100)
        difference = ""
        if weekly != indicative:
            difference = f" (indicative £{budget.indicative_weekly} a week)"
        lines.append(
            InvoiceLine(
                None,
                package_id,
                budget.person_id,
                start,
                "Agreed personal budget",
                quantity(days),
                "days",
                0,
                pence_to_pounds(round_half_up(weekly, 700)),
                amount,
                refs,
                f"Agreed budget £{budget.agreed_weekly} a week{difference} for {days} day(s) "
                f"of the period = {days}/7 of a week, rounded half up to the penny.",
            )
        )
    return lines, warnings
