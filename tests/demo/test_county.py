"""The county demo is East Lothian at full scale (ELOTH-3.2), tested here in miniature;
benchmarks/foundation.py builds and times the full one."""

import pytest

from homecare.accounts.models import User
from homecare.demo.specs import COUNTY
from homecare.demo.world import build_world
from homecare.organisations.models import Area, Contract, Organisation
from homecare.packages.models import Visit

pytestmark = pytest.mark.django_db


def test_the_county_world_buys_its_share_of_21000_care_hours_a_week():
    """ELOTH-3.2: about 21,000 hours a week; at a fiftieth scale, about 420."""
    world = build_world(size="county", seed=7, scale=0.02)
    assert 420 <= world.counts["care_hours_a_week"] <= 450
    council = Organisation.objects.get(kind="council")
    assert council.name == "East Lothian Health and Social Care Partnership"
    assert council.nation == "scotland"
    assert list(Area.objects.values_list("kind", flat=True)) == ["county"]
    assert set(Contract.objects.values_list("rulebook", flat=True)) == {"eloth"}
    assert Organisation.objects.filter(kind="provider").count() == len(COUNTY.providers)
    coordinator = User.objects.get(username="coordinator")
    assert coordinator.organisation.name == COUNTY.largest.name
    towns = {"EH21", "EH32", "EH33", "EH39", "EH41", "EH42"}
    assert {
        p.split()[0] for p in Visit.objects.values_list("individual__postcode", flat=True)
    } <= towns
