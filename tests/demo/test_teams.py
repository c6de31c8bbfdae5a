"""Each person's regular team as the demo plans it (homecare/demo/teams.py, KENT-8.1)."""

from dataclasses import replace
from datetime import time
from types import SimpleNamespace

from homecare.demo.needs import Line
from homecare.demo.rota import RotaWorker
from homecare.demo.teams import regular_teams

EVERY_DAY = {day: [(7 * 60, 15 * 60)] for day in range(7)}


def _worker(name, km_east):
    return RotaWorker(
        id=name,
        provider_id="forth",
        gender="female",
        skills=frozenset(),
        latitude=55.95,
        longitude=-2.9 + km_east / 62.5,  # about 62.5 km a degree of longitude there
        drives=True,
        windows=EVERY_DAY,
    )


def _person(weekdays):
    lines = [
        Line(
            weekday=day,
            kind="visit",
            start_time=time(10),
            end_time=None,
            duration_minutes=60,
            workers_required=1,
            window_minutes=30,
            tasks=(),
            skills=(),
        )
        for day in weekdays
    ]
    return SimpleNamespace(
        individual=SimpleNamespace(
            id="kathleen", latitude=55.95, longitude=-2.9, preferred_worker_gender="none"
        ),
        package=SimpleNamespace(status="active", organisation_id="forth"),
        needs=SimpleNamespace(lines=lines, weekly_minutes=60 * len(lines)),
    )


def test_a_person_one_worker_could_visit_alone_gets_a_second_who_takes_a_visit():
    """Tuesday and Friday at 10:00: the nearest worker could do both, but then a busy
    Tuesday morning of hers leaves nobody who knows the person; the next nearest, on
    shift at both times, takes one of the two."""
    workers = [_worker("callum", 1), _worker("dora", 2), _worker("erin", 3)]
    teams = regular_teams([_person([1, 4])], workers, target=4, most=8)
    assert sorted(teams.team["kathleen"]) == ["callum", "dora"]
    planned = {key[1]: who for key, who in teams.planned.items()}
    assert sorted(planned.values()) == [("callum",), ("dora",)]


def test_a_person_visited_once_a_week_keeps_one_worker():
    workers = [_worker("callum", 1), _worker("dora", 2)]
    teams = regular_teams([_person([1])], workers, target=4, most=8)
    assert teams.team["kathleen"] == ("callum",)


def test_a_visit_nobody_near_can_take_goes_to_a_regular_from_further_afield():
    """Of the sixty nearest workers only Callum works, on Fridays; the Tuesday visit goes
    to Fiona, further away and on shift on Tuesdays, rather than to whoever is free."""
    callum = replace(_worker("callum", 1), windows={4: [(7 * 60, 15 * 60)]})
    idle = [replace(_worker(f"idle{i:02d}", 2), windows={}) for i in range(59)]
    fiona = replace(_worker("fiona", 5), windows={1: [(7 * 60, 15 * 60)]})
    teams = regular_teams([_person([1, 4])], [callum, *idle, fiona], target=4, most=8)
    assert sorted(teams.team["kathleen"]) == ["callum", "fiona"]
    planned = {key[1]: who for key, who in teams.planned.items()}
    assert planned == {1: ("fiona",), 4: ("callum",)}
    assert sum(teams.uncovered.values()) == 0
