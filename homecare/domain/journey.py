"""Rules of a person's journey: changes to care, hospital holds, hand-back
notice and Discharge to Assess.

Every number comes from the contract's rulebook and is passed in; every answer
says which clause it rests on, so a page can show the reason and the clause.

Plain Python: no Django import.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta

from homecare.domain import clocks
from homecare.domain.deadlines import add_months


class ChangeKind(enum.StrEnum):
    INCREASE = "increase"
    REDUCTION = "reduction"
    CESSATION = "cessation"
    HANDEDNESS = "handedness"

    @property
    def label(self) -> str:
        return {
            "increase": "Increase",
            "reduction": "Reduction",
            "cessation": "Cessation (care ends)",
            "handedness": "Single to double-handed, or back",
        }[self.value]


@dataclass(frozen=True)
class Reason:
    """Why a change is refused or goes to the council: words and clauses."""

    message: str
    refs: tuple[str, ...]
    field: str | None = None

    def text(self) -> str:
        return f"{self.message} ({', '.join(self.refs)})" if self.refs else self.message


#: The short-term checklist (LAN-ST-6.1, LAN-ST-6.5): each concern that, if
#: present, means the council decides. Field name -> label.
CONCERNS = {
    "capacity_concerns": "Concerns about mental capacity",
    "background_concerns": "Concerns about background history",
    "complex_health": "Complex health conditions",
    "social_care_concerns": "Other social care concerns",
    "safeguarding_alert": "An active safeguarding alert",
    "community_health_input": "Significant community health input",
    "family_concerns": "Family or next-of-kin concerns",
    "awaiting_onward_package": "Waiting for an onward package",
}
#: Concerns LAN-ST-6.1 names for a reduction (the rest apply to cessation only).
REDUCTION_CONCERNS = (
    "capacity_concerns",
    "background_concerns",
    "complex_health",
    "social_care_concerns",
)


@dataclass(frozen=True)
class ChangeRules:
    """A contract's rules for provider-initiated changes (from the rulebook).

    ``reduce``/``cease``: "any" (no approval), "checklist" (no approval when the
    short-term checklist is clear), "person_declines" (no approval when the
    person says the hours are not needed), "council" (always the council).
    """

    increase_daily_minutes: int
    increase_weekly_minutes: int
    increase_refs: tuple[str, ...]
    reduce: str
    reduce_refs: tuple[str, ...]
    cease: str
    cease_refs: tuple[str, ...]
    double_handed_needs_ot: bool
    double_handed_refs: tuple[str, ...]


@dataclass(frozen=True)
class ChangeFacts:
    """What the provider says about a proposed change."""

    declared: ChangeKind
    before: tuple[int, ...]  # worker minutes per weekday (Monday first)
    after: tuple[int, ...]
    workers_before: int = 1
    workers_after: int = 1
    starts_on: date | None = None
    agreed_with: str = ""
    reason: str = ""
    risk_assessed: bool = False
    person_agrees: bool = False
    goals_met: bool = False
    concerns: frozenset[str] = frozenset()
    ot_assessed: bool = False
    plan_reviewed: bool = False


@dataclass
class Assessment:
    """The verdict: refused (with reasons), for the council to decide, or the
    provider may go ahead on its own authority."""

    actual: ChangeKind
    refusals: list[Reason] = field(default_factory=list)
    to_council: list[Reason] = field(default_factory=list)

    @property
    def refused(self) -> bool:
        return bool(self.refusals)

    @property
    def needs_council(self) -> bool:
        return not self.refusals and bool(self.to_council)


def actual_kind(facts: ChangeFacts) -> ChangeKind:
    if sum(facts.after) == 0:
        return ChangeKind.CESSATION
    if facts.workers_before != facts.workers_after:
        return ChangeKind.HANDEDNESS
    return ChangeKind.INCREASE if sum(facts.after) > sum(facts.before) else ChangeKind.REDUCTION


def _hours(minutes: int) -> str:
    hours, mins = divmod(minutes, 60)
    if not mins:
        return f"{hours} hour{'s' if hours != 1 else ''}"
    return f"{hours} h {mins:02d} min" if hours else f"{mins} minutes"


def assess_change(facts: ChangeFacts, rules: ChangeRules, *, today: date) -> Assessment:
    """Decide what may happen to a provider's proposed change to care."""
    actual = actual_kind(facts)
    out = Assessment(actual=actual)
    refuse, ask = out.refusals.append, out.to_council.append
    if facts.starts_on is None:
        refuse(Reason("Give the date the change starts.", ("LAN-HC-5.5",), "starts_on"))
    elif facts.starts_on < today:
        refuse(
            Reason(
                f"A change cannot start in the past ({facts.starts_on:%d %B %Y}); "
                "agree a start date from today with the person.",
                ("LAN-HC-5.5",),
                "starts_on",
            )
        )
    if not facts.agreed_with.strip():
        refuse(
            Reason(
                "Say who agreed the change (the person, family or advocate).",
                ("LAN-HC-5.5",),
                "agreed_with",
            )
        )
    if not facts.reason.strip():
        refuse(Reason("Give the reason for the change.", ("LAN-HC-5.5", "LAN-ST-6.4"), "reason"))
    if not facts.risk_assessed:
        refuse(
            Reason(
                "Risk assessments must be done before a change.", ("LAN-HC-5.5",), "risk_assessed"
            )
        )
    if facts.declared == ChangeKind.REDUCTION and actual == ChangeKind.CESSATION:
        refuse(
            Reason(
                "This reduces the care to nothing, which ends the package: a reduction may not "
                "cease the package. Propose a cessation instead.",
                rules.reduce_refs or ("LAN-HC-5.3",),
                "declared",
            )
        )
    elif facts.declared != actual:
        refuse(
            Reason(
                f"The pattern you chose is {actual.label.lower()}, not "
                f"{facts.declared.label.lower()}; choose the kind that matches.",
                (),
                "declared",
            )
        )
    if out.refusals:
        return out
    needs_ot = rules.double_handed_needs_ot and not (facts.ot_assessed and facts.plan_reviewed)
    if actual == ChangeKind.HANDEDNESS and needs_ot:
        refuse(
            Reason(
                "Changing between single and double-handed care needs an OT assessment "
                "and a plan review first.",
                rules.double_handed_refs,
                "ot_assessed",
            )
        )
        return out
    added = [max(0, a - b) for a, b in zip(facts.after, facts.before, strict=True)]
    weekly = sum(facts.after) - sum(facts.before)
    if any(added):
        most = max(added)
        if most > rules.increase_daily_minutes or weekly > rules.increase_weekly_minutes:
            if rules.increase_daily_minutes == 0 and rules.increase_weekly_minutes == 0:
                message = "This contract lets the provider add no care without the council."
            else:
                message = (
                    f"This adds {_hours(most)} on one day and {_hours(max(weekly, 0))} a week; "
                    f"the provider may add at most {_hours(rules.increase_daily_minutes)} a day "
                    f"and {_hours(rules.increase_weekly_minutes)} a week without approval."
                )
            ask(Reason(message + " It goes to the council to decide.", rules.increase_refs))
    if actual == ChangeKind.REDUCTION:
        _permission(out, facts, rules.reduce, rules.reduce_refs, REDUCTION_CONCERNS, "reduce")
    if actual == ChangeKind.CESSATION:
        _permission(out, facts, rules.cease, rules.cease_refs, tuple(CONCERNS), "cease")
        if rules.cease == "checklist" and not facts.goals_met:
            ask(Reason("The person's goals are not yet met.", rules.cease_refs))
    return out


