"""The same seed builds the same world; another seed, another one."""

import pytest
from django.db import transaction

from homecare.demo.world import build_world, world_fingerprint

pytestmark = pytest.mark.django_db


def _fingerprint(seed: int) -> str:
    """Build a tenth of the small world, fingerprint it, and roll it back."""
    with transaction.atomic():
        build_world(size="small", seed=seed, scale=0.1)
        fingerprint = world_fingerprint()
        transaction.set_rollback(True)
    return fingerprint


def test_the_same_seed_gives_the_same_people_workers_and_patterns():
    assert _fingerprint(7) == _fingerprint(7)


def test_another_seed_gives_other_people():
    assert _fingerprint(7) != _fingerprint(8)
