"""One person's journey in a real browser, from referral to hand-back, with the
clock moved on between the steps: the coordinator and the council's broker
each watch their what-is-due page, and every deadline appears when its clock
starts and clears at the moment the thing is done (issue 4, "done when")."""

from datetime import datetime, timedelta

import pytest
import time_machine
from playwright.sync_api import expect

from homecare.domain.patterns import LONDON
from homecare.journey import hospital
from homecare.journey.models import HandBack, HospitalStay, PackageChange
from homecare.referrals import services
from homecare.referrals.models import Offer
from tests.browser.pages import screenshot
from tests.browser.test_referral_journey import signed_in  # noqa: F401  (the fixture)
from tests.referrals.conftest import market  # noqa: F401  (the fixture)
from tests.referrals.helpers import VISITS

MONDAY_9AM = datetime(2026, 11, 30, 9, 0, tzinfo=LONDON)


def _row(page, kind, package):
    return page.locator(f'tr[data-kind="{kind}"][data-package="{package.pk}"]')


def _due(page, later=False):
    page.goto("/plans/due/?later=1" if later else "/plans/due/")
    return page


def _accept(page, person_short):
    """The coordinator accepts an offer from the inbox: the earliest arrival in
    every slot, starting tomorrow."""
    page.goto("/referrals/inbox/")
    page.locator("tr.offer-row", has_text=person_short).first.get_by_role(
        "link", name=person_short
    ).click()
    for arrival in page.locator("form.accept-form input[name^=arrival_]").all():
        arrival.fill(arrival.get_attribute("min"))
    start = page.get_by_label("Start date")
    start.fill((page_today() + timedelta(days=1)).isoformat())
    start.blur()
    page.get_by_role("button", name="Accept", exact=True).click()
    expect(page.locator(".messages")).to_contain_text("Accepted")


def page_today():
    from django.utils import timezone

    return timezone.localdate()


