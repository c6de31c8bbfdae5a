"""A small rota world: one provider, five workers, five people, tomorrow and today.

On top of the shared ``world`` (``care_worker`` Aishwarya on ``person``'s 09:00
visit tomorrow):

- workers Ben (male), Chloe and Dev (female, hoist), Eve (female, no shift
  tomorrow), each available 07:00–21:00 today and tomorrow (Eve today only);
- Harold asks for female workers (10:00, 30 min);
- Iris needs two workers with the hoist (11:00, 45 min, double-handed);
- Jack 09:30 and 12:00; Kath 14:00 needs the hoist.

Aishwarya has been Harold's usual worker for the past fortnight.
"""

from datetime import time, timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from homecare.packages import services as package_services
from homecare.packages.models import Visit, VisitAssignment
from homecare.workforce.models import Availability
from tests import factories as f


def _available(worker, weekdays, start=time(7), end=time(21)):
    for weekday in weekdays:
        Availability.objects.create(
            organisation=worker.organisation,
            worker=worker,
            weekday=weekday,
            start_time=start,
            end_time=end,
        )


@pytest.fixture
def rota(world):
    provider, contract = world["provider"], world["contract"]
    coordinator = world["coordinator"]
    today = timezone.localdate()
    tomorrow = today + timedelta(days=1)
    days = sorted({today.weekday(), tomorrow.weekday()})
    hoist = f.SkillFactory(code="hoist", name="Hoist")
    aish = world["care_worker"]
    workers = {"aishwarya": aish}
    for key, gender, skills, lon in [
        ("ben", "male", [], "-2.470000"),
        ("chloe", "female", [hoist], "-2.490000"),
        ("dev", "female", [hoist], "-2.510000"),
        ("eve", "female", [], "-2.520000"),
    ]:
        w = f.CareWorkerFactory(
            organisation=provider,
            given_name=key.title(),
            family_name="Worker",
            gender=gender,
            longitude=Decimal(lon),
        )
        w.skills.set(skills)
        workers[key] = w
    for key, w in workers.items():
        _available(w, [today.weekday()] if key == "eve" else days)

    def person(name, *, lat, pref="none"):
        individual = f.IndividualFactory(
            organisation=world["council"],
            area=world["area"],
            given_name=name,
            family_name="Client",
            latitude=Decimal(lat),
            preferred_worker_gender=pref,
        )
        package = f.CarePackageFactory(
            contract=contract, individual=individual, start_date=today - timedelta(days=30)
        )
        return individual, package

    people = {}
    for name, lat, pref, lines in [
        ("Harold", "53.752000", "female", [(time(10), 1, [])]),
        ("Iris", "53.745000", "none", [(time(11), 2, [hoist])]),
        ("Jack", "53.755000", "none", [(time(9, 30), 1, []), (time(12), 1, [])]),
        ("Kath", "53.748000", "none", [(time(14), 1, [hoist])]),
    ]:
        individual, package = person(name, lat=lat, pref=pref)
        people[name.lower()] = individual
        for start, workers_required, skills in lines:
            end = (timezone.datetime.combine(today, start) + timedelta(minutes=30)).time()
            if workers_required == 2:
                end = (timezone.datetime.combine(today, start) + timedelta(minutes=45)).time()
            package_services.pattern_entry_add(
                by=coordinator,
                package=package,
                weekdays=[tomorrow.weekday()],
                start_time=start,
                end_time=end,
                workers_required=workers_required,
                skills=skills,
            )
    # Aishwarya has seen Harold on each of the last two weeks' visits.
    harold_pkg = people["harold"].packages.get()
    for weeks in (1, 2):
        day = tomorrow - timedelta(weeks=weeks)
        start = timezone.make_aware(timezone.datetime.combine(day, time(10)))
        past = Visit.objects.create(
            organisation=provider,
            package=harold_pkg,
            individual=people["harold"],
            date=day,
            planned_start=start,
            planned_end=start + timedelta(minutes=30),
            duration_minutes=30,
            status="completed",
        )
        VisitAssignment.objects.create(organisation=provider, visit=past, worker=aish)
    visits = {
        v.individual.given_name.lower()
        + v.planned_start.astimezone(timezone.get_current_timezone()).strftime("%H%M"): v
        for v in Visit.objects.filter(organisation=provider, date=tomorrow).select_related(
            "individual"
        )
    }
    return {
        **world,
        "today": today,
        "tomorrow": tomorrow,
        "hoist": hoist,
        "workers": workers,
        "people": people,
        "visits": visits,
    }
