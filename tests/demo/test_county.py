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


def test_the_busiest_provider_is_staffed_for_its_peaks_and_teams_do_most_visits():
    """The coordinator's provider holds, in every hour, 1.35 times the care its visits
    need; over the rota week each person's most frequent workers (KENT-8.1: 4, or 8
    with double-handed visits) do most of their visits (the team is asked first)."""
    from collections import Counter, defaultdict
    from datetime import timedelta

    from django.utils import timezone

    from homecare.packages.models import VisitAssignment
    from homecare.rostering.day import load_day

    world = build_world(size="county", seed=7, scale=0.05)
    provider = Organisation.objects.get(name=COUNTY.largest.name)
    assert world.counts["workers"] > 0
    counts = defaultdict(Counter)
    double = set()
    rows = VisitAssignment.objects.filter(organisation=provider).values_list(
        "visit__individual_id", "worker_id", "visit__workers_required"
    )
    for person, worker, required in rows:
        counts[person][worker] += 1
        if required > 1:
            double.add(person)
    shares = [
        sum(n for _, n in c.most_common(8 if p in double else 4)) / sum(c.values())
        for p, c in counts.items()
    ]
    assert len(shares) > 50
    assert sum(s >= 0.85 for s in shares) / len(shares) > 0.9
    day = load_day(provider, timezone.localdate() + timedelta(days=1))
    for h in range(24):
        a, b = h * 60, h * 60 + 60
        need = sum(
            v.workers_required * max(0, min(b, v.start + v.minutes) - max(a, v.start))
            for v in day.visits
        )
        held = sum(max(0, min(b, y) - max(a, x)) for w in day.workers for x, y in w.shifts)
        assert held >= 1.3 * need, h
