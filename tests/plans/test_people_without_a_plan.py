"""LAN-ST-9.6: twice a week, everyone on the service for 6 days or more
without a Short Term Care at Home plan is listed to the council."""

from datetime import date, timedelta

from django.urls import reverse

from homecare.core.schedule import PERIODIC
from homecare.notifications.models import Notification
from homecare.packages.models import CarePackage
from homecare.plans.missing import missing_plan_lists_send, people_without_plan
from homecare.plans.models import MissingPlanList

MONDAY = date(2026, 11, 30)


def test_the_list_holds_people_six_days_or_more_without_a_plan(world, under, issue_plan):
    """LAN-ST-9.6: 6 days or more, no plan."""
    package = under("lan-st", start_days_ago=6)
    today = package.start_date + timedelta(days=6)
    [row] = people_without_plan(CarePackage.objects.all(), today)
    assert row["reference"] == package.reference and row["days"] == 6
    assert people_without_plan(CarePackage.objects.all(), today - timedelta(days=1)) == []
    issue_plan()
    assert people_without_plan(CarePackage.objects.all(), today) == []


def test_other_contracts_ask_for_no_list(world, under):
    under("kent", start_days_ago=30)
    assert people_without_plan(CarePackage.objects.all(), MONDAY) == []


def test_sent_on_mondays_and_thursdays_once_a_day(world, under):
    """LAN-ST-9.6: twice weekly; the rulebook says how often, homecare picks the days."""
    under("lan-st", start_days_ago=10)
    world["council"].email = "asc@lancashire.example.org"
    world["council"].save(update_fields=["email"])
    sent = {
        day: len(missing_plan_lists_send(today=day))
        for day in (MONDAY + timedelta(days=n) for n in range(7))
    }
    assert [sent[MONDAY + timedelta(days=n)] for n in range(7)] == [1, 0, 0, 1, 0, 0, 0]
    assert missing_plan_lists_send(today=MONDAY) == []  # once a day
    lists = MissingPlanList.objects.order_by("for_date")
    assert [x.for_date.weekday() for x in lists] == [0, 3]
    notes = Notification.objects.filter(kind="plan_missing").order_by("raised_at")
    assert notes.count() == 2 and notes[0].refs == ["LAN-ST-9.6"]
    assert "Entwistle-Quayle" in notes[0].body


def test_the_job_is_periodic():
    assert "plans.missing_plan_lists" in PERIODIC


def test_the_report_page_for_both_sides(world, under, login):
    under("lan-st", start_days_ago=8)
    for who in ("coordinator", "broker"):
        html = login(world[who]).get(reverse("plans:without_plan")).content.decode()
        assert "Entwistle-Quayle" in html and "LAN-ST-9.6" in html
    for who in ("outsider", "other_broker"):
        html = login(world[who]).get(reverse("plans:without_plan")).content.decode()
        assert "Entwistle-Quayle" not in html
