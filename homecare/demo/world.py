"""Build a demo world: council, areas, providers, contracts, people, workers, visits, logins.

``build_world(size="small")`` is a Lancashire world of about 300 people and
60 care workers; ``build_world(size="county")`` is East Lothian at full scale
(ELOTH-3.2: about 21,000 care hours a week). The database must be empty:
the ``demo`` command flushes it first. The same seed gives the same world.
"""

from __future__ import annotations

import hashlib
import random
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from homecare.organisations.models import Area, Contract, Organisation
from homecare.packages.models import CarePackage, PackageStatusChange, PatternEntry, Visit
from homecare.people.models import Contact, Individual
from homecare.workforce.models import Availability, CareWorker, Skill

from . import billing as demo_billing
from . import (
    bulk,
    journey,
    logins,
    monitoring,
    plans,
    population,
    rostering,
    schedule,
    staffing,
    teams,
)
from . import visits as visit_records
from .needs import SKILLS
from .specs import SPECS, ProviderSpec, WorldSpec

DEMO_PASSWORD = "homecare-demo"
_REASON = "Demo data"


class DemoError(Exception):
    pass


@dataclass
class DemoWorld:
    spec: WorldSpec
    seed: int
    today: date
    password: str
    logins: list[logins.Login] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)


def build_world(
    *,
    size: str = "small",
    seed: int = 7,
    scale: float = 1.0,
    today: date | None = None,
) -> DemoWorld:
    """Load a synthetic world into an empty database and return its logins.

    ``scale`` shrinks the number of people and workers (tests use it to stay
    fast); ``today`` defaults to the local date.
    """
    spec = SPECS[size]
    if Organisation.objects.exists():
        raise DemoError("The demo needs an empty database: run `homecare demo`, which empties it.")
    today = today or timezone.localdate()
    rng, ids = random.Random(seed), population.Ids(seed)
    world = DemoWorld(spec=spec, seed=seed, today=today, password=DEMO_PASSWORD)
    with bulk.loading(), transaction.atomic():
        builder = _Builder(spec, rng, ids, today, scale)
        builder.run()
        world.logins = logins.create_logins(builder, rng=rng, password=DEMO_PASSWORD)
        rostering.tune_weights(builder)
        world.counts = builder.counts()
        world.counts.update(demo_billing.build(builder))  # needs the logins: who submits
    bulk.analyse()
    return world


