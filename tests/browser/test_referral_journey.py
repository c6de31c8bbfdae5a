"""A hospital discharge from the broker's first keystroke to the provider's books,
in a real browser, three people at three screens: the council's broker and the
coordinators of two providers in the same area. Then the clock: an answer not
in on time turns red on the board at the minute it falls due."""

import re
from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone
from playwright.sync_api import expect

from homecare.referrals import services
from homecare.referrals.models import Offer, Referral
from tests import factories as f
from tests.browser.conftest import FAILURES_DIR
from tests.browser.pages import new_page, screenshot, sign_in
from tests.referrals.conftest import market  # noqa: F401  (the fixture)
from tests.referrals.helpers import VISITS

RED = "rgb(200, 16, 46)"  # --bad in homecare.css


@pytest.fixture
def signed_in(request, browser, live_server, settings):
    """``signed_in(user)``: a page of its own browser context, signed in through
    the sign-in page. A failing test leaves each person's screen in test-results/."""
    # Time travel jumps a day: keep everyone signed in across it.
    settings.SESSION_IDLE_TIMEOUT_MINUTES = 10_000
    settings.SESSION_ABSOLUTE_TIMEOUT_MINUTES = 10_000
    settings.SESSION_COOKIE_AGE = 10_000 * 60
    pages = []

    def _signed_in(user):
        page = new_page(browser, live_server.url)
        pages.append((user, page))
        return sign_in(page, user)

    yield _signed_in
    report = getattr(request.node, "report_call", None)
    for user, page in pages:
        if report is not None and report.failed:
            FAILURES_DIR.mkdir(exist_ok=True)
            path = FAILURES_DIR / f"{request.node.name}-{user.username}.png"
            page.screenshot(path=path, full_page=True)
        page.context.close()


