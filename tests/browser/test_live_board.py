"""The coordinator's live board in a real browser: a visit nobody starts turns late
at 45 minutes and missed at 2 hours, not a minute before (the clock travels), the
board shows it without a reload (htmx), and the council's mail holds exactly one
email for it. A screenshot of the board for the README."""

from datetime import timedelta
from pathlib import Path

import pytest
import time_machine
from django.urls import reverse
from playwright.sync_api import expect

from homecare.monitoring import monitor
from homecare.monitoring.models import CallWatch
from homecare.packages import services as package_services
from homecare.packages.models import Visit
from tests import factories as f
from tests.browser.pages import screenshot, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _refresh_rows(page):
    """What the board's 15-second poll does, now: fetch the rows partial, swap it in."""
    page.evaluate("() => htmx.trigger('#board-rows', 'refresh')")


def _row(page, visit):
    return page.locator(f'#board-rows tr[data-visit="{visit.pk}"]')


def _busy_morning(world, visit):
    """Other calls of the same morning, so the board looks like a real one."""
    people = []
    for i, (given, family) in enumerate(
        [
            ("Harold", "Pickersgill"),
            ("Edna", "Rawcliffe"),
            ("Winifred", "Ormerod"),
            ("Arthur", "Duckworth"),
            ("Doris", "Haworth"),
            ("Jean", "Sutcliffe"),
            ("Albert", "Greenhalgh"),
        ]
    ):
        person = f.IndividualFactory(
            organisation=world["council"],
            area=world["area"],
            given_name=given,
            family_name=family,
        )
        package = f.CarePackageFactory(
            contract=world["contract"],
            individual=person,
            status="active",
            start_date=visit.date - timedelta(days=10),
        )
        start = visit.planned_start + timedelta(minutes=15 * (i - 2) if i < 5 else 30 * i - 60)
        other = Visit.objects.create(
            organisation=world["provider"],
            package=package,
            individual=person,
            date=visit.date,
            planned_start=start,
            planned_end=start + timedelta(minutes=30),
            duration_minutes=30,
        )
        worker = f.CareWorkerFactory(organisation=world["provider"])
        package_services.visit_assign_workers(
            by=world["coordinator"], visit=other, workers=[worker]
        )
        people.append((other, worker))
    return people


def test_a_call_nobody_starts_turns_late_then_missed_on_the_board_and_one_email_goes(
    page, world, settings, tmp_path
):
    """KENT-3.9.4 (late at 45 minutes), KENT-3.9.5 (missed at 2 hours) and
    KENT-3.8.1 (the council is told in writing): end to end."""
    # The board's own polls do not keep a session alive (DSPT idle time-out); the
    # coordinator here watches for two hours without a click.
    settings.SESSION_IDLE_TIMEOUT_MINUTES = 24 * 60
    settings.EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    settings.EMAIL_FILE_PATH = str(tmp_path / "mail")
    mailbox = Path(settings.EMAIL_FILE_PATH)
    world["council"].email = "adult.social.care@lancashire.example.org"
    world["council"].save()
    visit = world["visit"]  # tomorrow 09:00-09:45, Aishwarya
    others = _busy_morning(world, visit)
    from homecare.monitoring import services

    with time_machine.travel(visit.planned_start - timedelta(minutes=10), tick=True) as clock:
        monitor.watch_days()
        for other, worker in others[:2]:
            services.call_started(
                visit=other, worker=worker, at=other.planned_start + timedelta(minutes=2)
            )
        sign_in(page, world["coordinator"])
        page.goto(reverse("monitoring:board"))
        expect(_row(page, visit).locator("[data-state]")).to_have_text("Planned")

        def at(minutes):
            clock.move_to(visit.planned_start + timedelta(minutes=minutes))
            monitor.sweep()
            _refresh_rows(page)

        at(44)
        expect(_row(page, visit).locator("[data-state]")).to_have_text("Due")
        at(44 + 59 / 60)
        expect(_row(page, visit).locator("[data-state]")).to_have_text("Due")
        at(45)
        expect(_row(page, visit).locator("[data-state]")).to_have_text("Late")
        expect(_row(page, visit)).to_have_class("call-late red")
        ended = others[0]
        services.call_ended(visit=ended[0], worker=ended[1], at=ended[0].planned_end)
        at(50)
        page.goto(reverse("monitoring:board"))
        expect(_row(page, visit)).to_have_class("call-late red")
        screenshot(page, "live-board")
        at(119)
        expect(_row(page, visit).locator("[data-state]")).to_have_text("Late")
        assert not mailbox.exists() or not list(mailbox.glob("*.log"))
        at(120)
        expect(_row(page, visit).locator("[data-state]")).to_have_text("Missed")
        expect(_row(page, visit)).to_have_class("call-missed red")
        at(125)
        at(180)
        expect(_row(page, visit).locator("[data-state]")).to_have_text("Missed")

    assert CallWatch.objects.get(visit=visit).missed_at == visit.planned_start + timedelta(
        minutes=120
    )
    mails = [p.read_text() for p in sorted(mailbox.glob("*.log"))]
    about_it = [m for m in mails if "Entwistle-Quayle" in m]
    assert len(about_it) == 1
    assert "[Missed call]" in about_it[0]
    assert "adult.social.care@lancashire.example.org" in about_it[0]
