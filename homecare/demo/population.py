"""Synthetic people, their contacts and packages, and care workers, as unsaved records.

Everything is drawn from one ``random.Random`` in a fixed order, so the same
seed gives the same people. Nothing here touches the database.
"""

from __future__ import annotations

import random
import uuid
from dataclasses import dataclass, field
from datetime import date, time, timedelta

from homecare.domain.identifiers import synthetic_nhs_number
from homecare.packages.models import CarePackage
from homecare.people.models import Contact, Individual
from homecare.workforce.models import Availability, CareWorker

from . import names, places
from .needs import WORKER_SKILL_CHANCE, Needs, care_needs


class Ids:
    """Deterministic UUIDs, so a rebuilt demo keeps its addresses (URLs)."""

    def __init__(self, seed: int):
        self._rng = random.Random(f"ids-{seed}")

    def __call__(self) -> uuid.UUID:
        return uuid.UUID(int=self._rng.getrandbits(128), version=4)


@dataclass
class PersonPlan:
    individual: Individual
    background: names.Background
    region: places.Region
    town: str
    needs: Needs
    contacts: list[Contact] = field(default_factory=list)
    daughter: Contact | None = None
    package: CarePackage | None = None
    #: (status, effective date, reason) after "proposed".
    transitions: list[tuple[str, date, str]] = field(default_factory=list)


def _age(rng: random.Random, older: bool) -> int:
    return int(rng.triangular(65, 101, 86)) if older else rng.randint(18, 64)


def birth_date(rng: random.Random, age: int, today: date) -> date:
    latest = date(today.year - age, today.month, min(today.day, 28))
    return latest - timedelta(days=rng.randint(1, 364))


def _email(given: str, family: str, rng: random.Random) -> str:
    local = f"{given}.{family}".lower().replace("'", "").replace(" ", "")
    return f"{local}{rng.randint(1, 99)}@example.com"


def person(
    rng: random.Random,
    ids: Ids,
    *,
    serial: int,
    spec,
    council,
    area,
    region,
    today: date,
) -> PersonPlan:
    """One person with needs and contacts (their package is added by the caller)."""
    older = rng.random() < 0.86
    female = rng.random() < (0.62 if older else 0.5)
    background = names.pick_background(rng, spec.people_mix)
    given = names.given_name(rng, background, female=female, older=older)
    family = names.family_name(rng, background)
    title = rng.choice(names.TITLES_FEMALE if female else names.TITLES_MALE)
    born = birth_date(rng, _age(rng, older), today)
    home = places.address(rng, region)
    needs = care_needs(rng, older=older, area_name=region.area_name)
    if older and background in (names.SOUTH_ASIAN, names.POLISH) and rng.random() < 0.4:
        language = "Urdu or Punjabi" if background is names.SOUTH_ASIAN else "Polish"
        needs.communication_needs = f"Prefers to speak {language}; family interpret at reviews."
    preference = "none"
    if female and rng.random() < (0.5 if background is names.SOUTH_ASIAN else 0.15):
        preference = "female"
    elif not female and rng.random() < 0.05:
        preference = "male"
    dementia = any("dementia-care" in c.skills for c in needs.conditions)
    capacity = dementia and rng.random() < 0.45
    safeguarding = rng.random() < 0.03
    worker_given = names.given_name(rng, background, female=rng.random() < 0.8, older=False)
    individual = Individual(
        id=ids(),
        organisation=council,
        area=area,
        council_identifier=f"{spec.council_id_prefix}{100000 + serial * 7}",
        nhs_number=synthetic_nhs_number(1000 + serial * 23),
        title=title,
        given_name=given,
        family_name=family,
        preferred_name=f"{title} {family}" if older and rng.random() < 0.3 else "",
        date_of_birth=born,
        gender="female" if female else "male",
        address_line_1=home.line_1,
        town=home.town,
        postcode=home.postcode,
        latitude=home.latitude,
        longitude=home.longitude,
        telephone=places.telephone(rng, region) if rng.random() < 0.85 else "",
        presenting_needs=needs.presenting_needs,
        medical_conditions="; ".join(c.name for c in needs.conditions),
        current_care_arrangements=rng.choice(
            [
                "Lives alone.",
                "Lives alone; family visit at weekends.",
                "Lives with spouse, who is frail.",
                "Lives with an adult son who works full time.",
                "Lives alone in sheltered housing with a warden call system.",
            ]
        ),
        moving_and_handling=needs.moving_and_handling,
        known_risks=needs.known_risks,
        communication_needs=needs.communication_needs,
        preferred_worker_gender=preference,
        safeguarding_concern=safeguarding,
        safeguarding_notes=(
            "Concern about financial abuse by a relative; safeguarding enquiry open with the "
            "council. Do not discuss money matters with visitors."
            if safeguarding
            else ""
        ),
        capacity_concern=capacity,
        capacity_notes=(
            "Lacks capacity for decisions about care and finances; attorney holds lasting "
            "power of attorney (health and welfare)."
            if capacity
            else ""
        ),
        named_council_worker=(
            f"{worker_given} {names.family_name(rng, names.pick_background(rng, spec.workers_mix))}"
            " (social worker)"
        ),
    )
    plan = PersonPlan(individual, background, region, home.town, needs)
    plan.contacts = _contacts(rng, ids, plan, council, capacity=capacity, older=older)
    return plan


