"""What a rulebook must state: every key, the units it may use and its type.

Every rulebook (``homecare/rulebooks/<slug>/v<n>.toml``) states every key in
:data:`SCHEMA`, in the council's own numbers where its specification sets
them and as a labelled homecare default where it is silent. Code reads these
keys by name, so renaming one is a breaking change.

Conventions: a duration or count of 0 in a key whose description says
"0 = ..." means the rule does not apply to that contract.

Plain Python: no Django import.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import time
from decimal import Decimal

#: Units that are lengths of time.
DURATION_UNITS = ("minutes", "hours", "days", "working_days", "weeks", "months", "years")

#: Every unit a rulebook entry may use.
UNITS = (
    *DURATION_UNITS,
    "percent",
    "gbp",
    "count",
    "grade",
    "time",
    "bool",
    "choice",
    "text",
)

#: The Python type of an entry's value, by unit.
UNIT_TYPES: dict[str, type] = {
    **dict.fromkeys(DURATION_UNITS, int),
    "percent": Decimal,
    "gbp": Decimal,
    "count": int,
    "grade": int,
    "time": time,
    "bool": bool,
    "choice": str,
    "text": str,
}

#: Minutes in one of each unit that converts exactly (working days, months
#: and years depend on the calendar, so they do not).
MINUTES_PER_UNIT = {"minutes": 1, "hours": 60, "days": 24 * 60, "weeks": 7 * 24 * 60}

#: Display labels for choice values (anything not here is shown capitalised,
#: underscores as spaces).
CHOICE_LABELS = {
    "gps_tag_manual": "GPS, home tag or manual (approved)",
    "gps_tag": "GPS or home tag",
    "gps_manual": "GPS or manual (approved)",
    "tag_manual": "Home tag or manual (approved)",
    "gps": "GPS only",
    "tag": "Home tag only",
    "mon-fri": "Monday to Friday",
    "every_day": "Every day",
    "immediate": "As soon as made",
    "daily_batch": "Once a day, in a batch",
    "boundary": "Within the provider's geographical boundary",
    "cluster_with_neighbours": "Own cluster, and neighbouring clusters when needed",
    "county_wide": "Across the whole county",
    "lot": "By lot",
    "calendar": "Calendar time",
    "operating_hours": "Operating hours only",
    "working_days": "Working days only",
    "none": "No minimum",
    "requires_improvement": "Requires improvement",
    "kent_units": "Kent day units and night sessions",
    "quarterly_block": "Quarterly block payment",
    "personal_budget": "Personal budget",
    "four_weeks": "Four weeks",
    "pro_rata": "Pro rata from the hourly rate",
    "day_units": "In further day units",
    "any": "Any amount, without approval",
    "checklist": "Without approval when the checklist is clear",
    "person_declines": "Without approval when the person says the hours are not needed",
    "council": "Only with the council's agreement",
    "planned": "The planned duration",
    "actual": "The actual duration",
    "actual_capped": "The actual duration, never above the planned",
    "nearest": "To the nearest step",
    "down": "Down, with the tolerance",
    "up": "Up, with the tolerance",
    "payment_period": "Within the payment period",
    "no_cap": "No cap (over-delivery flagged only)",
}

#: Headings for :meth:`Rulebook.sections`, by the first part of the key.
SECTION_TITLES = {
    "operating_hours": "Operating hours",
    "referral": "Referrals",
    "visit": "Visits",
    "continuity": "Continuity of care",
    "plan": "Care plans",
    "review": "Reviews",
    "records": "Records",
    "package": "Packages",
    "change": "Changes to packages",
    "hospital": "Hospital stays",
    "billing": "Billing",
    "block": "Block contracts",
    "notice": "Notice",
    "notify": "Notifications to the council",
    "sanction": "Sanctions",
    "training": "Training",
    "supervision": "Supervision",
    "workforce": "Workforce",
    "emergency_response": "Emergency response",
    "gifts": "Gifts",
}


@dataclass(frozen=True)
class EntrySpec:
    """What one rulebook key may hold.

    ``value_type`` is the Python type of the parsed value (an ``int`` for
    durations, counts and grades; ``Decimal`` for percent and money;
    ``datetime.time``; ``bool``; ``str`` for choice and text).
    """

    units: tuple[str, ...]
    value_type: type
    description: str
    choices: tuple[str, ...] = ()
    minimum: int | None = None
    maximum: int | None = None

    def __post_init__(self) -> None:
        for unit in self.units:
            if unit not in UNITS:
                raise ValueError(f"unknown unit {unit!r}")
            if UNIT_TYPES[unit] is not self.value_type:
                raise ValueError(f"unit {unit!r} does not hold {self.value_type.__name__}")
        if ("choice" in self.units) != bool(self.choices):
            raise ValueError("choices are given exactly when the unit is 'choice'")


def _duration(units: str, description: str) -> EntrySpec:
    return EntrySpec(tuple(units.split()), int, description, minimum=0)


def _percent(description: str, maximum: int = 100) -> EntrySpec:
    return EntrySpec(("percent",), Decimal, description, minimum=0, maximum=maximum)


def _count(description: str, minimum: int = 0, maximum: int | None = None) -> EntrySpec:
    return EntrySpec(("count",), int, description, minimum=minimum, maximum=maximum)


def _grade(description: str) -> EntrySpec:
    return EntrySpec(("grade",), int, description, minimum=0, maximum=6)


def _time(description: str) -> EntrySpec:
    return EntrySpec(("time",), time, description)


def _bool(description: str) -> EntrySpec:
    return EntrySpec(("bool",), bool, description)


def _choice(choices: str, description: str) -> EntrySpec:
    return EntrySpec(("choice",), str, description, choices=tuple(choices.split()))


def _money(description: str) -> EntrySpec:
    return EntrySpec(("gbp",), Decimal, description, minimum=0)


_TRAINING = "How often {} training is refreshed."

#: Every key a rulebook states, in display order.
SCHEMA: dict[str, EntrySpec] = {
    # Operating hours: the office day that "during operating hours" clocks run in.
    "operating_hours.start": _time("When the provider's operating (office) day starts."),
    "operating_hours.end": _time("When the provider's operating (office) day ends."),
    "operating_hours.days": _choice("mon-fri every_day", "Which days are operating days."),
    # Referrals.
    "referral.publish": _choice(
        "immediate daily_batch",
        "How new referrals reach providers (urgent work always goes at once).",
    ),
    "referral.publish.batch_time": _time("When the daily batch of referrals is published."),
    "referral.allocation": _choice(
        "boundary cluster_with_neighbours county_wide lot",
        "Which providers a referral is offered to.",
    ),
    "referral.response.clock": _choice(
        "calendar operating_hours working_days",
        "What time counts towards a referral response deadline.",
    ),
    "referral.response.urgent": _duration(
        "minutes hours", "Time to accept or decline an urgent referral."
    ),
    "referral.response.planned": _duration(
        "hours working_days", "Time to accept or decline a planned referral."
    ),
    "referral.response.hospital_discharge": _duration(
        "hours working_days", "Time to accept or decline a hospital discharge referral."
    ),
    "referral.response.restart": _duration(
        "minutes hours", "Time to confirm a package can restart (after a hospital stay)."
    ),
    "referral.start.after_window.planned": _duration(
        "hours days working_days", "Latest start of a planned package, after the response window."
    ),
    "referral.start.after_window.hospital_discharge": _duration(
        "hours days", "Latest start of a hospital discharge package, after the response window."
    ),
    "referral.start.tolerance": _duration(
        "minutes hours", "How far the first visit may be from the promised start time."
    ),
    "referral.split_allowed": _bool("Whether a package may be shared between providers."),
    "referral.cancellation.committed": _duration(
        "days", "After a short-notice cancellation, how long visits with staff committed stand."
    ),
    "referral.sanction_stop_level": _count(
        "The sanction level at which a provider stops receiving referrals.", 1, 3
    ),
    "referral.quality_gate.cqc_rating": _choice(
        "none requires_improvement good outstanding",
        "The lowest CQC rating a provider may hold and still receive referrals.",
    ),
    "referral.quality_gate.min_grade": _grade(
        "The lowest Care Inspectorate grade (1-6) needed in each of the last inspections; "
        "0 = no grade gate."
    ),
    "referral.quality_gate.inspections": _count(
        "How many recent inspections the grade gate looks at; 0 = no grade gate."
    ),
    "referral.quality_gate.personal_budget_grade": _grade(
        "The grade needed in each of those inspections for uplifts and the personal budget "
        "model; 0 = no grade needed."
    ),
    # Visits.
    "visit.late_threshold": _duration(
        "minutes hours",
        "A call starting this far or more from its ordered time is late (or early).",
    ),
    "visit.missed_threshold": _duration(
        "minutes hours", "A call starting more than this after its ordered time counts as missed."
    ),
    "visit.travel_allowance": _duration("minutes", "Travel time included in each visit."),
    "visit.day_block_min": _duration("minutes hours", "Shortest day block of care."),
    "visit.overnight_block_min": _duration("minutes hours", "Shortest overnight block of care."),
    "visit.overnight_visit_min": _duration("minutes", "Shortest overnight visit."),
    "visit.overnight_visit_max": _duration("minutes", "Longest overnight visit."),
    "visit.double_handed_arrival_together": _bool(
        "Whether both workers on a double-handed call must arrive before care starts."
    ),
    "visit.checkin_radius_metres": _count(
        "How far (metres) from the home a GPS check-in or check-out may be and still verify.",
        10,
        5000,
    ),
    "visit.checkin_methods": _choice(
        "gps_tag_manual gps_tag gps_manual tag_manual gps tag",
        "How a check-in may be verified: GPS near the home, the home's QR/NFC tag, or a "
        "manual reason the coordinator approves.",
    ),
    # Continuity.
    "continuity.team_target": _count("Ideal largest team of workers for one person.", 1),
    "continuity.team_max": _count("Largest team for high-hour packages.", 1),
    # Plans, reviews, records, packages.
    "plan.due_after_start": _duration(
        "days working_days",
        "The provider's plan is due this long after the start; 0 = no such deadline.",
    ),
    "plan.due_by_visit": _count(
        "The provider's plan is complete by this visit; 0 = no such deadline."
    ),
    "plan.missing_report_after": _duration(
        "days",
        "People on the service this long without a plan are listed to the council; "
        "0 = no such list.",
    ),
    "plan.missing_report_per_week": _count(
        "How many times a week the list of people without a plan is sent; 0 = never."
    ),
    "review.first": _duration("days weeks", "First review after the package starts."),
    "review.statutory": _duration("months", "Longest gap between statutory reviews."),
    "review.pprif_before": _duration(
        "days weeks", "Pre-review information form due this long before a review; 0 = no form."
    ),
    "records.review_interval": _duration("weeks months", "How often the provider reviews records."),
    "package.max_length": _duration(
        "weeks", "Packages longer than this are flagged as exceptions; 0 = no maximum."
    ),
    # Changes to packages.
    "change.increase_limit_daily": _duration(
        "minutes", "Hours a provider may add per day without approval."
    ),
    "change.increase_limit_weekly": _duration(
        "hours", "Hours a provider may add per week without approval."
    ),
    "change.report_within": _duration(
        "hours", "A provider's change to care is reported within this; 0 = before it takes effect."
    ),
    "change.emergency_extra": _duration(
        "minutes", "Extra worker time a provider may add in an emergency without consent."
    ),
    "change.reduce_without_approval": _choice(
        "any checklist person_declines council",
        "When a provider may reduce care without the council's approval.",
    ),
    "change.cease_without_approval": _choice(
        "any checklist person_declines council",
        "When a provider may cease care without the council's approval.",
    ),
    "change.double_handed_needs_ot": _bool(
        "Whether a change between single and double-handed care needs an OT assessment and "
        "a plan review first."
    ),
    # Hospital.
    "hospital.d2a_length": _duration(
        "days", "Discharge to Assess support after a hospital discharge; 0 = no such service."
    ),
    "hospital.d2a_extension": _duration(
        "days", "How far Discharge to Assess support may be extended, once; 0 = no extension."
    ),
    "hospital.a_and_e_hold": _duration(
        "hours days", "How long care stays open while the person is in A&E or assessment."
    ),
    "hospital.admission_ceases_service": _bool(
        "Whether admission to a ward ends the service (otherwise the package is suspended)."
    ),
    # Billing.
    "billing.model": _choice(
        "hourly kent_units block quarterly_block personal_budget", "How care is paid for."
    ),
    "billing.period": _choice("week four_weeks quarter month", "The payment period."),
    "billing.unit_30_percent": _percent("A half-hour day unit is paid at this share of an hour."),
    "billing.unit_45_percent": _percent(
        "A three-quarter-hour day unit is paid at this share of an hour."
    ),
    "billing.unit_60_percent": _percent("A full-hour day unit is paid at this share of an hour."),
    "billing.day_hours.start": _time("When day support (day units) starts."),
    "billing.day_hours.end": _time("When day support ends and night support starts."),
    "billing.night_session": _duration("hours", "Length of one night support session."),
    "billing.over_hour": _choice(
        "pro_rata day_units", "How continuous support beyond one hour is paid."
    ),
    "billing.carry_forward_cap": _percent(
        "Unused block hours carried to the next period, as a share of the block; 0 = never."
    ),
    "billing.hospital_hold": _duration(
        "hours days", "How long a package is held and paid after a hospital admission."
    ),
    "billing.hospital_hold_rate": _percent("Share of the package cost paid while it is held."),
    "billing.assessment_paid_max": _duration(
        "minutes", "Most time paid for the first assessment visit; 0 = not paid."
    ),
    "billing.bank_holiday_uplift": _percent("Extra paid for bank holiday care.", maximum=200),
    "billing.duration_basis": _choice(
        "planned actual actual_capped",
        "Which duration of a visit is paid: the planned, the actual, or the actual "
        "never above the planned.",
    ),
    "billing.unit_rounding": _choice(
        "nearest down up", "How a visit's duration is rounded to the paid step."
    ),
    "billing.rounding_step": _duration("minutes", "The step paid durations are rounded to."),
    "billing.unit_tolerance": _duration(
        "minutes",
        "Rounding down, a visit this much short of the next step is paid the step; rounding "
        "up, this much over a step is not paid the next one.",
    ),
    "billing.flexible_window": _choice(
        "payment_period week no_cap",
        "Where commissioned hours may be moved and what caps payment: the whole payment "
        "period, each week, or no cap (over-delivery is only flagged).",
    ),
    "billing.max_duration": _duration(
        "hours", "A recorded visit longer than this is an error, not an invoice line."
    ),
    # Block contracts.
    "block.usage_alert": _percent("The council is told when block usage reaches this share."),
    "block.capacity_update_by": _time(
        "The daily capacity update (hours used, people, capacity, pressures) is ready by then."
    ),
    "block.increase_notice": _duration("weeks", "Notice of an increase in block hours."),
    "block.decrease_notice": _duration("weeks", "Notice of a decrease in block hours."),
    "block.reoffer_variance": _percent(
        "The block is re-offered when volume moves by more than this share."
    ),
    "block.review_window": _duration("months", "The period over which block volume is compared."),
    # Notice.
    "notice.handback": _duration(
        "days working_days weeks months", "Notice a provider gives to hand a package back."
    ),
    # Notifications to the council.
    "notify.hospital_admission": _bool("Whether every hospital admission is notified."),
    "notify.goal_achieved": _bool(
        "Whether the council is told when a person achieves a goal (an improvement)."
    ),
    "notify.emergency_within": _duration(
        "hours", "Written follow-up to the council after an emergency."
    ),
    "notify.inspection_within": _duration(
        "hours", "Time to tell the council a regulatory inspection has taken place."
    ),
    "notify.rating_fall_within": _duration(
        "days working_days", "Time to tell the council the regulator's rating has fallen."
    ),
    "notify.refusals_in_a_row": _count(
        "Refusals in consecutive visits that the council is told about.", 1
    ),
    # Sanctions.
    "sanction.action_plan_within": _duration(
        "days", "Time to return an action plan after non-compliance is evidenced."
    ),
    "sanction.episodes_limit": _count(
        "More episodes of non-compliance than this in the window can end the contract.", 1
    ),
    "sanction.episodes_window": _duration("months", "The window for counting episodes."),
    # Training.
    "training.safeguarding_refresh": _duration("months years", _TRAINING.format("safeguarding")),
    "training.dbs_refresh": _duration(
        "months years", "How often criminal record (DBS or PVG) checks are repeated."
    ),
    "training.induction_within": _duration(
        "weeks", "Induction is complete within this of starting."
    ),
    "training.medication_refresh": _duration("months years", _TRAINING.format("medication")),
    "training.moving_assisting_refresh": _duration(
        "months years", _TRAINING.format("moving and assisting")
    ),
    "training.first_aid_refresh": _duration("months years", _TRAINING.format("first aid")),
    "training.food_hygiene_refresh": _duration("months years", _TRAINING.format("food hygiene")),
    "training.challenging_behaviour_refresh": _duration(
        "months years", _TRAINING.format("challenging behaviour")
    ),
    "training.mca_refresh": _duration("months years", _TRAINING.format("Mental Capacity Act")),
    "training.data_protection_refresh": _duration(
        "months years", _TRAINING.format("data protection and record keeping")
    ),
    "training.human_rights_within": _duration(
        "weeks months", "Human rights and abuse prevention training within this of starting."
    ),
    "training.human_rights_refresh": _duration(
        "months years", _TRAINING.format("human rights and abuse prevention")
    ),
    "training.qualification_within": _duration(
        "months years", "Care workers hold a Level 2 qualification within this of starting."
    ),
    # Supervision.
    "supervision.interval": _duration("weeks months", "Longest gap between supervisions."),
    "supervision.observed_per_year": _count("Observed supervisions a year."),
    "supervision.appraisal_interval": _duration("months", "Longest gap between appraisals."),
    # Workforce.
    "workforce.id_card_max": _duration("months", "Longest validity of a staff identity card."),
    "workforce.id_card_return_within": _duration(
        "hours", "An identity card is returned within this when employment ends."
    ),
    "workforce.licence_check_interval": _duration(
        "months", "How often a driving worker's licence is checked."
    ),
    "workforce.driving_endorsements_max": _count(
        "Most licence endorsements a worker who drives people may have."
    ),
    # Emergency response (alarm calls).
    "emergency_response.target": _duration("minutes", "Alarm calls are answered within this."),
    "emergency_response.target_share": _percent("Share of alarm calls answered within target."),
    # Gifts.
    "gifts.max_value": _money("Workers refuse gifts worth more than this."),
}
