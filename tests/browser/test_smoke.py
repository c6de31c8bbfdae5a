"""A coordinator signs in through the real sign-in page, with their second factor,
and finds their organisation and the people they care for."""

from pathlib import Path

import pytest
from django_otp.oath import totp
from playwright.sync_api import expect

from homecare.accounts.services import user_enrol_totp

PASSWORD = "correct horse battery staple"  # tests/factories.py UserFactory
SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"


def current_code(device) -> str:
    code = totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits)
    return f"{code:0{device.digits}d}"


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_coordinator_signs_in_with_their_second_factor_and_sees_their_people(page, world):
    coordinator = world["coordinator"]
    device = user_enrol_totp(user=coordinator)

    page.goto("/accounts/login/")
    page.locator("[name=username]").fill(coordinator.username)
    page.locator("[name=password]").fill(PASSWORD)
    page.locator("[name=otp_token]").fill(current_code(device))
    page.get_by_role("button", name="Sign in").click()

    expect(page.locator("h1")).to_have_text(world["provider"].name)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SCREENSHOTS / "coordinator-home.png", full_page=True)

    page.get_by_role("link", name="People", exact=True).click()
    expect(page.get_by_text("Margaret").first).to_be_visible()
