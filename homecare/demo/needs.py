"""What a synthetic person needs: conditions, risks, skills and a weekly visit pattern.

Plain data only: the world builder turns these into records. Visits follow
the usual shape of home care (morning, lunch, tea and bed calls, some
double-handed for hoist transfers, a few overnight blocks), averaging about
ten visits a person a week.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import time

#: (code, name) of every skill a visit may need.
SKILLS = [
    ("hoist", "Hoist transfers"),
    ("medication", "Medication administration"),
    ("catheter-care", "Catheter care"),
    ("peg-feeding", "PEG feeding"),
    ("dementia-care", "Dementia care"),
    ("stoma-care", "Stoma care"),
    ("pressure-care", "Pressure area care"),
    ("end-of-life", "End of life care"),
    ("epilepsy", "Epilepsy and rescue medication"),
    ("diabetes", "Diabetes care"),
]

#: How likely a care worker is to hold each skill.
WORKER_SKILL_CHANCE = {
    "hoist": 0.95,
    "medication": 0.97,
    "catheter-care": 0.75,
    "peg-feeding": 0.45,
    "dementia-care": 0.9,
    "stoma-care": 0.7,
    "pressure-care": 0.85,
    "end-of-life": 0.6,
    "epilepsy": 0.45,
    "diabetes": 0.8,
}


@dataclass(frozen=True)
class Condition:
    name: str
    skills: tuple[str, ...] = ()
    #: Visit slots whose visits need the skills ("all" or a slot name).
    slots: tuple[str, ...] = ("all",)
    tasks: tuple[str, ...] = ()
    older: bool = True
    younger: bool = False


CONDITIONS = [
    Condition("Alzheimer's disease", ("dementia-care",), tasks=("Reassurance and orientation",)),
    Condition("Vascular dementia", ("dementia-care",), tasks=("Reassurance and orientation",)),
    Condition(
        "Parkinson's disease",
        ("medication",),
        ("morning", "lunch", "tea", "bed"),
        ("Time-critical medication",),
        younger=True,
    ),
    Condition(
        "Type 2 diabetes", ("diabetes",), ("morning", "tea"), ("Blood glucose check",), younger=True
    ),
    Condition("COPD (chronic obstructive pulmonary disease)", tasks=("Check oxygen supply",)),
    Condition("Heart failure", tasks=("Weigh and record",)),
    Condition("Osteoarthritis"),
    Condition(
        "Stroke with left-sided weakness",
        tasks=("Exercises from physiotherapy plan",),
        younger=True,
    ),
    Condition("Frailty and recurrent falls", tasks=("Check pendant alarm",)),
    Condition("Macular degeneration (sight loss)", tasks=("Read post aloud",)),
    Condition(
        "Indwelling urinary catheter",
        ("catheter-care",),
        ("morning", "bed"),
        ("Catheter care",),
        younger=True,
    ),
    Condition("Colostomy", ("stoma-care",), ("morning", "tea"), ("Stoma care",), younger=True),
    Condition(
        "Pressure ulcer (grade 2, sacrum)", ("pressure-care",), tasks=("Reposition and check skin",)
    ),
    Condition("Multiple sclerosis", older=False, younger=True),
    Condition("Learning disability", older=False, younger=True),
    Condition("Acquired brain injury", older=False, younger=True),
    Condition("Epilepsy", ("epilepsy",), older=False, younger=True),
    Condition(
        "Motor neurone disease", ("peg-feeding",), tasks=("PEG feed and flush",), younger=True
    ),
    Condition("Palliative: metastatic cancer", ("end-of-life",), tasks=("Comfort care",)),
]

HOSPITALS = {
    "East Lancashire": "Royal Blackburn Hospital",
    "Central Lancashire": "Royal Preston Hospital",
    "East Lothian": "the Royal Infirmary of Edinburgh",
}

COMMUNICATION = [
    "Hard of hearing: speak clearly and face them; hearing aids on the bedside table.",
    "Uses a picture board when tired.",
    "Registered blind: say who you are when you arrive.",
    "Speech affected by a stroke: give time to answer.",
]


@dataclass(frozen=True)
class Line:
    """One planned pattern line (the demo's form of PatternEntry)."""

    weekday: int
    kind: str
    start_time: time
    end_time: time | None
    duration_minutes: int
    workers_required: int
    window_minutes: int
    tasks: tuple[str, ...]
    skills: tuple[str, ...]


@dataclass
class Needs:
    conditions: list[Condition]
    hoist: bool
    medication: bool
    lines: list[Line] = field(default_factory=list)
    presenting_needs: str = ""
    moving_and_handling: str = ""
    known_risks: str = ""
    communication_needs: str = ""

    @property
    def skills(self) -> set[str]:
        return {s for line in self.lines for s in line.skills}

    @property
    def weekly_minutes(self) -> int:
        return sum(line.duration_minutes * line.workers_required for line in self.lines)


# (calls a day, weight, chance of being double-handed)
_PROFILES = [
    ("weekly", 20, 0.0),
    ("once", 40, 0.0),
    ("twice", 22, 0.05),
    ("three", 10, 0.15),
    ("four", 8, 0.3),
]
_SLOTS_FOR = {
    "once": [("morning",), ("lunch",), ("tea",)],
    "twice": [("morning", "bed"), ("morning", "tea"), ("lunch", "bed")],
    "three": [("morning", "lunch", "bed"), ("morning", "tea", "bed")],
    "four": [("morning", "lunch", "tea", "bed")],
}
_SLOT_TIMES = {
    "morning": (
        [time(7, 0), time(7, 30), time(8, 0), time(8, 30), time(9, 0), time(9, 30)],
        [30, 45, 45, 60],
        ("Personal care", "Breakfast"),
    ),
    "lunch": ([time(12, 0), time(12, 30), time(13, 0)], [30], ("Lunch",)),
    "tea": ([time(16, 30), time(17, 0), time(17, 30)], [30], ("Tea",)),
    "bed": (
        [time(19, 30), time(20, 0), time(20, 30), time(21, 0)],
        [30, 30, 45],
        ("Help to bed", "Personal care"),
    ),
}


def care_needs(rng: random.Random, *, older: bool, area_name: str) -> Needs:
    """A plausible set of needs and a weekly pattern for one person."""
    pool = [c for c in CONDITIONS if (c.older if older else c.younger)]
    conditions = rng.sample(pool, k=rng.choice([1, 1, 2, 2, 3]))
    profile, _, double_chance = rng.choices(_PROFILES, weights=[p[1] for p in _PROFILES])[0]
    hoist = rng.random() < double_chance
    medication = rng.random() < (0.75 if profile != "weekly" else 0.2)
    needs = Needs(conditions=conditions, hoist=hoist, medication=medication)
    if profile == "weekly":
        days = rng.choice([[0, 2, 4], [1, 3, 5], [0, 3], [2, 5], [1, 4]])
        start = rng.choice([time(10, 0), time(10, 30), time(11, 0), time(14, 0)])
        tasks = ("Shower", rng.choice(["Shopping", "Domestic support", "Social support"]))
        for day in days:
            needs.lines.append(_visit(day, start, 60, 1, tasks, ()))
    else:
        slots = rng.choice(_SLOTS_FOR[profile])
        days = list(range(7)) if rng.random() < 0.85 else [0, 1, 2, 3, 4]
        for slot in slots:
            starts, durations, base_tasks = _SLOT_TIMES[slot]
            start = rng.choice(starts)
            minutes = max(rng.choice(durations), 45 if hoist and slot in ("morning", "bed") else 0)
            tasks, skills = list(base_tasks), set()
            if hoist:
                tasks.append("Hoist transfer")
                skills.add("hoist")
            if medication and slot != "lunch":
                tasks.append("Medication")
                skills.add("medication")
            for condition in conditions:
                if "all" in condition.slots or slot in condition.slots:
                    tasks.extend(t for t in condition.tasks if t not in tasks)
                    skills.update(condition.skills)
            window = 15 if "Time-critical medication" in tasks else 30
            for day in days:
                needs.lines.append(
                    _visit(
                        day,
                        start,
                        minutes,
                        2 if hoist else 1,
                        tuple(tasks),
                        tuple(sorted(skills)),
                        window,
                    )
                )
    if profile in ("three", "four") and rng.random() < 0.08:
        kind = rng.choice(["sleep_in", "waking_night", "overnight_block"])
        nights = sorted(rng.sample(range(7), k=rng.choice([2, 3, 7])))
        for day in nights:
            needs.lines.append(
                Line(
                    day,
                    kind,
                    time(22, 0),
                    time(7, 0),
                    9 * 60,
                    1,
                    30,
                    ("Overnight support", "Repositioning" if hoist else "Reassurance"),
                    (),
                )
            )
    elif profile == "weekly" and rng.random() < 0.1:
        day = rng.randrange(7)
        needs.lines.append(
            Line(
                day,
                "day_block",
                time(10, 0),
                time(13, 0),
                180,
                1,
                30,
                ("Sitting service (carer's break)",),
                (),
            )
        )
    _describe(rng, needs, older=older, area_name=area_name)
    return needs


def _visit(day, start, minutes, workers, tasks, skills, window=30) -> Line:
    return Line(day, "visit", start, None, minutes, workers, window, tasks, skills)


def _describe(rng: random.Random, needs: Needs, *, older: bool, area_name: str) -> None:
    hospital = HOSPITALS.get(area_name, "hospital")
    reason = rng.choice(
        [
            f"Discharged from {hospital} after a fall; needs help with washing, dressing and meals.",
            "Carer (spouse) no longer able to manage personal care alone.",
            "Gradual decline in mobility and self-care; assessed as eligible at review.",
            f"Discharged from {hospital} after a chest infection; regaining independence.",
            "Family live away; needs prompting with meals and medication.",
            "Increasing needs following diagnosis; wishes to stay at home.",
        ]
        if older
        else [
            "Needs support with personal care and daily living to live independently.",
            "Moved from a residential placement to a supported tenancy.",
            "Support to remain at home after a hospital admission.",
        ]
    )
    needs.presenting_needs = reason
    if needs.hoist:
        needs.moving_and_handling = (
            "Full hoist with medium sling (two workers); profiling bed with pressure mattress."
        )
    elif rng.random() < 0.4:
        needs.moving_and_handling = rng.choice(
            [
                "Walks with a frame indoors; stand-aid from chair.",
                "Independent with a stick; supervise on stairs.",
                "Wheelchair user; transfers with a banana board and one worker.",
            ]
        )
    risks = []
    if any("falls" in c.name.lower() for c in needs.conditions) or rng.random() < 0.2:
        risks.append("Risk of falls: keep walkways clear, pendant alarm worn.")
    if any("dementia-care" in c.skills for c in needs.conditions):
        risks.append("May leave the house at night: key safe only, check doors are locked.")
    if needs.medication:
        risks.append("Medication in blister packs; record on the MAR.")
    needs.known_risks = " ".join(risks)
    if rng.random() < 0.12:
        needs.communication_needs = rng.choice(COMMUNICATION)
