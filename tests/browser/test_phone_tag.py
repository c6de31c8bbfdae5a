"""Checking in with the tag kept in the home, in a real browser on a phone-sized
screen: the QR code read by the camera, and the typed code where the phone cannot
read it.

Chromium on Linux has no ``BarcodeDetector`` (Chrome has it on Android, macOS and
ChromeOS) and no Web NFC, so here:

- the typed-code fallback runs as it would on such a phone, untouched;
- the camera path runs with Chromium's fake camera (a real ``getUserMedia``
  stream played in the page's ``<video>``) and a stand-in ``BarcodeDetector``
  that answers only for that playing video: what a camera can't give a headless
  browser is the decoding of a real QR code, and that is the browser's own code.
"""

import pytest
from playwright.sync_api import expect

from homecare.visits.models import CallRecord, HomeProfile, VisitEvent
from tests.browser import test_phone_app
from tests.browser.pages import sign_in

PHONE = test_phone_app.PHONE
visit_now = test_phone_app.visit_now  # the fixture: a visit that began five minutes ago

pytestmark = pytest.mark.django_db(transaction=True)

CHROMIUM_EXTRA_ARGS = ["--use-fake-device-for-media-stream"]

#: Stands in for the browser's BarcodeDetector: finds the home's code (in lower
#: case, as a sloppy print might be read) in a playing video with frames only.
DETECTOR = """
window.BarcodeDetector = class {
  constructor(options) { this.formats = options.formats; }
  static async getSupportedFormats() { return ["qr_code", "ean_13"]; }
  async detect(source) {
    const playing = source instanceof HTMLVideoElement && source.readyState >= 2
      && source.videoWidth > 0 && source.srcObject && source.srcObject.active;
    return playing ? [{ format: "qr_code", rawValue: "bb2-0417" }] : [];
  }
};
"""


def _phone(browser, live_server, permissions=()):
    """A phone with no GPS fix (location not allowed): the tag is the way in."""
    context = browser.new_context(
        base_url=live_server.url,
        locale="en-GB",
        timezone_id="Europe/London",
        viewport=PHONE,
        is_mobile=True,
        has_touch=True,
        permissions=list(permissions),
    )
    context.set_default_timeout(15_000)
    return context


def _open_visit(page, world):
    sign_in(page, world["worker"])
    page.goto("/visits/app/")
    page.locator(".card", has_text="Margaret Entwistle-Quayle").first.click()
    page.get_by_role("button", name="Check in", exact=True).click()
    expect(page.locator("#toast")).to_contain_text("No GPS fix")
    page.get_by_text("No GPS? Use the home's tag or a reason").click()


def _checked_in_with_the_tag(visit):
    event = VisitEvent.objects.get(visit=visit, kind="check_in")
    assert (event.outcome, event.method, event.payload["tag_code"]) == (
        "accepted",
        "tag",
        "BB2-0417",
    ), event.reason
    assert CallRecord.objects.get(visit=visit).status == "in_progress"


def test_where_the_phone_cannot_read_qr_codes_the_worker_types_the_code(
    browser, live_server, world, visit_now
):
    context = _phone(browser, live_server)
    try:
        page = context.new_page()
        _open_visit(page, world)
        expect(page.get_by_role("button", name="Tap the NFC tag")).to_have_count(0)  # no Web NFC
        page.get_by_role("button", name="Scan the QR code").click()
        help_ = page.locator("[data-tag-help]")
        expect(help_).to_have_text(
            "This phone's browser cannot read QR codes. "
            "Type the code printed under the QR code instead."
        )
        expect(page.locator("#scanner")).to_be_hidden()
        expect(page.get_by_label("Tag code in the home")).to_be_focused()
        page.locator("#toast").evaluate("el => el.hidden = true")
        test_phone_app.screenshot(page, "phone-tag")
        page.get_by_label("Tag code in the home").fill("bb2-0417")
        page.get_by_role("button", name="With the tag").click()
        expect(page.locator(".chip.in_progress")).to_be_visible()
        expect(page.locator("#sync")).to_have_text("All sent")
    finally:
        context.close()
    _checked_in_with_the_tag(visit_now)


def test_the_camera_reads_the_qr_code_and_checks_in(browser, live_server, world, visit_now):
    context = _phone(browser, live_server, permissions=["camera"])
    context.add_init_script(DETECTOR)
    try:
        page = context.new_page()
        _open_visit(page, world)
        page.get_by_role("button", name="Scan the QR code").click()
        expect(page.locator("#toast")).to_have_text("Tag read: BB2-0417")
        expect(page.locator("#scanner")).to_be_hidden()
        expect(page.locator(".chip.in_progress")).to_be_visible()
        expect(page.locator("#sync")).to_have_text("All sent")
        # The camera is let go once the code is read.
        assert page.evaluate("document.getElementById('scanner-video').srcObject") is None
    finally:
        context.close()
    _checked_in_with_the_tag(visit_now)


def test_a_camera_the_app_may_not_use_falls_back_to_typing(browser, live_server, world, visit_now):
    context = _phone(browser, live_server)  # camera not allowed
    context.add_init_script(DETECTOR)
    try:
        page = context.new_page()
        _open_visit(page, world)
        page.get_by_role("button", name="Scan the QR code").click()
        expect(page.locator("[data-tag-help]")).to_contain_text(
            "Type the code printed under the QR code instead."
        )
        expect(page.locator("#scanner")).to_be_hidden()
        assert not VisitEvent.objects.filter(visit=visit_now).exists()
    finally:
        context.close()


def test_the_coordinator_issues_and_prints_the_homes_qr_code(page, world):
    """From the person's page: issue a code, see it as a QR code ready to print."""
    from tests.browser.pages import screenshot

    sign_in(page, world["coordinator"])
    page.goto(f"/people/{world['person'].pk}/")
    page.get_by_role("link", name="Home tag (QR code to print)").click()
    expect(page.get_by_text("This home has no tag yet.")).to_be_visible()
    page.get_by_role("button", name="Issue a tag code").click()
    expect(page.get_by_text("New tag code issued")).to_be_visible()
    code = HomeProfile.objects.get(individual=world["person"]).tag_code
    expect(page.locator("[data-code]")).to_have_text(code)
    expect(page.locator("#tag svg")).to_be_visible()
    expect(page.get_by_role("button", name="Write to an NFC tag")).to_be_hidden()
    expect(page.get_by_text("Home tag issued")).to_be_visible()
    screenshot(page, "home-tag")

    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Replace the code").click()
    expect(page.get_by_text("Home tag replaced")).to_be_visible()
    replaced = HomeProfile.objects.get(individual=world["person"]).tag_code
    assert replaced != code
    expect(page.locator("[data-code]")).to_have_text(replaced)
