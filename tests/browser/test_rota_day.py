"""Issue 5 'done when', in a real browser: a coordinator optimises tomorrow, sees the
before and after figures, accepts, moves one visit by hand, marks a worker sick and
repairs the day; the care worker's home page and calendar feed show the new rota."""

import pytest
from playwright.sync_api import expect

from homecare.accounts.models import Role
from homecare.packages.models import VisitAssignment
from homecare.rostering import rules
from homecare.rostering.day import load_day
from tests import factories as f
from tests.browser.pages import new_page, screenshot, sign_in
from tests.rostering.conftest import rota  # noqa: F401  (the fixture)


@pytest.fixture(autouse=True)
def quick(settings):
    settings.HOMECARE_ROTA_SECONDS = {"optimise": 1.0, "repair": 1.0}


def _a_move_the_rules_allow(world):
    """A single-handed visit tomorrow and another worker who may take it as the rota
    now stands (Aishwarya if she can)."""
    day = load_day(world["provider"], world["tomorrow"])
    current = day.current()
    aish = str(world["care_worker"].pk)
    workers = sorted(day.workers, key=lambda w: (w.id != aish, w.name))
    for w in workers:
        for v in day.visits:
            if (
                v.workers_required == 1
                and w.id not in v.workers
                and not rules.visit_problems(day, v.id, [w.id], current)
            ):
                return v, next(x for x in world["workers"].values() if str(x.pk) == w.id)
    raise AssertionError("no move the rules allow")


def _busiest_other(world, than):
    others = [w for w in world["workers"].values() if w != than]
    return max(
        others,
        key=lambda w: (
            VisitAssignment.objects.filter(worker=w, visit__date=world["tomorrow"]).count(),
            w.given_name,
        ),
    )


def test_a_coordinator_optimises_accepts_moves_marks_sick_and_repairs(
    rota,  # noqa: F811
    browser,
    live_server,
):
    tomorrow = rota["tomorrow"].isoformat()
    page = sign_in(new_page(browser, live_server.url), rota["coordinator"])
    # The runs happen inside the button's request here (jobs run at once in tests), and
    # the optimizer's compiled kernels may need compiling first.
    page.set_default_timeout(90_000)
    page.get_by_role("link", name="Rota").click()
    page.get_by_role("link", name="Tomorrow").click()
    expect(page.locator("#fig-unassigned")).to_have_text("5")

    # Optimise tomorrow: before and after, then accept.
    page.get_by_role("button", name="Optimise tomorrow").click()
    expect(page.get_by_text("Ready to review")).to_be_visible()
    row = page.locator("table.figures tr", has_text="Visits without workers")
    expect(row.locator("td").nth(0)).to_have_text("5")
    expect(row.locator("td").nth(1)).to_have_text("0")
    screenshot(page, "rota-run")
    page.get_by_role("button", name="Accept").click()
    expect(page.get_by_text("Rota accepted")).to_be_visible()
    expect(page.locator("#fig-unassigned")).to_have_text("0")
    expect(page.locator("#fig-conflicts")).to_have_text("0")

    # Move one visit by hand to another worker.
    visit, mover = _a_move_the_rules_allow(rota)
    page.locator(f"a.block[href$='/rota/visits/{visit.id}/']").first.click()
    page.get_by_label("Worker").select_option(label=f"{mover.given_name} {mover.family_name}")
    page.get_by_role("button", name="Move").click()
    expect(page.get_by_text(f"{visit.person}'s visit moved.")).to_be_visible()

    # Mark the busiest other worker sick for the day and repair it.
    sick = _busiest_other(rota, mover)
    name = f"{sick.given_name} {sick.family_name}"
    page.locator(f"tr[data-worker='{name}']").get_by_role("button", name="Mark sick").click()
    expect(page.get_by_text(f"{name} is off sick for")).to_be_visible()
    page.get_by_role("button", name="Repair this day").click()
    expect(page.get_by_text("Ready to review")).to_be_visible()
    page.get_by_role("button", name="Accept").click()
    expect(page.get_by_text("Rota accepted")).to_be_visible()
    expect(page.locator(f"tr[data-worker='{name}'] a.block")).to_have_count(0)
    expect(page.locator("#fig-unassigned")).to_have_text("0")
    screenshot(page, "rota-day")
    assert page.url.endswith(f"?date={tomorrow}")

    # The care worker sees the new rota on their home page and in their calendar feed.
    user = mover.user or f.UserFactory(organisation=rota["provider"], role=Role.CARE_WORKER)
    if mover.user is None:
        mover.user = user
        mover.save(update_fields=["user"])
    carer = sign_in(new_page(browser, live_server.url), user)
    expect(carer.get_by_role("heading", name="My visits")).to_be_visible()
    expect(carer.get_by_role("link", name=visit.person).first).to_be_visible()
    feed = carer.locator("#calendar-feed").get_attribute("href")
    body = carer.request.get(feed).text()
    assert f"SUMMARY:{visit.person.split()[0]} · " in body
    for v in load_day(rota["provider"], rota["tomorrow"]).visits:
        assert (f"UID:{v.id}@homecare" in body) == (str(mover.pk) in v.workers)
