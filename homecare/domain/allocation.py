"""Who may be offered a referral, and by when they must answer and start.

Plain data in, plain data out: the referrals app gathers each candidate
contract's facts and rulebook numbers, this module decides.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from .clocks import Calendar, due_at

#: CQC ratings from worst to best; "not rated" passes no gate.
CQC_ORDER = ["inadequate", "requires_improvement", "good", "outstanding"]

#: Which rulebook entry times the answer, by kind of referral.
RESPONSE_RULE = {
    "hospital_discharge": "referral.response.hospital_discharge",
    "urgent_community": "referral.response.urgent",
    "planned": "referral.response.planned",
    "restart": "referral.response.restart",
}
#: Which rulebook entry bounds the start after the response window.
START_RULE = {
    "hospital_discharge": "referral.start.after_window.hospital_discharge",
    "urgent_community": "referral.start.after_window.hospital_discharge",
    "planned": "referral.start.after_window.planned",
    "restart": "referral.start.after_window.hospital_discharge",
}


@dataclass(frozen=True)
class Candidate:
    """One provider contract that might be offered the referral."""

    contract_id: object
    provider_id: object
    provider_name: str
    area_ids: frozenset
    allocation: str  # boundary | lot | cluster_with_neighbours | county_wide
    sanction_level: int = 0  # highest level in force
    sanction_stop_level: int = 3
    cqc_rating: str = ""
    cqc_gate: str = "none"
    grades: tuple[int, ...] = ()  # newest first
    min_grade: int = 0
    inspections: int = 0


@dataclass(frozen=True)
class Decision:
    candidate: Candidate
    eligible: bool
    reason: str
    neighbouring: bool = False


@dataclass
class Eligibility:
    offered: list[Decision] = field(default_factory=list)
    excluded: list[Decision] = field(default_factory=list)


def decide(candidates: list[Candidate], *, area_id, neighbours: dict | None = None) -> Eligibility:
    """Split ``candidates`` into those to offer and those excluded, each with why.

    - area (LAN-ST-4.1 boundaries, DERBY-LOTS lots; KENT-3.6.8 neighbouring
      clusters allowed; ELOTH-3.11 county-wide);
    - a sanction at the stop level stops offers (KENT-5.2.4);
    - a quality gate: a CQC rating at least the gate (DERBY-4.3), or the last N
      inspection grades at least the minimum (ELOTH-3.13).
    """
    neighbours = neighbours or {}
    out = Eligibility()
    for c in candidates:
        decision = _decide_one(c, area_id, neighbours)
        (out.offered if decision.eligible else out.excluded).append(decision)
    out.offered.sort(key=lambda d: (d.neighbouring, d.candidate.provider_name))
    out.excluded.sort(key=lambda d: d.candidate.provider_name)
    return out


def _decide_one(c: Candidate, area_id, neighbours: dict) -> Decision:
    neighbouring = False
    if c.allocation != "county_wide" and area_id not in c.area_ids:
        near = set().union(*(neighbours.get(a, set()) for a in c.area_ids)) if c.area_ids else set()
        if c.allocation == "cluster_with_neighbours" and area_id in near:
            neighbouring = True
        else:
            return Decision(c, False, "Does not cover the person's area")
    if c.sanction_level and c.sanction_level >= c.sanction_stop_level:
        return Decision(
            c, False, f"Level {c.sanction_level} sanction in force: no new referrals (KENT-5.2.4)"
        )
    if c.cqc_gate != "none":
        rating = c.cqc_rating or "not rated"
        if c.cqc_rating not in CQC_ORDER or CQC_ORDER.index(c.cqc_rating) < CQC_ORDER.index(
            c.cqc_gate
        ):
            gate = c.cqc_gate.replace("_", " ")
            return Decision(
                c, False, f"CQC rating {rating.replace('_', ' ')} is below {gate} (DERBY-4.3)"
            )
    if c.inspections:
        recent = c.grades[: c.inspections]
        if len(recent) < c.inspections or min(recent) < c.min_grade:
            shown = ", ".join(str(g) for g in recent) or "none"
            return Decision(
                c,
                False,
                f"Needs grade {c.min_grade}+ in the last {c.inspections} inspections; "
                f"has {shown} (ELOTH-3.13)",
            )
    reason = "Neighbouring cluster (KENT-3.6.8)" if neighbouring else "Covers the person's area"
    return Decision(c, True, reason, neighbouring=neighbouring)


def answer_due(offered_at: datetime, kind: str, rules) -> tuple[datetime, str]:
    """When the provider's answer is due, and the rulebook entry that says so."""
    key = RESPONSE_RULE[kind]
    entry = rules.entry(key)
    due = due_at(
        offered_at,
        entry.value,
        entry.unit,
        clock=rules.value("referral.response.clock"),
        calendar=Calendar.from_rulebook(rules),
    )
    return due, key


def latest_start(answer_due_at: datetime, kind: str, rules) -> tuple[datetime, str]:
    """The latest start the provider may offer (LAN-HC-3.7, LAN-HC-3.9): the
    rulebook's allowance after the response window ends."""
    key = START_RULE[kind]
    entry = rules.entry(key)
    return due_at(
        answer_due_at, entry.value, entry.unit, calendar=Calendar.from_rulebook(rules)
    ), key


def start_problem(
    *, start: date, today: date, latest: date, requested: date | None = None
) -> str | None:
    """Why a proposed start date cannot be accepted, or None."""
    if start < today:
        return "The start date is in the past"
    if start > latest:
        return f"The start must be on or before {latest:%A %-d %B}"
    return None


def next_batch(now_local: datetime, batch_time) -> datetime:
    """The next daily batch at ``batch_time`` (local) after ``now_local`` (LAN-HC-3.2)."""
    candidate = now_local.replace(
        hour=batch_time.hour, minute=batch_time.minute, second=0, microsecond=0
    )
    return candidate if candidate > now_local else candidate + timedelta(days=1)
