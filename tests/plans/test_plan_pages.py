"""The plan pages for the office and the council, the printable plan, and the
plain-language view for the person and family."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from homecare.plans.models import Goal, PlanVersion, RecordsCheck, Review

from .conftest import smart


def _plan_post(**extra):
    return {
        "form_of_address": "Margaret",
        "outcomes": "To wash and dress with less help",
        "diet": "Soft food",
        "actions": "Fit a grab rail | Occupational therapist | 2030-01-31",
        "review_date": (timezone.localdate() + timedelta(days=60)).isoformat(),
        **extra,
    }


def test_a_coordinator_writes_the_plan_then_a_new_version(world, login):
    client = login(world["coordinator"])
    package = world["package"]
    page = client.get(reverse("plans:plan", args=[package.pk]))
    assert 'id="plan-none"' in page.content.decode()
    response = client.post(reverse("plans:edit", args=[package.pk]), _plan_post())
    assert response.status_code == 302
    response = client.post(
        reverse("plans:edit", args=[package.pk]),
        _plan_post(diet="Normal diet", change_summary="Swallowing better"),
    )
    assert response.status_code == 302
    assert list(PlanVersion.objects.values_list("number", "diet")) == [
        (2, "Normal diet"),
        (1, "Soft food"),
    ]
    html = client.get(reverse("plans:plan", args=[package.pk])).content.decode()
    assert "Version 2" in html and "Fit a grab rail" in html
    history = client.get(reverse("plans:history", args=[package.pk])).content.decode()
    assert "Swallowing better" in history and "Version 1" in history


def test_a_bad_plan_is_refused_on_the_page_and_nothing_saved(world, login):
    """DERBY-3.4: the page says what is missing and the clause."""
    client = login(world["coordinator"])
    response = client.post(
        reverse("plans:edit", args=[world["package"].pk]),
        _plan_post(form_of_address="", actions="Grab rail | | "),
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "how the person likes to be addressed (DERBY-3.4)" in html
    assert "Action 1 needs who, when" in html
    assert not PlanVersion.objects.exists()


def test_the_council_reads_the_plan_but_cannot_write_it(world, login, issue_plan):
    issue_plan()
    client = login(world["broker"])
    html = client.get(reverse("plans:plan", args=[world["package"].pk])).content.decode()
    assert "To wash and dress with less help" in html and 'id="plan-edit"' not in html
    assert client.get(reverse("plans:edit", args=[world["package"].pk])).status_code == 404


def test_goals_and_progress_through_the_pages(world, login, issue_plan):
    issue_plan()
    client = login(world["coordinator"])
    package = world["package"]
    bad = client.post(reverse("plans:goals", args=[package.pk]), smart(measurable=""))
    assert "KENT-3.1.1" in bad.content.decode() and not Goal.objects.exists()
    client.post(reverse("plans:goals", args=[package.pk]), smart())
    goal = Goal.objects.get()
    client.post(reverse("plans:goal", args=[goal.pk]), {"percent": 50, "note": "Half way"})
    html = client.get(reverse("plans:goals", args=[package.pk])).content.decode()
    assert "50%" in html
    client.post(reverse("plans:goal_achieved", args=[goal.pk]))
    goal.refresh_from_db()
    assert goal.status == "achieved"


def test_reviews_through_the_pages(world, login):
    client = login(world["coordinator"])
    package = world["package"]
    before = (package.start_date - timedelta(days=3)).isoformat()
    response = client.post(
        reverse("plans:review_record", args=[package.pk]),
        {"kind": "light_touch", "held_on": before, "summary": "x"},
    )
    assert "before the package started" in response.content.decode()
    assert not Review.objects.exists()
    booked = (timezone.localdate() + timedelta(days=20)).isoformat()
    client.post(
        reverse("plans:review_schedule", args=[package.pk]),
        {"kind": "light_touch", "scheduled_for": booked},
    )
    review = Review.objects.get()
    from homecare.plans.services import PPRIF_FIELDS

    client.post(
        reverse("plans:review", args=[review.pk]),
        {"form": "pprif", **{k: "Answer" for k in PPRIF_FIELDS}},
    )
    review.refresh_from_db()
    assert review.pprif_completed_at
    client.post(
        reverse("plans:review", args=[review.pk]),
        {
            "form": "hold",
            "kind": "light_touch",
            "held_on": timezone.localdate().isoformat(),
            "summary": "Going well",
        },
    )
    review.refresh_from_db()
    assert review.held_on == timezone.localdate()
    client.post(reverse("plans:review_early", args=[package.pk]), {"reason": "A fall"})
    assert Review.objects.filter(kind="early").exists()
    client.post(
        reverse("plans:records", args=[package.pk]),
        {"checked_on": timezone.localdate().isoformat(), "notes": "Daily notes complete"},
    )
    assert RecordsCheck.objects.filter(package=package).exists()


def test_the_printable_plan_is_a_pdf(world, login, issue_plan):
    issue_plan(diet="Soft food – no nuts “ever”")
    response = login(world["coordinator"]).get(reverse("plans:pdf", args=[world["package"].pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF") and len(response.content) > 1000


def test_no_pdf_before_there_is_a_plan(world, login):
    response = login(world["coordinator"]).get(reverse("plans:pdf", args=[world["package"].pk]))
    assert response.status_code == 404


def test_family_see_their_persons_plan_in_plain_words(world, login, issue_plan):
    """The person and family: plain language, large text, headings, no NHS number."""
    issue_plan(diet="Soft food", medication="Tablets at breakfast")
    client = login(world["daughter"])
    response = client.get(reverse("plans:easy_read", args=[world["package"].pk]))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Margaret's care plan" in html and "Food and drink" in html
    assert "<h2" in html and "font-size:1.3rem" in html
    assert world["person"].nhs_number not in html
    for name in ("plans:plan", "plans:pdf", "plans:goals", "plans:reviews"):
        assert client.get(reverse(name, args=[world["package"].pk])).status_code == 404


def test_family_never_see_another_persons_plan(world, login, issue_plan):
    from tests import factories as f

    other = f.CarePackageFactory(contract=world["contract"])
    issue_plan(package=other)
    response = login(world["daughter"]).get(reverse("plans:easy_read", args=[other.pk]))
    assert response.status_code == 404


@pytest.mark.parametrize("who", ["worker", "daughter"])
def test_the_due_page_is_not_for_workers_or_family(world, login, who):
    assert login(world[who]).get(reverse("plans:due")).status_code == 404


def test_family_find_the_plan_from_their_home_page(world, login, issue_plan):
    issue_plan()
    html = login(world["daughter"]).get(reverse("core:home")).content.decode()
    assert reverse("plans:easy_read", args=[world["package"].pk]) in html
