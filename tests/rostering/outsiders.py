"""Outsider cases for the rota pages (see tests/test_outsiders_get_404.py).

The calendar feed has no sign-in: its secret token is the key, and a wrong
token is a 404 (tests/rostering/test_calendar.py).
"""

from homecare.rostering.models import RotaRun

DETAIL_ROUTES = {
    "rostering:run": ("rota_run", {}, "get"),
    "rostering:run_accept": ("rota_run", {}, "post"),
    "rostering:run_discard": ("rota_run", {}, "post"),
    "rostering:visit": ("visit", {}, "get"),
    "rostering:visit_pin": ("visit", {}, "post"),
    "rostering:worker": ("care_worker", {}, "get"),
    "rostering:worker_sick": ("care_worker", {}, "post"),
}
LIST_ROUTES = {
    "rostering:day": "Aishwarya",
    "rostering:run_request": None,
    "rostering:weights": None,
}
OPEN_ROUTES = {"rostering:calendar"}
ONE_SIDED = {"rostering:day": "office"}


def build(everything) -> dict:
    run = RotaRun.objects.create(
        organisation=everything["provider"],
        date=everything["visit"].date,
        kind="optimise",
        status=RotaRun.Status.DONE,
        requested_by=everything["coordinator"],
        before={"unassigned": 0},
        after={"unassigned": 0},
        proposal={},
    )
    return {"rota_run": run}