def publish(broker, person, kind, urgency="urgent"):
    """A referral recorded and published by the broker behind the scenes."""
    referral = services.referral_create(
        by=broker,
        individual=person,
        visits=VISITS,
        kind=kind,
        urgency=urgency,
        source="hospital_team",
        referrer_name="Royal Blackburn discharge team",
        requested_start=timezone.localdate(),
        needs_statement="Help to wash, dress and eat",
        moving_and_handling="Zimmer frame",
        known_risks="Falls",
        consent="consented",
    )
    return services.referral_publish(by=broker, referral=referral)


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_hospital_discharge_from_referral_to_the_providers_books(market, signed_in):  # noqa: F811
    person, first, second = market["person"], market["provider"], market["second"]
    broker = signed_in(market["broker"])
    pennine = signed_in(market["coordinator"])
    ribble = signed_in(market["second_coordinator"])
    today = timezone.localdate()
    tomorrow = today + timedelta(days=1)

    # The broker records the discharge: Margaret, every day at breakfast and tea.
    broker.goto("/referrals/new/")
    margaret = broker.locator("[name=individual] option", has_text="Entwistle-Quayle")
    broker.locator("[name=individual]").select_option(margaret.get_attribute("value"))
    broker.locator("[name=kind]").select_option(label="Hospital discharge")
    broker.locator("[name=urgency]").select_option(label="Urgent")
    broker.locator("[name=source]").select_option("hospital_team")
    broker.locator("[name=referrer_name]").fill("Ward 4 discharge team, Royal Blackburn")
    broker.locator("[name=requested_start]").fill(today.isoformat())
    broker.locator("[name=needs_statement]").fill("Help to wash, dress and eat; medication prompts")
    broker.locator("[name=moving_and_handling]").fill("Zimmer frame; perching stool in kitchen")
    broker.locator("[name=known_risks]").fill("Falls at night; keyed safe by the door")
    broker.locator("[name=consent]").select_option("consented")
    for row, (start, end, minutes, tasks) in enumerate(
        [
            ("07:30", "09:00", "45", "Wash and dress, Breakfast"),
            ("17:00", "18:30", "30", "Tea, Medication prompt"),
        ]
    ):
        broker.locator(f"[name=visits-{row}-every_day]").check()
        broker.locator(f"[name=visits-{row}-slot_start]").fill(start)
        broker.locator(f"[name=visits-{row}-slot_end]").fill(end)
        broker.locator(f"[name=visits-{row}-duration_minutes]").fill(minutes)
        broker.locator(f"[name=visits-{row}-tasks]").fill(tasks)
    broker.get_by_role("button", name="Save as a draft").click()

    expect(broker.locator(".messages")).to_contain_text("is recorded as a draft")
    referral = Referral.objects.get(individual=person)
    expect(broker.locator("h1")).to_contain_text(referral.reference)
    visits = broker.locator("table.visits-wanted-list tbody tr")
    expect(visits).to_have_count(2)
    expect(visits.first).to_contain_text("07:30–09:00")
    who = broker.locator("h2", has_text="Who will be offered it").locator(
        "xpath=following-sibling::table[1]"
    )
    expect(who.locator("tr", has_text=first.name)).to_contain_text("Offered")
    expect(who.locator("tr", has_text=second.name)).to_contain_text("Offered")
    expect(who.locator("tr", has_text="Preston Community Care")).to_contain_text("Excluded")

    broker.get_by_role("button", name="Publish to 2 providers").click()
    expect(broker.locator(".messages")).to_have_text(
        f"Published to {first.name} and {second.name}."
    )
    expect(broker.locator("table.offers tbody tr")).to_have_count(2)

    # Pennine sees it with its clock (24 hours, LAN-HC-3.8), and declines.
    pennine.goto("/referrals/inbox/")
    row = pennine.locator("tr.offer-row", has_text="Margaret E.")
    expect(row.locator("td.clock")).to_have_text(re.compile(r"^23 h \d\d min left$"))
    expect(row.locator("td.clock")).not_to_have_class(re.compile("overdue"))
    row.get_by_role("link", name="Margaret E.").click()
    expect(pennine.locator("h1")).to_contain_text(
        "Hospital discharge for Margaret Entwistle-Quayle"
    )
    pennine.get_by_label("Reason").select_option(label="No capacity")
    pennine.get_by_label("Details").fill("No carers free in East Lancashire until January.")
    pennine.get_by_role("button", name="Decline").click()
    expect(pennine.locator(".messages")).to_have_text("Declined.")
    expect(pennine.locator(".answer")).to_contain_text("You declined this offer")

    # Ribble Valley accepts: an arrival inside every slot, starting tomorrow.
    ribble.goto("/referrals/inbox/")
    row = ribble.locator("tr.offer-row", has_text="Margaret E.")
    expect(row.locator("td.clock")).to_have_text(re.compile(r"^23 h \d\d min left$"))
    row.get_by_role("link", name="Margaret E.").click()
    arrivals = ribble.locator("form.accept-form input[name^=arrival_]")
    expect(arrivals).to_have_count(14)
    for arrival in arrivals.all():
        arrival.fill("08:00" if arrival.get_attribute("min") == "07:30" else "17:30")
    start = ribble.get_by_label("Start date")
    start.fill(tomorrow.isoformat())
    start.blur()
    screenshot(ribble, "offer-page")
    ribble.get_by_role("button", name="Accept", exact=True).click()
    expect(ribble.locator(".messages")).to_have_text(
        "Accepted: the council will confirm the package."
    )
    expect(ribble.locator(".answer")).to_contain_text("You accepted this offer")

    # The broker sees both answers, and confirms Ribble Valley.
    broker.reload()
    offers = broker.locator("table.offers tbody tr")
    declined = offers.filter(has_text=first.name)
    expect(declined).to_contain_text(
        "Declined: No capacity: No carers free in East Lancashire until January."
    )
    accepted = offers.filter(has_text=second.name)
    expect(accepted).to_contain_text(f"Can start {tomorrow:%A %-d %B}")
    accepted.locator("summary", has_text="Arrival times (14)").click()
    expect(accepted.locator("ul.arrivals li").first).to_contain_text("arrive 08:00")
    screenshot(broker, "referral-detail")

    broker.get_by_role("link", name="Confirm a provider").click()
    broker.get_by_role("button", name="Confirm and create the package").click()
    expect(broker.locator(".messages")).to_have_text(
        f"Placed with {second.name}; the package is now in their books."
    )
    expect(broker.locator("h1 .badge")).to_have_text("Placed")
    package = Offer.objects.get(referral=referral, provider=second).package

    # In Ribble Valley's books.
    ribble.goto("/packages/")
    books = ribble.locator("table tbody tr", has_text=package.reference)
    expect(books).to_contain_text("Margaret Entwistle-Quayle")
    expect(books).to_contain_text(second.name)
    expect(books).to_contain_text(f"{tomorrow:%-d %b %Y}")

    # The clock: a second discharge nobody answers goes red at the minute it falls due.
    albert = f.IndividualFactory(
        organisation=market["council"],
        area=market["area"],
        given_name="Albert",
        family_name="Pickup",
    )
    late = publish(market["broker"], albert, "hospital_discharge")
    due = late.offers.first().due_at
    with time_machine.travel(due - timedelta(minutes=1), tick=False) as traveller:
        doris = f.IndividualFactory(
            organisation=market["council"],
            area=market["area"],
            given_name="Doris",
            family_name="Ainsworth",
        )
        publish(market["broker"], doris, "urgent_community")  # 2 hours to answer: not late
        broker.clock.install()  # the board's 30-second poll, on our command
        broker.goto("/referrals/?status=all")
        board_row = broker.locator("tr.referral-row", has_text=late.reference)
        expect(board_row.locator(".clock")).to_have_count(2)
        expect(board_row.locator(".clock").first).to_have_text("1 min left")
        expect(board_row.locator(".clock.overdue")).to_have_count(0)
        expect(board_row).not_to_have_class(re.compile("has-overdue"))

        traveller.move_to(due + timedelta(minutes=1))
        with broker.expect_response(re.compile(r"/referrals/board/rows/")):
            broker.clock.fast_forward("00:31")
        expect(board_row.locator(".clock.overdue")).to_have_count(2)
        expect(board_row.locator(".clock").first).to_have_text("1 min overdue")
        expect(board_row.locator(".clock").first).to_have_css("color", RED)
        expect(board_row).to_have_class(re.compile("has-overdue"))
        expect(board_row).to_contain_text("2 overdue")
        other = broker.locator("tr.referral-row", has_text="Ainsworth")
        expect(other.locator(".clock.overdue")).to_have_count(0)
        screenshot(broker, "broker-board")

        ribble.goto("/referrals/inbox/")
        inbox_row = ribble.locator("tr.offer-row", has_text="Albert P.")
        expect(inbox_row.locator("td.clock")).to_have_text("1 min overdue")
        expect(inbox_row.locator("td.clock")).to_have_css("color", RED)
        screenshot(ribble, "provider-inbox")
