"""A real browser for end-to-end tests: Playwright driving Debian's Chromium.

``browser`` is one headless Chromium per test module, ``page`` a fresh context
(cookies, storage) per test pointed at pytest-django's ``live_server``.  No
browser is ever downloaded: `.ci/run` installs Debian's ``chromium``; without
it these tests skip here and fail under CI.

Why per module and not per session: while Playwright's sync API is started it
leaves an asyncio loop marked running in the main thread, and Django's ORM then
needs DJANGO_ALLOW_ASYNC_UNSAFE.  Stopping it when a browser module ends keeps
both out of the (shuffled) tests that run after it; a launch costs about a second.
"""

import os
from pathlib import Path

import pytest

from tests.core.required import unavailable

CHROMIUM = Path(os.environ.get("HOMECARE_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    # Without these Chromium keeps calling out to hosts this network refuses.
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
FAILURES_DIR = Path(__file__).resolve().parents[2] / "test-results"


@pytest.fixture(scope="module")
def browser(request):
    """Headless Chromium; a test module may set ``CHROMIUM_EXTRA_ARGS`` (e.g. a fake
    camera for the phone app's QR scanner)."""
    if not CHROMIUM.exists():
        unavailable(f"no Chromium at {CHROMIUM} (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    # Playwright's sync API keeps an asyncio loop running in this thread, which
    # Django's ORM would take for async code: allow it while the browser lives only.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    playwright = sync_playwright().start()
    try:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM),
            args=CHROMIUM_ARGS + list(getattr(request.module, "CHROMIUM_EXTRA_ARGS", ())),
        )
        try:
            yield browser
        finally:
            browser.close()
    finally:
        playwright.stop()
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item, call):
    report = yield
    setattr(item, f"report_{report.when}", report)
    return report


@pytest.fixture
def page(request, browser, live_server):
    """A fresh browser context on the live server; a failing test leaves a screenshot
    in test-results/."""
    context = browser.new_context(
        base_url=live_server.url,
        locale="en-GB",
        timezone_id="Europe/London",
        viewport={"width": 1280, "height": 800},
    )
    context.set_default_timeout(10_000)
    page = context.new_page()
    try:
        yield page
        report = getattr(request.node, "report_call", None)
        if report is not None and report.failed:
            FAILURES_DIR.mkdir(exist_ok=True)
            page.screenshot(path=FAILURES_DIR / f"{request.node.name}.png", full_page=True)
    finally:
        context.close()
