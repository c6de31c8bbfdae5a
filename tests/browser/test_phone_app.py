"""The care worker's phone app in a real browser on a phone-sized screen (390x844):
sign in, check in, record tasks and medication, lose the signal, check out, get
the signal back, and the visit is completed exactly once, on the coordinator's
live board too. Screenshots for the README."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from homecare.api_tokens.models import ApiToken
from homecare.monitoring.models import CallWatch
from homecare.packages import services as package_services
from homecare.packages.models import Visit
from homecare.visits import services
from homecare.visits.models import CallRecord, DoseRecord, Medication, TaskRecord, VisitEvent
from tests.browser.pages import SCREENSHOTS, new_page, sign_in

pytestmark = pytest.mark.django_db(transaction=True)

PHONE = {"width": 390, "height": 844}


def screenshot(page, name):
    """What the phone's screen shows (docs/screenshots/<name>.png)."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SCREENSHOTS / f"{name}.png")


@pytest.fixture
def visit_now(world):
    """A 45-minute visit that started five minutes ago, with a dose due on it."""
    now = timezone.localtime()
    start = (now - timedelta(minutes=5)).replace(second=0, microsecond=0)
    start = min(start, now.replace(hour=23, minute=10, second=0, microsecond=0))
    start = start.replace(minute=start.minute - start.minute % 5)
    package = world["package"]
    visit = Visit.objects.create(
        organisation=package.organisation,
        package=package,
        individual=package.individual,
        date=start.date(),
        planned_start=start,
        planned_end=start + timedelta(minutes=45),
        duration_minutes=45,
        tasks=["Personal care", "Make breakfast"],
    )
    package_services.visit_assign_workers(
        by=world["coordinator"], visit=visit, workers=[world["care_worker"]]
    )
    Medication.objects.create(
        organisation=world["provider"],
        individual=world["person"],
        name="Metformin",
        dose="500 mg, one tablet",
        times=[f"{start:%H:%M}"],
        instructions="With food.",
    )
    services.home_profile_set(
        by=world["coordinator"],
        organisation=world["provider"],
        individual=world["person"],
        tag_code="BB2-0417",
        access_notes="Key safe left of the front door, code 1966. Ring twice first.",
        safety_notes="Small dog, friendly; keep the gate shut.",
    )
    person = world["person"]
    person.preferred_name = "Maggie"
    person.save()
    return visit


def _phone(browser, live_server, person):
    context = browser.new_context(
        base_url=live_server.url,
        locale="en-GB",
        timezone_id="Europe/London",
        viewport=PHONE,
        device_scale_factor=2,
        is_mobile=True,
        has_touch=True,
        geolocation={
            "latitude": float(person.latitude),
            "longitude": float(person.longitude),
            "accuracy": 15,
        },
        permissions=["geolocation"],
    )
    context.set_default_timeout(15_000)
    return context, context.new_page()


def test_a_visit_recorded_offline_is_completed_exactly_once(browser, live_server, world, visit_now):
    context, page = _phone(browser, live_server, world["person"])
    try:
        sign_in(page, world["worker"])
        page.goto("/visits/app/")
        page.evaluate("navigator.serviceWorker.ready.then(() => true)")
        card = page.locator(".card", has_text="Margaret Entwistle-Quayle").first
        expect(card).to_be_visible()
        expect(page.locator("#sync")).to_have_text("All sent")
        screenshot(page, "phone-rota")

        card.click()
        expect(page.get_by_text("Likes to be called Maggie")).to_be_visible()
        expect(page.locator(".safety").first).to_contain_text("Small dog")
        page.get_by_role("button", name="Check in").click()
        expect(page.locator(".chip.in_progress")).to_be_visible()
        expect(page.locator("#sync")).to_have_text("All sent")
        screenshot(page, "phone-checked-in")

        page.locator("[data-task='Personal care']").get_by_role(
            "button", name="Done", exact=True
        ).click()
        refused = page.locator("[data-task='Make breakfast']")
        refused.get_by_placeholder("Reason if not done").fill("Had breakfast already")
        refused.get_by_role("button", name="Refused").click()
        page.locator("[data-dose='Metformin']").get_by_role(
            "button", name="Given", exact=True
        ).click()
        expect(page.locator("[data-dose='Metformin'] .done")).to_have_text("Given")
        expect(page.locator("#sync")).to_have_text("All sent")
        page.get_by_label("Note").fill("Low on milk; bins go out Thursday.")
        page.get_by_role("button", name="Save note").click()
        expect(page.locator("#sync")).to_have_text("All sent")
        page.locator("#toast").evaluate("el => el.hidden = true")
        page.get_by_role("heading", name="Tasks").scroll_into_view_if_needed()
        screenshot(page, "phone-visit")

        context.set_offline(True)
        # The phone knows it is offline before the worker taps (the browser tells
        # the page a moment after the network goes): the check-out is queued, not
        # sent into a connection that is going away.
        page.wait_for_function("() => navigator.onLine === false")
        page.get_by_role("button", name="Check out").click()
        expect(page.locator("#sync")).to_have_text("Offline · 1 to send")
        expect(page.locator(".chip.completed")).to_be_visible()
        page.reload()  # the service worker serves the shell; the queue is still there
        expect(page.locator("#sync")).to_contain_text("1 to send")
        page.get_by_role("heading", name="Medication").scroll_into_view_if_needed()
        screenshot(page, "phone-offline")
        assert Visit.objects.get(pk=visit_now.pk).status == "planned"

        context.set_offline(False)
        page.evaluate("window.dispatchEvent(new Event('online'))")
        expect(page.locator("#sync")).to_have_text("All sent")
    finally:
        context.close()

    visit = Visit.objects.get(pk=visit_now.pk)
    assert visit.status == "completed"
    call = CallRecord.objects.get(visit=visit)
    assert call.status == "completed" and call.history.filter(status="completed").count() == 1
    assert VisitEvent.objects.filter(visit=visit, kind="check_out").count() == 1
    assert dict(TaskRecord.objects.values_list("task", "outcome")) == {
        "Personal care": "done",
        "Make breakfast": "refused",
    }
    assert DoseRecord.objects.get().outcome == "given"
    assert CallWatch.objects.get(visit=visit).state == "completed"
    # The phone sent its events with its own token, not the session.
    token = ApiToken.objects.get(user=world["worker"], kind="phone", revoked_at__isnull=True)
    assert token.last_used_at is not None

    office = new_page(browser, live_server.url)
    try:
        sign_in(office, world["coordinator"])
        office.goto("/monitoring/board/")
        row = office.locator(f"tr[data-visit='{visit.pk}']")
        expect(row).to_have_count(1)
        expect(row.locator("[data-state]")).to_have_attribute("data-state", "completed")
    finally:
        office.context.close()


