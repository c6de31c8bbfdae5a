"""A person on a long-term package (Lancashire Homecare) with a week of
morning visits, at a fixed Monday morning, for the journey tests."""

from datetime import UTC, datetime, time, timedelta

import pytest
import time_machine

from homecare.packages import services as package_services
from tests import factories as f

#: Monday 30 November 2026, 09:00 in London (GMT).
MONDAY_9AM = datetime(2026, 11, 30, 9, 0, tzinfo=UTC)


@pytest.fixture
def at():
    with time_machine.travel(MONDAY_9AM, tick=False) as traveller:
        yield traveller


@pytest.fixture
def journey(at, world):
    """``world`` plus a package starting last week with a visit at 11:00 every day
    (45 minutes) and ``entry`` the Monday line."""
    package = f.CarePackageFactory(
        contract=world["contract"],
        individual=world["person"],
        start_date=MONDAY_9AM.date() - timedelta(days=7),
    )
    package_services.pattern_entry_add(
        by=world["coordinator"],
        package=package,
        weekdays=list(range(7)),
        start_time=time(11, 0),
        end_time=time(11, 45),
        tasks=["Lunch"],
    )
    entry = package.pattern.get(weekday=0)
    return {**world, "package": package, "entry": entry}


def contract_for(world, rulebook: str):
    """A contract of ``world``'s council and provider under another rulebook,
    with a package like ``journey``'s."""
    contract = f.ContractFactory(
        organisation=world["council"],
        provider=world["provider"],
        areas=[world["area"]],
        rulebook=rulebook,
    )
    package = f.CarePackageFactory(
        contract=contract,
        individual=world["person"],
        start_date=MONDAY_9AM.date() - timedelta(days=7),
    )
    package_services.pattern_entry_add(
        by=world["coordinator"],
        package=package,
        weekdays=list(range(7)),
        start_time=time(11, 0),
        end_time=time(11, 45),
    )
    return package


EVIDENCE = dict(
    agreed_with="Margaret and her daughter Susan, by phone",
    reason="Needs help with lunch since her fall",
    risk_assessed=True,
    person_agrees=True,
)
