"""Each role sees its own side of the service, through the access helpers."""

from datetime import time, timedelta

import time_machine
from django.urls import reverse
from django.utils import timezone

from homecare.core import access
from homecare.packages import services
from tests import factories as f


def test_a_provider_sees_only_the_people_it_delivers_to(world):
    stranger = f.IndividualFactory(organisation=world["council"], area=world["area"])
    seen = set(access.individuals_for(world["coordinator"]))
    assert world["person"] in seen
    assert stranger not in seen
    assert stranger in set(access.individuals_for(world["broker"]))


def test_a_council_sees_its_own_contracts_only(world):
    assert list(access.contracts_for(world["broker"])) == [world["contract"]]
    assert list(access.contracts_for(world["other_broker"])) == []
    assert list(access.workers_for(world["broker"])) == []


def test_a_care_worker_sees_the_people_on_their_rota_for_the_coming_week_only(world):
    """KENT-8.7.4: staff carry no more personal data than a week's work needs."""
    worker = world["worker"]
    assert list(access.individuals_for(worker)) == [world["person"]]
    assert list(access.workers_for(worker)) == [world["care_worker"]]
    with time_machine.travel(timezone.now() + timedelta(days=9)):
        assert list(access.individuals_for(worker)) == []


def test_family_see_one_person_and_who_is_coming(world, login):
    daughter = world["daughter"]
    assert list(access.individuals_for(daughter)) == [world["person"]]
    page = login(daughter).get(reverse("core:home")).content.decode()
    assert "Visits to Margaret" in page
    assert world["care_worker"].given_name in page
    assert world["care_worker"].family_name not in page  # first names only for family


def test_a_care_worker_home_page_lists_their_visits(world, login):
    page = login(world["worker"]).get(reverse("core:home")).content.decode()
    assert "Margaret" in page
    assert "Personal care" in page


def test_a_coordinator_home_page_counts_unrostered_visits(world, login):
    package = world["package"]
    today = timezone.localdate()
    services.pattern_entry_add(
        by=world["coordinator"],
        package=package,
        weekdays=[(today + timedelta(days=1)).weekday()],
        start_time=time(19),
        end_time=time(19, 30),
    )
    page = login(world["coordinator"]).get(reverse("core:home")).content.decode()
    assert "Not yet rostered" in page
    assert "19:00" in page


def test_a_commissioner_sees_block_usage(world, login):
    """LAN-ST-4.1: block contracts have minimum, start and maximum levels of hours."""
    page = login(world["commissioner"]).get(reverse("core:home")).content.decode()
    assert world["contract"].reference in page
    assert "Block use" in page


def test_the_rulebook_page_shows_each_number_beside_its_clause(world, login):
    page = (
        login(world["broker"])
        .get(reverse("organisations:rulebook", args=[world["contract"].pk]))
        .content.decode()
    )
    assert "LAN-HC-3.6" in page
    assert "72 hours" in page
