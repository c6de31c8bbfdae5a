"""Personas (as healthchecks' alice, bob and charlie) and a small world they share.

- ``broker`` and ``commissioner`` work for ``council``;
- ``coordinator`` and ``manager`` work for ``provider``, which holds ``contract``;
- ``worker`` is a care worker of ``provider`` with a visit to ``person`` tomorrow;
- ``daughter`` follows ``person``'s care;
- ``outsider`` coordinates for ``other_provider`` (no contract with this council),
  ``other_broker`` brokers for ``other_council``: neither may see anything here.

``login(user)`` signs a client in with the second factor verified.
"""

from datetime import time, timedelta

import pytest
from django.utils import timezone

from homecare.accounts.models import Role
from homecare.packages import services as package_services
from tests import factories as f


@pytest.fixture
def world(db):
    council = f.CouncilFactory(name="Lancashire County Council")
    area = f.AreaFactory(organisation=council, name="East Lancashire")
    provider = f.ProviderFactory(name="Pennine Care at Home Ltd")
    other_provider = f.ProviderFactory(name="Elsewhere Homecare Ltd")
    other_council = f.CouncilFactory(name="Kent County Council")
    contract = f.ContractFactory(
        organisation=council,
        provider=provider,
        areas=[area],
        rulebook="lan-hc",
        kind="block",
        block_minutes_min=100 * 60,
        block_minutes_start=150 * 60,
        block_minutes_max=200 * 60,
    )
    person = f.IndividualFactory(
        organisation=council, area=area, given_name="Margaret", family_name="Entwistle-Quayle"
    )
    f.ContactFactory(individual=person, name="Susan Hargreaves")
    package = f.CarePackageFactory(
        contract=contract, individual=person, start_date=timezone.localdate() - timedelta(days=30)
    )
    care_worker = f.CareWorkerFactory(organisation=provider, given_name="Aishwarya")
    users = {
        "broker": f.UserFactory(organisation=council, role=Role.COUNCIL_BROKER),
        "commissioner": f.UserFactory(organisation=council, role=Role.COUNCIL_COMMISSIONER),
        "coordinator": f.UserFactory(organisation=provider, role=Role.PROVIDER_COORDINATOR),
        "manager": f.UserFactory(organisation=provider, role=Role.PROVIDER_MANAGER),
        "worker": f.UserFactory(organisation=provider, role=Role.CARE_WORKER),
        "daughter": f.UserFactory(role=Role.FAMILY, individual=person),
        "outsider": f.UserFactory(organisation=other_provider, role=Role.PROVIDER_COORDINATOR),
        "other_broker": f.UserFactory(organisation=other_council, role=Role.COUNCIL_BROKER),
    }
    care_worker.user = users["worker"]
    care_worker.save()
    tomorrow = timezone.localdate() + timedelta(days=1)
    package_services.pattern_entry_add(
        by=users["coordinator"],
        package=package,
        weekdays=[tomorrow.weekday()],
        start_time=time(9, 0),
        end_time=time(9, 45),
        tasks=["Personal care", "Breakfast"],
    )
    visit = package.visits.get(date=tomorrow)
    package_services.visit_assign_workers(
        by=users["coordinator"], visit=visit, workers=[care_worker]
    )
    return {
        "council": council,
        "area": area,
        "provider": provider,
        "other_provider": other_provider,
        "other_council": other_council,
        "contract": contract,
        "person": person,
        "package": package,
        "care_worker": care_worker,
        "visit": visit,
        **users,
    }


@pytest.fixture
def login(client):
    """Sign ``client`` in as ``user`` with two-factor verified, as after a real sign-in."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    def _login(user):
        device = TOTPDevice.objects.filter(user=user).first() or TOTPDevice.objects.create(
            user=user, name="test", confirmed=True
        )
        client.force_login(user)
        session = client.session
        session["otp_device_id"] = device.persistent_id
        session.save()
        return client

    return _login
