"""Demo plans, SMART goals, reviews and records checks, so the what-is-due page
looks like a real Monday: most people have a plan, their first review and a
recent records check; a few recent starts still need a plan, some reviews are
coming up this week and a handful are overdue.

Its own random stream (from the world's seed) and its own ids, so adding it
changes nothing else in the world.
"""

from __future__ import annotations

import random
import uuid
from datetime import UTC, date, datetime, time, timedelta

from homecare.domain.deadlines import add_months
from homecare.plans.models import (
    CarePlan,
    Goal,
    GoalProgress,
    PlanVersion,
    RecordsCheck,
    Review,
)

from . import bulk

_REASON = "Demo data"

OUTCOMES = [
    (
        "Independence in personal care",
        "Wash her upper body at the basin without help",
        "Three mornings in a row with only a prompt",
        "With a perching stool and a long-handled sponge",
    ),
    (
        "Eating and drinking well",
        "Make a hot drink and a light breakfast",
        "Five breakfasts a week made alone, logged in the care notes",
        "With a kettle tipper and a kitchen trolley",
    ),
    (
        "Getting out and about",
        "Walk to the corner shop and back with a frame",
        "Twice a week, accompanied, without a rest stop",
        "Physiotherapy exercises between visits",
    ),
    (
        "Managing medicines",
        "Take morning tablets from the blister pack when prompted",
        "No missed morning doses for four weeks on the MAR chart",
        "Blister pack from the pharmacy; visual prompt card",
    ),
    (
        "Staying connected",
        "Join the Thursday lunch club at the community centre",
        "Attends three Thursdays in a month",
        "Transport booked; a worker goes along the first time",
    ),
]
DIETS = ["Soft food, thickened fluids", "Diabetic diet", "Vegetarian", "No special diet", "Halal"]
FAITHS = ["Church of England; likes Songs of Praise", "Catholic", "Muslim", "None stated"]


def _noon(day: date) -> datetime:
    return datetime.combine(day, time(11), tzinfo=UTC)


class _Ids:
    def __init__(self, rng):
        self.rng = rng

    def __call__(self):
        return uuid.UUID(int=self.rng.getrandbits(128), version=4)


def build(builder) -> dict[str, int]:
    """Plans, goals, reviews and checks for the world's live packages."""
    rng = random.Random(f"plans-{builder.spec.size}-{len(builder.people)}")
    ids, today = _Ids(rng), builder.today
    rows: dict[str, list] = {
        "plans": [],
        "versions": [],
        "goals": [],
        "progress": [],
        "reviews": [],
        "checks": [],
    }
    for person in builder.people:
        package = person.package
        if package.status not in ("active", "suspended") or package.start_date > today:
            continue
        _one(rng, ids, today, person.individual, package, builder, rows)
    for model, key in [
        (CarePlan, "plans"),
        (PlanVersion, "versions"),
        (Goal, "goals"),
        (Review, "reviews"),
        (GoalProgress, "progress"),
        (RecordsCheck, "checks"),
    ]:
        with bulk.Inserter(model, reason=_REASON) as table:
            for obj in rows[key]:
                table.add(obj)
    return {key: len(value) for key, value in rows.items()}


def _one(rng, ids, today, individual, package, builder, rows) -> None:
    start, age = package.start_date, (today - package.start_date).days
    short_term = builder.short_term is not None and package.contract_id == builder.short_term.id
    org = package.organisation_id
    # A plan: nearly everyone past their first week; about half of the newest.
    planned = rng.random() < (0.5 if age < 5 else 0.8 if short_term and age < 10 else 0.97)
    if planned:
        plan = CarePlan(
            id=ids(),
            organisation_id=org,
            package_id=package.id,
            individual_id=individual.id,
            created_at=_noon(start),
        )
        rows["plans"].append(plan)
        issued = [start + timedelta(days=rng.randint(0, min(4, age)))]
        if age > 200 and rng.random() < 0.6:
            issued.append(start + timedelta(days=rng.randint(150, age - 10)))
        for number, day in enumerate(issued, start=1):
            rows["versions"].append(_version(rng, ids, org, plan, number, day, today, individual))
        for outcome in rng.sample(OUTCOMES, rng.randint(1, 3)):
            _goal(rng, ids, org, plan, outcome, issued[0], today, rows)
    # The first review, then statutory reviews, then booked ones.
    first_within = 5 if short_term else 56
    if age > first_within and rng.random() < 0.93:
        held = start + timedelta(days=rng.randint(min(3, first_within), first_within))
        rows["reviews"].append(_review(ids, org, package, individual, "light_touch", held=held))
    if age > 330:
        last = max(start + timedelta(days=300), today - timedelta(days=rng.randint(5, 380)))
        rows["reviews"].append(_review(ids, org, package, individual, "statutory", held=last))
        due = add_months(last, 12)
        if 0 <= (due - today).days <= 30 and rng.random() < 0.5:
            rows["reviews"].append(
                _review(ids, org, package, individual, "statutory", booked=due - timedelta(days=2))
            )
    # Records checked monthly: most within the month, a few behind.
    if age > 20:
        last = max(start + timedelta(days=1), today - timedelta(days=rng.randint(0, 34)))
        for day in (last - timedelta(days=30), last):
            if day >= start:
                rows["checks"].append(
                    RecordsCheck(
                        id=ids(),
                        organisation_id=org,
                        package_id=package.id,
                        checked_on=day,
                        notes="Daily notes, MAR chart and communication book read; no concerns.",
                        created_at=_noon(day),
                    )
                )


