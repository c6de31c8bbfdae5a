"""Billing worlds: the shared ``world`` with four weeks of visits that happened.

- ``period``: the last whole four weeks (Monday to Sunday), closed, of the
  world's Lancashire contract (lan-hc: paid by the hour), with a rate on file;
- ``delivered``: the package's visits in that period, completed (Mon and Thu
  at 09:00 for 45 minutes, and the world's own weekday);
- ``block``: a Lancashire short-term block contract (lan-st) with the same
  kind of four weeks delivered.
"""

from datetime import datetime, time, timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from homecare.billing import services
from homecare.packages import services as package_services
from homecare.packages.models import Visit
from tests import factories as f


def last_four_weeks(today=None):
    today = today or timezone.localdate()
    this_monday = today - timedelta(days=today.weekday())
    return this_monday - timedelta(days=28), this_monday - timedelta(days=1)


def deliver(package, *, by, first, last, weekdays=(0, 3), at=time(9), minutes=45):
    """Add a pattern for ``weekdays`` and record its visits ``first``..``last`` as completed."""
    end = (datetime.combine(first, at) + timedelta(minutes=minutes)).time()
    package_services.pattern_entry_add(
        by=by, package=package, weekdays=list(weekdays), start_time=at, end_time=end
    )
    start = timezone.make_aware(datetime.combine(first, time(0)))
    package_services.visits_regenerate(
        packages=[package], by=by, now=start, horizon_days=(last - first).days
    )
    Visit.objects.filter(package=package, date__gte=first, date__lte=last).update(
        status=Visit.Status.COMPLETED
    )
    return list(
        Visit.objects.filter(package=package, date__gte=first, date__lte=last).order_by("date")
    )


@pytest.fixture
def dates():
    return last_four_weeks()


@pytest.fixture
def delivered(world, dates):
    first, last = dates
    package = world["package"]
    package.start_date = first - timedelta(days=60)
    package.save(update_fields=["start_date"])
    return deliver(package, by=world["coordinator"], first=first, last=last)


@pytest.fixture
def rate(world):
    return services.contract_rate_set(
        by=world["commissioner"],
        contract=world["contract"],
        valid_from=world["contract"].starts_on,
        hourly_rate=Decimal("22.50"),
    )


@pytest.fixture
def period(world, dates, rate, delivered):
    period = services.billing_period_open(
        by=world["commissioner"], contract=world["contract"], start=dates[0]
    )
    return services.billing_period_close(by=world["commissioner"], period=period)


@pytest.fixture
def invoice(world, period):
    return services.invoice_draft(
        by=world["coordinator"], contract=world["contract"], period=period
    )


@pytest.fixture
def block(world, dates):
    """A lan-st block: 20 h minimum, 25 h start, 30 h maximum a week, with visits delivered."""
    first, last = dates
    contract = f.ContractFactory(
        organisation=world["council"],
        provider=world["provider"],
        areas=[world["area"]],
        rulebook="lan-st",
        kind="block",
        reference="CON-BLOCK",
        hourly_rate=Decimal("20.00"),
        block_minutes_min=20 * 60,
        block_minutes_start=25 * 60,
        block_minutes_max=30 * 60,
        starts_on=first - timedelta(days=56),
    )
    package = f.CarePackageFactory(
        contract=contract,
        individual=world["person"],
        start_date=first - timedelta(days=56),
        reference="PKG-BLOCK",
    )
    deliver(
        package, by=world["coordinator"], first=first, last=last, weekdays=range(7), minutes=180
    )
    return {"contract": contract, "package": package}
