"""Small helpers for browser tests: a browser context per person, signed in
through the real sign-in page with their password and a current TOTP code."""

from pathlib import Path

from django_otp.oath import totp
from playwright.sync_api import Browser, Page, expect

from homecare.accounts.services import user_enrol_totp

PASSWORD = "correct horse battery staple"  # tests/factories.py UserFactory
SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
VIEWPORT = {"width": 1280, "height": 800}


def current_code(device) -> str:
    code = totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits)
    return f"{code:0{device.digits}d}"


def new_page(browser: Browser, base_url: str) -> Page:
    """A fresh context (own cookies), set up as tests/browser/conftest.py's ``page``."""
    context = browser.new_context(
        base_url=base_url, locale="en-GB", timezone_id="Europe/London", viewport=VIEWPORT
    )
    context.set_default_timeout(10_000)
    return context.new_page()


def sign_in(page: Page, user) -> Page:
    """Enrol ``user`` for TOTP and sign in as a person would: username,
    password and the code their authenticator app shows now."""
    device = user_enrol_totp(user=user)
    page.goto("/accounts/login/")
    page.get_by_label("Username").fill(user.username)
    page.get_by_label("Password").fill(PASSWORD)
    page.locator("[name=otp_token]").fill(current_code(device))
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()
    return page


def screenshot(page: Page, name: str) -> None:
    """A full-page screenshot for the docs: docs/screenshots/<name>.png."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SCREENSHOTS / f"{name}.png", full_page=True)
