"""`homecare demo --no-serve` builds the world and prints one login per role."""

import functools
import io

import pytest
from django.core.management import call_command

from homecare.demo import world
from homecare.demo.management.commands import demo

pytestmark = pytest.mark.django_db


def test_demo_prints_every_roles_username_and_how_to_get_the_code(monkeypatch):
    # A tenth of the people keeps the test quick; the full small world is tested elsewhere.
    monkeypatch.setattr(demo, "build_world", functools.partial(world.build_world, scale=0.1))
    out = io.StringIO()
    call_command("demo", "--no-serve", "--size", "small", stdout=out)
    text = out.getvalue()
    for username in ["broker", "commissioner", "manager", "coordinator", "carer", "family"]:
        assert f"  {username} " in text
    assert "homecare-demo" in text
    assert ".venv/bin/homecare otp USERNAME" in text
    assert "Lancashire County Council" in text
