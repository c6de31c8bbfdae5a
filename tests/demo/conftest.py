import pytest
from django.db import transaction

from homecare.demo.world import build_world


@pytest.fixture(scope="module")
def small_world(django_db_setup, django_db_blocker):
    """The small demo world, built once for the module and rolled back after it."""
    with django_db_blocker.unblock(), transaction.atomic():
        yield build_world(size="small", seed=7)
        transaction.set_rollback(True)