def _permission(out, facts, rule, refs, concerns, verb) -> None:
    ask = out.to_council.append
    if rule == "any":
        return
    if rule == "council":
        ask(Reason(f"Under this contract only the council may agree to {verb} care.", refs))
        return
    if rule == "person_declines":
        if not facts.person_agrees:
            ask(
                Reason(
                    "Only the council may agree to this, unless the person says the hours "
                    "are not needed.",
                    refs,
                )
            )
        return
    if not facts.person_agrees:
        ask(Reason("The person has not agreed.", refs))
    present = [CONCERNS[c] for c in concerns if c in facts.concerns]
    if present:
        ask(Reason(f"The checklist is not clear: {'; '.join(present)}.", refs))


def daily_minutes(lines) -> tuple[int, ...]:
    """Worker minutes per weekday from ``(weekday, minutes, workers)`` lines."""
    days = [0] * 7
    for weekday, minutes, workers in lines:
        days[weekday] += minutes * workers
    return tuple(days)


# ---- Hospital ---------------------------------------------------------------


class Place(enum.StrEnum):
    WARD = "ward"
    A_AND_E = "a_and_e"

    @property
    def label(self) -> str:
        return {"ward": "Admitted to a ward", "a_and_e": "In A&E or assessment"}[self.value]


@dataclass(frozen=True)
class HoldPlan:
    """What an admission does to the package.

    ``action``: "hold" (visits stop, the package is kept until ``hold_until``,
    then suspended) or "cease" (short-term care ends at once). ``paid_until``
    and ``paid_percent``: the visits cancelled before ``paid_until`` are still
    paid at that share (LAN-HC-6.1). ``after_hold``: what happens when the
    hold runs out: "suspend" or "cease".
    """

    action: str
    hold_until: datetime
    after_hold: str
    paid_until: datetime
    paid_percent: int
    refs: tuple[str, ...]