def _contacts(rng, ids, plan: PersonPlan, council, *, capacity: bool, older: bool):
    person_ = plan.individual
    out = []
    kinds = (
        ["child", "child", "spouse", "sibling", "friend"]
        if older
        else [
            "sibling",
            "relative",
            "friend",
            "advocate",
        ]
    )
    for n in range(rng.choice([1, 1, 2])):
        relationship = rng.choice(kinds)
        female = rng.random() < 0.6
        family = person_.family_name
        if relationship in ("friend", "advocate") or (female and rng.random() < 0.5):
            family = names.family_name(rng, plan.background)
        given = names.given_name(
            rng,
            plan.background,
            female=female,
            older=relationship in ("spouse", "sibling"),
        )
        contact = Contact(
            id=ids(),
            organisation=council,
            individual=person_,
            name=f"{given} {family}",
            relationship=relationship,
            is_next_of_kin=n == 0,
            is_emergency_contact=True,
            telephone=places.telephone(rng, plan.region),
            email=_email(given, family, rng) if rng.random() < 0.5 else "",
            notes="Holds lasting power of attorney (health and welfare)."
            if capacity and n == 0
            else "",
        )
        if relationship == "child" and female and plan.daughter is None:
            plan.daughter = contact
        out.append(contact)
    return out


def daughter(rng: random.Random, ids: Ids, plan: PersonPlan, council) -> Contact:
    """A daughter as next of kin (for the family login), if the person has none."""
    if plan.daughter is not None:
        return plan.daughter
    given = names.given_name(rng, plan.background, female=True, older=False)
    contact = Contact(
        id=ids(),
        organisation=council,
        individual=plan.individual,
        name=f"{given} {plan.individual.family_name}",
        relationship="child",
        is_next_of_kin=not plan.contacts,
        is_emergency_contact=True,
        telephone=places.telephone(rng, plan.region),
        email=_email(given, plan.individual.family_name, rng),
    )
    plan.contacts.append(contact)
    plan.daughter = contact
    return contact


# Shift patterns (local minutes); 1440 is midnight.
_SHIFTS = [
    ("split", 45, [(7 * 60, 14 * 60), (16 * 60, 22 * 60)]),
    ("long", 25, [(7 * 60, 22 * 60)]),
    ("earlies", 12, [(7 * 60, 15 * 60)]),
    ("lates", 13, [(14 * 60 + 30, 22 * 60 + 30)]),
    ("nights", 5, [(21 * 60 + 30, 1440)]),
]


@dataclass
class WorkerPlan:
    worker: CareWorker
    skills: set[str]
    availability: list[Availability]
    windows: dict[int, list[tuple[int, int]]]


def _clock(minute: int) -> time:
    return time(23, 59) if minute >= 1440 else time(minute // 60, minute % 60)


def shifts_covering(hour: int) -> list[tuple]:
    """The shift patterns whose hours include ``hour`` (local), with their weights."""
    return [s for s in _SHIFTS if any(a <= hour * 60 and hour * 60 + 60 <= b for a, b in s[2])]


def worker(
    rng: random.Random,
    ids: Ids,
    *,
    spec,
    provider,
    region,
    bases,
    today,
    shift=None,
    working: int | None = None,
    town=None,
) -> WorkerPlan:
    """A care worker; ``shift`` (one of ``_SHIFTS``), a weekday they are ``working``
    and their home ``town`` are drawn when not given."""
    female = rng.random() < 0.82
    background = names.pick_background(rng, spec.workers_mix)
    towns = [t for t in region.towns if t.name in bases] or list(region.towns)
    if town is None:
        town = rng.choice(towns if rng.random() < 0.85 else list(region.towns))
    lat, lon = places.point_near(rng, town)
    skills = {code for code, chance in WORKER_SKILL_CHANCE.items() if rng.random() < chance}
    role = rng.choices(
        ["care_worker", "senior_care_worker", "nurse", "wellbeing_worker"], [75, 18, 2, 5]
    )[0]
    if role in ("senior_care_worker", "nurse"):
        skills |= {"medication", "hoist", "catheter-care", "peg-feeding"}
    care_worker = CareWorker(
        id=ids(),
        organisation=provider,
        given_name=names.given_name(rng, background, female=female, older=False),
        family_name=names.family_name(rng, background),
        role=role,
        gender="female" if female else "male",
        contracted_minutes=rng.choice([0, 16 * 60, 24 * 60, 30 * 60, 37 * 60 + 30, 37 * 60 + 30]),
        telephone=places.telephone(rng, region),
        postcode=places.postcode(rng, town.outward),
        latitude=lat,
        longitude=lon,
        drives=rng.random() < 0.85,
        started_on=today - timedelta(days=rng.randint(30, 8 * 365)),
    )
    if shift is None:
        shift = rng.choices(_SHIFTS, weights=[s[1] for s in _SHIFTS])[0]
    days = [d for d in range(7) if d != working]
    days_off = set(rng.sample(days, k=rng.choice([1, 1, 2])))
    windows: dict[int, list[tuple[int, int]]] = {}
    for day in range(7):
        if day in days_off:
            continue
        for start, end in shift[2]:
            windows.setdefault(day, []).append((start, end))
        if shift[0] == "nights":
            # A night runs on past midnight into the next morning.
            windows.setdefault((day + 1) % 7, []).insert(0, (0, 8 * 60))
    availability = [
        Availability(
            id=ids(),
            organisation=provider,
            worker=care_worker,
            weekday=day,
            start_time=_clock(start),
            end_time=_clock(end),
        )
        for day in sorted(windows)
        for start, end in sorted(windows[day])
    ]
    return WorkerPlan(care_worker, skills, availability, windows)
