"""With time travel: a deadline appears in this week, then today, then
overdue, on the coordinator's page and the council's alike, and clears when
the thing is done."""

from datetime import datetime, time, timedelta

from django.urls import reverse
from django.utils import timezone

from homecare.domain.deadlines import LONDON
from homecare.plans import services


def _bucket(client, key):
    html = client.get(reverse("plans:due")).content.decode()
    for name in ("overdue", "today", "this_week"):
        section = html.split(f'id="due-{name}"')[1].split("</section>")[0]
        if f'data-key="{key}"' in section:
            return name
    return None


def test_first_review_appears_and_clears_on_both_sides(world, under, login, time_machine):
    """KENT-3.11.1: the light-touch review within 8 weeks, seen by the provider's
    coordinator and the council officer, from this week to overdue to done."""
    package = under("kent", start_days_ago=0)
    key = f"review.first:{package.pk}"
    due_day = package.start_date + timedelta(weeks=8)

    def at(day, hour=10):
        time_machine.move_to(datetime.combine(day, time(hour), tzinfo=LONDON), tick=False)
        return {who: _bucket(login(world[who]), key) for who in ("coordinator", "broker")}

    assert at(package.start_date + timedelta(days=1)) == {"coordinator": None, "broker": None}
    assert at(due_day - timedelta(days=3)) == {"coordinator": "this_week", "broker": "this_week"}
    assert at(due_day) == {"coordinator": "today", "broker": "today"}
    assert at(due_day + timedelta(days=1)) == {"coordinator": "overdue", "broker": "overdue"}
    services.review_hold(
        by=world["coordinator"],
        package=package,
        kind="light_touch",
        held_on=timezone.localdate(),
        summary="Late, but held",
    )
    assert at(due_day + timedelta(days=1), hour=11) == {"coordinator": None, "broker": None}


def test_another_council_and_provider_never_see_it(world, under, login):
    package = under("kent", start_days_ago=60)
    key = f"review.first:{package.pk}"
    assert _bucket(login(world["coordinator"]), key) == "overdue"
    for who in ("outsider", "other_broker"):
        html = login(world[who]).get(reverse("plans:due")).content.decode()
        assert key not in html and "Entwistle-Quayle" not in html