def hold_plan(
    *,
    place: Place,
    admitted_at: datetime,
    admission_ceases_service: bool,
    hold_minutes: int,
    paid_percent: int,
    a_and_e_minutes: int,
    refs: tuple[str, ...] = (),
) -> HoldPlan:
    """LAN-HC-6.1 (long-term: held then suspended) and LAN-ST-4.14 (short-term:
    ceases on a ward, open up to ``a_and_e_minutes`` in A&E)."""
    if admitted_at.tzinfo is None:
        raise ValueError("admitted_at must be timezone-aware")
    start = admitted_at.astimezone(UTC)
    if admission_ceases_service:
        if place == Place.WARD:
            return HoldPlan("cease", start, "cease", start, 0, refs)
        until = start + timedelta(minutes=a_and_e_minutes)
        paid = until if paid_percent else start
        return HoldPlan("hold", until, "cease", paid, paid_percent, refs)
    until = start + timedelta(minutes=hold_minutes)
    paid = until if paid_percent else start
    return HoldPlan("hold", until, "suspend", paid, paid_percent, refs)


# ---- Hand-back ----------------------------------------------------------------


def earliest_last_day(given_on: date, amount: int, unit: str, nation: str) -> date:
    """The first day a package may be handed back when notice is given on
    ``given_on`` (KENT-3.10.1: working days exclude weekends and the nation's
    bank holidays)."""
    if unit == "working_days":
        day, counted = given_on, 0
        while counted < amount:
            day += timedelta(days=1)
            counted += clocks.is_working_day(day, nation)
        return day
    if unit == "days":
        return given_on + timedelta(days=amount)
    if unit == "weeks":
        return given_on + timedelta(weeks=amount)
    if unit == "months":
        return add_months(given_on, amount)
    raise ValueError(f"Cannot count notice in {unit!r}")


def handback_notice_problem(
    *, given_on: date, last_day: date, amount: int, unit: str, nation: str, refs: tuple[str, ...]
) -> Reason | None:
    """Why ``last_day`` is too soon, or None when the notice is long enough."""
    earliest = earliest_last_day(given_on, amount, unit, nation)
    if last_day >= earliest:
        return None
    words = unit.replace("_", " ")
    return Reason(
        f"A hand-back needs {amount} {words}' notice: given on {given_on:%d %B %Y}, the last "
        f"day can be {earliest:%A %d %B %Y} at the earliest.",
        refs,
        "last_day",
    )


#: What is handed over on the last day (KENT-3.10.2) and before closing (LAN-ST-4.26).
HANDOVER_ITEMS = {
    "communications_record": ("The communications record", ("KENT-3.10.2",)),
    "action_plan": ("The action plan", ("KENT-3.10.2",)),
    "onward_needs": ("Further needs handed over to the council", ("LAN-ST-4.26",)),
}


def handover_missing(done: set[str]) -> list[Reason]:
    return [
        Reason(f"{label} has not been handed over.", refs, key)
        for key, (label, refs) in HANDOVER_ITEMS.items()
        if key not in done
    ]


# ---- Discharge to Assess --------------------------------------------------------


def d2a_end(starts_on: date, length_days: int, extension_days: int, extended: bool) -> date:
    """The last day of Discharge to Assess support (KENT-2.1.8: up to 3 days,
    extendable by 2)."""
    return starts_on + timedelta(days=length_days + (extension_days if extended else 0) - 1)