@pytest.fixture
def double_handed_now(world):
    """A double-handed 30-minute visit that started two minutes ago (a hoist), for
    Aishwarya and Tomasz."""
    from homecare.accounts.models import Role
    from tests import factories as f

    now = timezone.localtime()
    start = min(now - timedelta(minutes=2), now.replace(hour=23, minute=20)).replace(
        second=0, microsecond=0
    )
    package = world["package"]
    visit = Visit.objects.create(
        organisation=package.organisation,
        package=package,
        individual=package.individual,
        date=start.date(),
        planned_start=start,
        planned_end=start + timedelta(minutes=30),
        duration_minutes=30,
        workers_required=2,
        tasks=["Hoist to chair"],
    )
    partner = f.CareWorkerFactory(
        organisation=world["provider"], given_name="Tomasz", family_name="Nowak"
    )
    partner.user = f.UserFactory(organisation=world["provider"], role=Role.CARE_WORKER)
    partner.save()
    package_services.visit_assign_workers(
        by=world["coordinator"], visit=visit, workers=[world["care_worker"], partner]
    )
    return visit, partner


def test_the_first_worker_in_waits_for_the_partner_and_care_starts_when_both_are_in(
    browser, live_server, world, double_handed_now
):
    """KENT-3.3.7 on two phones: Aishwarya arrives first and sees "waiting for
    partner"; when Tomasz checks in her screen shows the care timer started."""
    visit, partner = double_handed_now
    first, first_page = _phone(browser, live_server, world["person"])
    second, second_page = _phone(browser, live_server, world["person"])
    try:
        sign_in(first_page, world["worker"])
        first_page.goto(f"/visits/app/#visit/{visit.pk}")
        expect(first_page.get_by_text("Double-handed with Tomasz Nowak")).to_be_visible()
        first_page.get_by_role("button", name="Check in", exact=True).click()
        waiting = first_page.locator("#waiting")  # at once, before the server answers
        expect(waiting).to_have_text("Waiting for partner: care starts when Tomasz Nowak is in.")
        expect(first_page.locator("#sync")).to_have_text("All sent")
        expect(waiting).to_be_visible()  # and still, from the server's answer
        expect(first_page.locator(".chip.waiting")).to_have_text("Waiting for partner")
        call = CallRecord.objects.get(visit=visit)
        assert call.status == "waiting" and call.care_started_at is None
        screenshot(first_page, "phone-waiting-for-partner")

        sign_in(second_page, partner.user)
        second_page.goto(f"/visits/app/#visit/{visit.pk}")
        expect(second_page.get_by_text("Double-handed with Aishwarya")).to_be_visible()
        second_page.get_by_role("button", name="Check in", exact=True).click()
        expect(second_page.locator(".chip.in_progress")).to_be_visible()
        expect(second_page.locator("#sync")).to_have_text("All sent")
        expect(second_page.locator("#waiting")).to_have_count(0)
        call.refresh_from_db()
        assert call.status == "in_progress"
        assert call.care_started_at == call.workers.get(worker=partner).checked_in_at
        care_from = timezone.localtime(call.care_started_at).strftime("%H:%M")
        expect(second_page.locator("#care-timer")).to_have_text(
            f"Both in: care started at {care_from}."
        )

        # The first phone learns it by itself (it polls while waiting), no reload.
        expect(first_page.locator("#waiting")).to_have_count(0, timeout=12_000)
        expect(first_page.locator("#care-timer")).to_have_text(
            f"Both in: care started at {care_from}."
        )
        expect(first_page.locator(".chip.in_progress")).to_be_visible()
    finally:
        first.close()
        second.close()