def _confirm(page, referral):
    page.goto(f"/referrals/{referral.pk}/")
    page.get_by_role("link", name="Confirm a provider").click()
    page.get_by_role("button", name="Confirm and create the package").click()
    expect(page.locator(".messages")).to_contain_text("Placed with")


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_one_persons_journey_with_every_deadline_appearing_and_clearing(
    market,  # noqa: F811
    signed_in,  # noqa: F811
    settings,
):
    person = market["person"]
    with time_machine.travel(MONDAY_9AM, tick=False) as clock:
        broker = signed_in(market["broker"])
        office = signed_in(market["coordinator"])
        # The journey runs over three weeks: keep both signed in across them.
        settings.SESSION_IDLE_TIMEOUT_MINUTES = 100_000
        settings.SESSION_ABSOLUTE_TIMEOUT_MINUTES = 100_000
        settings.SESSION_COOKIE_AGE = 100_000 * 60

        # Referral: a hospital discharge, accepted by the coordinator, placed by the broker.
        referral = services.referral_publish(
            by=market["broker"],
            referral=services.referral_create(
                by=market["broker"],
                individual=person,
                visits=VISITS,
                kind="hospital_discharge",
                urgency="urgent",
                source="hospital_team",
                referrer_name="Ward 4, Royal Blackburn",
                requested_start=page_today(),
                needs_statement="Help to wash, dress and eat",
                moving_and_handling="Zimmer frame",
                known_risks="Falls",
                consent="consented",
            ),
        )
        _accept(office, "Margaret E.")
        _confirm(broker, referral)
        package = Offer.objects.get(referral=referral, provider=market["provider"]).package

        # Plan: due 5 days after the start (LAN-HC), on both sides until it is written.
        expect(_row(_due(office), "plan.due_after_start", package)).to_have_count(1)
        expect(_row(_due(broker), "plan.due_after_start", package)).to_have_count(1)
        office.goto(f"/plans/package/{package.pk}/edit/")
        office.locator("[name=form_of_address]").fill("Margaret")
        office.locator("[name=outcomes]").fill("To wash and dress with less help")
        office.locator("[name=actions]").fill(
            "Fit a grab rail | Occupational therapist | 2027-01-31"
        )
        office.locator("[name=review_date]").fill("2027-01-20")
        office.locator("#plan-issue").click()
        expect(_row(_due(office, later=True), "plan.due_after_start", package)).to_have_count(0)

        # First review (light touch within 8 weeks, KENT-3.11.1 on this contract's rulebook).
        clock.move_to(MONDAY_9AM + timedelta(days=2))
        first_review = _row(_due(office, later=True), "review.first", package)
        expect(first_review).to_have_count(1)
        office.goto(f"/plans/package/{package.pk}/reviews/")
        form = office.locator("#review-record-form")
        form.locator("[name=kind]").select_option("light_touch")
        form.locator("[name=held_on]").fill(page_today().isoformat())
        form.locator("[name=summary]").fill("Settling in well; wants help with lunch")
        office.locator("#review-record").click()
        expect(_row(_due(office, later=True), "review.first", package)).to_have_count(0)

        # An increase within the hour a day (LAN-HC-5.4): applied at once, seen by the council.
        office.goto(f"/journey/packages/{package.pk}/")
        office.get_by_role("link", name="Propose a change to care").click()
        office.locator("[name=kind]").select_option("increase")
        office.locator("[name=operation]").select_option("add")
        office.locator("[name=weekdays][value='2']").check()
        office.locator("[name=start_time]").fill("12:00")
        office.locator("[name=end_time]").fill("12:30")
        office.locator("[name=starts_on]").fill(page_today().isoformat())
        office.locator("[name=agreed_with]").fill("Margaret and her daughter Susan")
        office.locator("[name=reason]").fill("Help with lunch, from the first review")
        office.locator("[name=risk_assessed]").check()
        office.locator("[name=person_agrees]").check()
        screenshot(office, "journey-change-form")
        office.get_by_role("button", name="Propose the change").click()
        expect(office.locator("h1 .badge")).to_have_text("Applied")
        change = PackageChange.objects.get(package=package)
        assert change.moved_visit_ids
        broker.goto("/journey/changes/")
        expect(broker.locator("tr", has_text="Entwistle-Quayle")).to_contain_text("Applied")

        # Hospital: admitted to a ward, held 72 hours (LAN-HC-6.1), then suspended.
        clock.move_to(MONDAY_9AM + timedelta(days=3))
        office.goto(f"/journey/packages/{package.pk}/")
        office.get_by_role("link", name="Record a hospital admission").click()
        office.locator("[name=place]").select_option("ward")
        office.locator("[name=hospital]").fill("Royal Blackburn, ward C4")
        office.get_by_role("button", name="Record the admission").click()
        expect(office.locator(".messages")).to_contain_text("the council has been told")
        stay = HospitalStay.objects.get(package=package)
        screenshot(office, "journey-hospital-stay")
        for page in (office, broker):
            expect(_row(_due(page), "hospital.hold", package)).to_have_count(1)
        screenshot(broker, "journey-due-council")
        clock.move_to(stay.hold_until - timedelta(minutes=1))
        assert hospital.stays_end_holds() == 0
        expect(_row(_due(broker), "hospital.hold", package)).to_have_count(1)
        clock.move_to(stay.hold_until + timedelta(minutes=1))
        assert hospital.stays_end_holds() == 1  # the periodic job, run on our command
        for page in (office, broker):
            expect(_row(_due(page, later=True), "hospital.hold", package)).to_have_count(0)
        office.goto(f"/journey/stays/{stay.pk}/")
        expect(office.locator("h1 .badge")).to_have_text("In hospital, package suspended")

        # Home after the hold: the broker restarts it, offered to this provider first
        # with 2 hours to confirm (LAN-HC-6.4, LAN-HC-6.5).
        office.get_by_role("button", name="Record the discharge").click()
        expect(office.locator(".messages")).to_have_text("Discharge recorded.")
        broker.goto(f"/journey/stays/{stay.pk}/")
        broker.get_by_role("button", name="Send the restart").click()
        expect(broker.locator("h1")).to_contain_text("REF-")
        restart = _row(_due(office), "hospital.restart", package)
        expect(restart).to_have_count(1)
        stay.refresh_from_db()
        _accept(office, "Margaret E.")
        expect(_row(_due(office, later=True), "hospital.restart", package)).to_have_count(0)
        _confirm(broker, stay.restart_referral)
        restarted = Offer.objects.get(referral=stay.restart_referral).package

        # Hand-back: too little notice is refused with the clause; 10 working days is
        # accepted; on the last day the records go over and the package closes.
        office.goto(f"/journey/packages/{restarted.pk}/hand-back/")
        office.locator("[name=last_day]").fill((page_today() + timedelta(days=5)).isoformat())
        office.locator("[name=reason]").fill("No carers left on this round")
        office.get_by_role("button", name="Give notice").click()
        expect(office.locator(".errorlist")).to_contain_text("10 working days")
        office.goto(f"/journey/packages/{restarted.pk}/hand-back/")
        office.locator("[name=reason]").fill("No carers left on this round")
        office.get_by_role("button", name="Give notice").click()
        expect(office.locator(".messages")).to_contain_text("Notice given")
        handback = HandBack.objects.get(package=restarted)
        for page in (office, broker):
            expect(_row(_due(page, later=True), "handback.last_day", restarted)).to_have_count(1)
        clock.move_to(datetime.combine(handback.last_day, MONDAY_9AM.timetz()))
        office.goto(f"/journey/hand-backs/{handback.pk}/")
        office.locator("[name=handed_to]").fill("Lancashire County Council")
        for box in office.locator("[name=handed_over]").all():
            box.check()
        office.get_by_role("button", name="Hand back and close").click()
        expect(office.locator(".messages")).to_contain_text("Handed back")
        for page in (office, broker):
            expect(_row(_due(page, later=True), "handback.last_day", restarted)).to_have_count(0)
        restarted.refresh_from_db()
        assert restarted.status == "closed"