class _Builder:
    def __init__(self, spec: WorldSpec, rng, ids, today: date, scale: float):
        self.spec, self.rng, self.ids, self.today, self.scale = spec, rng, ids, today, scale
        self.providers: dict[str, Organisation] = {}
        self.contracts: dict[str, Contract] = {}
        self.short_term: Contract | None = None
        self.areas: dict[str, Area] = {}
        self.people: list[population.PersonPlan] = []
        self.workers: list[population.WorkerPlan] = []
        self.entries: dict = {}
        self.near_visits: list = []
        self.visit_total = 0
        self.near_total = 0
        self.rostered = 0
        self.teams = teams.Teams()

    # -- organisations -----------------------------------------------------------------
    def run(self) -> None:
        self.skills = {
            s.code: s for s in Skill.objects.bulk_create([Skill(code=c, name=n) for c, n in SKILLS])
        }
        self._organisations()
        self._people()
        self._workers()
        with bulk.indexes_deferred(PatternEntry, Visit):
            self._save()
            self._visits()
        self._rota()
        self.plan_counts = plans.build(self)  # plans, goals, reviews, records checks (issue 4)
        self.journey_counts = journey.build(self)  # changes, hospital stays, hand-backs (issue 4)
        monitoring.build_calls(today=self.today)  # the live board's day so far (issue 6)
        visit_records.build_records(today=self.today)  # what the phones recorded (issue 6)

    def _organisations(self) -> None:
        spec = self.spec
        self.council = Organisation.objects.create(
            id=self.ids(),
            name=spec.council,
            kind="council",
            nation=spec.nation,
            telephone=self.spec.regions[0].phone_prefix + "000",
            email="adult.social.care@example.org",
        )
        for region in spec.regions:
            self.areas[region.area_name] = Area.objects.create(
                id=self.ids(),
                organisation=self.council,
                name=region.area_name,
                kind=spec.area_kind,
                postcode_districts=region.outward_codes,
            )
        if len(self.areas) > 1:
            first, *rest = self.areas.values()
            first.neighbours.set(rest)
        starts_on = date(self.today.year - 2, 4, 1)
        for n, p in enumerate(spec.providers, start=1):
            org = Organisation.objects.create(
                id=self.ids(),
                name=p.name,
                kind="provider",
                nation=spec.nation,
                regulator_id=self._regulator_id(),
                telephone=f"{spec.regions[0].phone_prefix}{100 + n:03d}",
                cqc_rating=p.rating if spec.nation == "england" else "",
                inspection_grades=[]
                if spec.nation == "england"
                else [{"year": self.today.year - 1, "grade": self.rng.choice([3, 4, 4, 5])}],
                email=f"office@{p.name.lower().split()[0]}.example.com",
            )
            self.providers[p.name] = org
            contract = Contract.objects.create(
                id=self.ids(),
                organisation=self.council,
                provider=org,
                reference=f"{spec.contract_prefix}-{n:03d}",
                kind=spec.contract_kind,
                rulebook=spec.rulebook,
                hourly_rate=spec.hourly_rate,
                starts_on=starts_on,
            )
            contract.areas.set([self.areas[r] for r in p.regions])
            self.contracts[p.name] = contract
            if p.short_term_block:
                self.short_term = Contract.objects.create(
                    id=self.ids(),
                    organisation=self.council,
                    provider=org,
                    reference=f"LCC-ST-{n:03d}",
                    kind="block",
                    rulebook="lan-st",
                    hourly_rate=spec.hourly_rate + Decimal("1.20"),
                    night_rate=Decimal("165.00"),
                    starts_on=date(self.today.year - 1, 4, 1),
                    # Levels are set from the planned hours once the packages exist.
                    block_minutes_min=0,
                    block_minutes_start=0,
                    block_minutes_max=0,
                )
                self.short_term.areas.set([self.areas[r] for r in p.regions])

    def _regulator_id(self) -> str:
        if self.spec.nation == "england":
            return f"1-{self.rng.randint(100_000_000, 999_999_999)}"
        return f"CS{self.rng.randint(2003, 2019)}{self.rng.randint(100_000, 999_999)}"

    # -- people and packages -----------------------------------------------------------
    def _people(self) -> None:
        spec = self.spec
        target = None
        if spec.weekly_care_hours:
            target = spec.weekly_care_hours * 60 * self.scale
        count = round((spec.people or 0) * self.scale)
        planned = 0
        serial = 0
        while (target is not None and planned < target) or (target is None and serial < count):
            region = self.rng.choice(spec.regions)
            plan = population.person(
                self.rng,
                self.ids,
                serial=serial,
                spec=spec,
                council=self.council,
                area=self.areas[region.area_name],
                region=region,
                today=self.today,
            )
            self._package(plan, serial)
            if plan.package.status == "active":
                planned += plan.needs.weekly_minutes
            self.people.append(plan)
            serial += 1

    def _provider_for(self, plan) -> ProviderSpec:
        options = [p for p in self.spec.providers if plan.region.area_name in p.regions]
        weights = [p.share * (3 if plan.town in p.bases else 1) for p in options]
        return self.rng.choices(options, weights=weights)[0]

    def _package(self, plan: population.PersonPlan, serial: int) -> None:
        provider = self._provider_for(plan)
        contract = self.contracts[provider.name]
        rng, today = self.rng, self.today
        roll = rng.random()
        short_term = self.short_term is not None and provider.short_term_block and roll < 0.12
        if short_term:
            contract = self.short_term
            start = today - timedelta(days=rng.randint(0, 27))
        else:
            start = today - timedelta(days=rng.randint(14, 1200))
        start = max(start, contract.starts_on)
        end = start + timedelta(days=42) if short_term else None
        if roll > 0.97:
            start = today + timedelta(days=rng.randint(2, 14))
        package = CarePackage(
            id=self.ids(),
            organisation=self.providers[provider.name],
            contract=contract,
            individual=plan.individual,
            reference=f"{'ST' if short_term else 'PKG'}-{serial:05d}",
            status="proposed",
            status_effective_on=start,
            start_date=start,
            end_date=end,
            notes="Short Term Care at Home (reablement), six weeks." if short_term else "",
        )
        plan.package = package
        if roll > 0.97:
            return  # proposed: starts in the next fortnight
        plan.transitions.append(("active", start, "Start of care"))
        package.status = "active"
        if 0.90 < roll <= 0.935:
            when = max(start, today - timedelta(days=rng.randint(1, 10)))
            plan.transitions.append(("suspended", when, "Admitted to hospital"))
            package.status, package.status_effective_on = "suspended", when
        elif 0.935 < roll <= 0.97:
            when = max(start, today - timedelta(days=rng.randint(1, 30)))
            plan.transitions.append(
                (
                    "ceased",
                    when,
                    rng.choice(
                        [
                            "Moved into a care home",
                            "Regained independence after reablement",
                            "Moved away to live with family",
                        ]
                    ),
                )
            )
            package.status, package.status_effective_on, package.end_date = "ceased", when, when
        else:
            package.status_effective_on = start

    # -- workers -----------------------------------------------------------------------
    def _workers(self) -> None:
        slots = Counter()
        for plan in self.people:
            if plan.package.status == "active":
                slots[plan.package.organisation.name] += sum(
                    line.workers_required for line in plan.needs.lines
                )
        for p in self.spec.providers:
            wanted = p.workers if p.workers is not None else slots[p.name] / 7 / 9.5
            count = max(2, round(wanted * self.scale) if p.workers is not None else round(wanted))
            regions = [r for r in self.spec.regions if r.area_name in p.regions]
            bases = p.bases or tuple(t.name for r in regions for t in r.towns)
            for _ in range(count):
                self.workers.append(
                    population.worker(
                        self.rng,
                        self.ids,
                        spec=self.spec,
                        provider=self.providers[p.name],
                        region=self.rng.choice(regions),
                        bases=bases,
                        today=self.today,
                    )
                )
            if p.cover_peaks:
                staffing.top_up(self, p, bases, count)
        # Each person's regular team and the week they work; contracts for those hours.
        workers = [rostering.worker_for_rota(w) for w in self.workers]
        self.teams = rostering.regular_workers(self.people, workers, rules=self.spec.rulebook)
        teams.fit_contracts(self.workers, self.teams)

    # -- saving ------------------------------------------------------------------------
    def _save(self) -> None:
        for model, rows in [
            (Individual, [p.individual for p in self.people]),
            (Contact, [c for p in self.people for c in p.contacts]),
            (CareWorker, [w.worker for w in self.workers]),
            (Availability, [a for w in self.workers for a in w.availability]),
            (CarePackage, [p.package for p in self.people]),
        ]:
            with bulk.Inserter(model, reason=_REASON) as table:
                for row in rows:
                    table.add(row)
        with bulk.Inserter(
            CareWorker.skills.through, columns=("careworker_id", "skill_id"), history=False
        ) as table:
            for w in self.workers:
                for code in sorted(w.skills):
                    table.add(careworker_id=w.worker.id, skill_id=self.skills[code].id)
        self._transitions()
        self._pattern()
        if self.short_term is not None:
            self._block_levels()

    def _transitions(self) -> None:
        columns = (
            "organisation_id",
            "package_id",
            "from_status",
            "to_status",
            "effective_on",
            "reason",
        )
        with bulk.Inserter(PackageStatusChange, columns=columns, history=False) as table:
            for plan in self.people:
                package, previous = plan.package, ""
                steps = [("proposed", package.start_date, "Package created"), *plan.transitions]
                for status, when, reason in steps:
                    table.add(
                        organisation_id=package.organisation_id,
                        package_id=package.id,
                        from_status=previous,
                        to_status=status,
                        effective_on=when,
                        reason=reason,
                    )
                    previous = status

    def _pattern(self) -> None:
        skills = PatternEntry.skills.through
        columns = (
            "id",
            "organisation_id",
            "package_id",
            "weekday",
            "kind",
            "start_time",
            "end_time",
            "duration_minutes",
            "window_minutes",
            "workers_required",
            "tasks",
        )
        with (
            bulk.Inserter(PatternEntry, columns=columns, reason=_REASON) as table,
            bulk.Inserter(
                skills, columns=("patternentry_id", "skill_id"), history=False
            ) as entry_skills,
        ):
            for plan in self.people:
                package = plan.package
                entries = self.entries[package.id] = []
                for line in plan.needs.lines:
                    entry = schedule.Entry(self.ids(), line, list(line.tasks))
                    table.add_row(
                        (
                            entry.id,
                            package.organisation_id,
                            package.id,
                            line.weekday,
                            line.kind,
                            line.start_time,
                            line.end_time,
                            line.duration_minutes,
                            line.window_minutes,
                            line.workers_required,
                            entry.tasks,
                        )
                    )
                    entries.append(entry)
                    for code in line.skills:
                        entry_skills.add(patternentry_id=entry.id, skill_id=self.skills[code].id)

    def _block_levels(self) -> None:
        weekly = sum(
            p.needs.weekly_minutes
            for p in self.people
            if p.package.contract_id == self.short_term.id and p.package.status == "active"
        )
        start = max(60, round(weekly / 60) * 60)
        Contract.objects.filter(pk=self.short_term.pk).update(
            block_minutes_min=round(start * 0.8 / 60) * 60,
            block_minutes_start=start,
            block_minutes_max=round(start * 1.2 / 60) * 60,
        )

    # -- visits ------------------------------------------------------------------------
    def _visits(self) -> None:
        self.visit_total, self.near_visits = schedule.write_visits(
            self.people, self.entries, ids=self.ids, today=self.today
        )

    def _rota(self) -> None:
        workers = [rostering.worker_for_rota(w) for w in self.workers]
        visits = [
            rostering.visit_for_rota(
                visit_id,
                plan,
                entry,
                occ,
                skills=frozenset(entry.line.skills),
                regulars=self.teams,
                today=self.today,
            )
            for visit_id, plan, entry, occ in self.near_visits
        ]
        self.near_total = len(visits)
        self.rostered = rostering.save_rota(
            visits, workers, rng=self.rng, leave_open=self.spec.leave_open
        )

    def counts(self) -> dict[str, int]:
        week_end = self.today + timedelta(days=7)
        return {
            "people": len(self.people),
            "workers": len(self.workers),
            "providers": len(self.providers),
            "areas": len(self.areas),
            "packages_active": sum(p.package.status == "active" for p in self.people),
            "visits": self.visit_total,
            "visits_this_week": Visit.objects.filter(
                date__gte=self.today, date__lt=week_end
            ).count(),
            "care_hours_a_week": round(
                sum(p.needs.weekly_minutes for p in self.people if p.package.status == "active")
                / 60
            ),
            "visits_in_the_rota_week": self.near_total,
            "rostered_in_the_rota_week": self.rostered,
        }


def world_fingerprint() -> str:
    """A digest of the people, workers and patterns, to check that a seed repeats."""
    digest = hashlib.sha256()
    for row in Individual.objects.order_by("nhs_number").values_list(
        "nhs_number",
        "given_name",
        "family_name",
        "date_of_birth",
        "postcode",
    ):
        digest.update(repr(row).encode())
    for row in CareWorker.objects.order_by("family_name", "given_name", "postcode").values_list(
        "given_name",
        "family_name",
        "postcode",
    ):
        digest.update(repr(row).encode())
    per_package = defaultdict(list)
    for row in PatternEntry.objects.values_list(
        "package__reference",
        "weekday",
        "start_time",
        "duration_minutes",
        "workers_required",
    ):
        per_package[row[0]].append(row[1:])
    for key in sorted(per_package):
        digest.update(repr((key, sorted(per_package[key]))).encode())
    return digest.hexdigest()