def _version(rng, ids, org, plan, number, day, today, individual):
    return PlanVersion(
        id=ids(),
        organisation_id=org,
        plan_id=plan.id,
        number=number,
        issued_at=_noon(day),
        change_summary="First plan" if number == 1 else "Reviewed: needs changed",
        form_of_address=individual.given_name,
        outcomes="; ".join(o[0] for o in rng.sample(OUTCOMES, 2)),
        health_and_social_needs="Lives alone; arthritis in both hands; mild memory loss.",
        personal_care="Help to wash and dress in the morning; shower on Fridays.",
        equipment="Perching stool, walking frame, pendant alarm",
        cultural_and_spiritual_needs=rng.choice(FAITHS),
        community_participation="Lunch club on Thursdays when well enough.",
        communication_needs="Hard of hearing on the left: speak on the right, face to face.",
        medication="Blister pack, morning and evening; prompt only.",
        diet=rng.choice(DIETS),
        contacts="Next of kin and emergency contacts as on the person's record.",
        professional_contacts="GP surgery; district nurse on Tuesdays.",
        risk_assessment="Falls risk: keep the hallway clear; check the pendant alarm.",
        key_worker="The regular morning care worker",
        review_attendees="The person, their daughter, the key worker, the social worker",
        circle_of_support="Daughter nearby; neighbour has a key.",
        advance_directives="None recorded",
        actions=[
            {"what": "Check the pendant alarm works", "who": "Key worker", "when": str(day)},
        ],
        review_date=add_months(day, 12),
        created_at=_noon(day),
    )


def _goal(rng, ids, org, plan, outcome, issued, today, rows):
    name, specific, measurable, achievable = outcome
    target = issued + timedelta(weeks=rng.choice([4, 6, 8, 12]))
    # Goals long past their date were met or set aside; a few recent ones are late.
    long_past = target < today - timedelta(days=14)
    achieved = long_past and rng.random() < 0.7
    stopped = long_past and not achieved
    goal = Goal(
        id=ids(),
        organisation_id=org,
        plan_id=plan.id,
        outcome=name,
        specific=specific,
        measurable=measurable,
        achievable=achievable,
        relevant=f"Works towards: {name.lower()}",
        target_date=target,
        status="achieved" if achieved else "stopped" if stopped else "open",
        achieved_at=_noon(target) if achieved else None,
        created_at=_noon(issued),
    )
    rows["goals"].append(goal)
    steps = [(issued + (min(target, today) - issued) / 2, 50)]
    if achieved:
        steps.append((target, 100))
    for day, percent in steps:
        if day <= today:
            rows["progress"].append(
                GoalProgress(
                    id=ids(),
                    organisation_id=org,
                    goal_id=goal.id,
                    source="visit",
                    percent=percent,
                    note="Seen at the morning visit; noted in the care record.",
                    recorded_at=_noon(day),
                    created_at=_noon(day),
                )
            )


def _review(ids, org, package, individual, kind, *, held=None, booked=None):
    return Review(
        id=ids(),
        organisation_id=org,
        package_id=package.id,
        individual_id=individual.id,
        kind=kind,
        held_on=held,
        scheduled_for=booked or held,
        summary="Care meets needs; plan kept." if held else "",
        attendees="The person, their daughter, the social worker" if held else "",
        created_at=_noon(held or booked),
    )
