"""The body map on a phone-sized screen: the worker taps the outline where a skin
concern is, says what it is, and the mark reaches the visit record, with or
without signal; a redraw of the screen keeps what the worker was typing."""

import pytest
from playwright.sync_api import expect

from homecare.visits.models import SkinConcern
from tests.browser import test_phone_app
from tests.browser.pages import new_page, screenshot, sign_in

pytestmark = pytest.mark.django_db(transaction=True)

visit_now = test_phone_app.visit_now  # the fixture: a visit that began five minutes ago


def tap(page, side, x, y):
    """Tap the ``side`` outline at (x, y) of its 200 x 440 drawing."""
    outline = page.locator(f"[data-bodymap] svg[data-side='{side}']")
    expect(outline).to_be_visible()
    # The screen is redrawn when an answer or a refresh arrives: between finding
    # the outline and measuring it, it may have been replaced. Measure again.
    for _ in range(50):
        if box := outline.bounding_box():
            break
        page.wait_for_timeout(100)
    outline.click(position={"x": x * box["width"] / 200, "y": y * box["height"] / 440})


def test_a_skin_concern_marked_on_the_phone_reaches_the_visit_record(
    browser, live_server, world, visit_now
):
    context, page = test_phone_app._phone(browser, live_server, world["person"])
    try:
        sign_in(page, world["worker"])
        page.goto(f"/visits/app/#visit/{visit_now.pk}")
        page.get_by_role("button", name="Check in", exact=True).click()
        expect(page.locator(".chip.in_progress")).to_be_visible()
        expect(page.locator("#sync")).to_have_text("All sent")

        # A half-written note survives the screen being redrawn by a refresh.
        page.get_by_label("Note", exact=True).fill("Half-written")
        page.evaluate("window.dispatchEvent(new Event('online'))")
        expect(page.locator("#sync")).to_have_text("All sent")
        expect(page.get_by_label("Note", exact=True)).to_have_value("Half-written")

        tap(page, "back", 100, 215)
        expect(page.locator("[data-draft]")).to_contain_text("New mark on the back")
        page.get_by_label("What is it").select_option("pressure")
        page.get_by_label("What it looks like").fill("Red, unbroken, 3 cm; cream applied")
        page.get_by_role("button", name="Save mark").click()
        expect(page.locator("#sync")).to_have_text("All sent")
        marks = page.locator("[data-bodymap] ol.skin li")
        expect(marks).to_have_count(1)
        expect(marks.first).to_contain_text("Pressure area (redness, sore), lower back (sacrum)")

        context.set_offline(True)
        page.wait_for_function("() => navigator.onLine === false")  # as the phone app test
        tap(page, "front", 46, 120)
        page.get_by_label("What is it").select_option("bruise")
        page.get_by_label("What it looks like").fill("Blue-purple, 4 cm, says she knocked it")
        page.get_by_role("button", name="Save mark").click()
        expect(page.locator("#sync")).to_have_text("Offline · 1 to send")
        expect(marks).to_have_count(2)
        expect(marks.nth(1)).to_contain_text("to send")
        expect(page.locator("[data-bodymap] svg[data-side='front'] .mark.pending")).to_have_count(1)
        expect(page.locator("[data-bodymap] svg[data-side='back'] .mark")).to_have_count(1)
        page.locator("#toast").evaluate("el => el.hidden = true")
        page.locator("[data-bodymap]").scroll_into_view_if_needed()
        test_phone_app.screenshot(page, "phone-body-map")
        context.set_offline(False)
        page.evaluate("window.dispatchEvent(new Event('online'))")
        expect(page.locator("#sync")).to_have_text("All sent")
        expect(marks.nth(1)).to_contain_text("Bruise, right upper arm")
    finally:
        context.close()

    assert sorted(SkinConcern.objects.values_list("region", "kind")) == [
        ("lower back (sacrum)", "pressure"),
        ("right upper arm", "bruise"),
    ]

    office = new_page(browser, live_server.url)
    try:
        sign_in(office, world["coordinator"])
        office.goto(f"/visits/{visit_now.pk}/record/")
        expect(office.get_by_role("heading", name="Body map")).to_be_visible()
        expect(office.locator(".bodymaps .mark")).to_have_count(2)
        expect(office.locator("ol.skin li").first).to_contain_text(
            "Pressure area (redness, sore), lower back (sacrum): Red, unbroken, 3 cm"
        )
        office.get_by_role("heading", name="Body map").scroll_into_view_if_needed()
        screenshot(office, "visit-record-body-map")
    finally:
        office.context.close()
