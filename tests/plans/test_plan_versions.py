"""The care and support plan (DERBY-3.4) is versioned: each version kept as
issued, a change is a new version; bad plans are refused with the clause."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from homecare.packages import services as package_services
from homecare.plans.models import PLAN_SECTIONS, PlanVersion


def test_every_section_of_derby_3_4_is_kept(world, issue_plan):
    """DERBY-3.4: the plan covers form of address, outcomes, equipment, actions
    with who and when, review date, personal care, cultural and spiritual needs,
    communication, medication, diet, contacts, risk assessment, key worker,
    circle of support, advance directives."""
    contents = {name: f"About {name}" for name in PLAN_SECTIONS}
    actions = [{"what": "Fit a grab rail", "who": "OT", "when": "2026-12-01"}]
    version = issue_plan(**contents, actions=actions)
    version.refresh_from_db()
    for name in PLAN_SECTIONS:
        assert getattr(version, name) == f"About {name}"
    assert version.actions == actions and version.review_date and version.number == 1
    assert [s[0] for s in version.sections()] == list(PLAN_SECTIONS)


def test_a_change_is_a_new_version_and_the_old_one_stays(world, issue_plan):
    first = issue_plan(diet="Soft food")
    second = issue_plan(diet="Normal diet", change_summary="Swallowing improved")
    first.refresh_from_db()
    assert (first.number, first.diet) == (1, "Soft food")
    assert (second.number, second.diet) == (2, "Normal diet")
    assert first.plan_id == second.plan_id
    assert list(first.plan.versions.values_list("number", flat=True)) == [2, 1]


def test_an_issued_version_is_never_edited(world, issue_plan):
    version = issue_plan()
    version.diet = "Changed behind our back"
    with pytest.raises(ValidationError):
        version.save()
    with pytest.raises(ValidationError):
        version.save(update_fields=["diet"])
    assert PlanVersion.objects.get(pk=version.pk).diet == ""


def test_no_plan_version_for_an_archived_package(world, issue_plan):
    """DERBY-3.4 plans belong to live packages: an archived one is refused."""
    package = world["package"]
    package.archived_at = timezone.now()
    package.save(update_fields=["archived_at"])
    with pytest.raises(ValidationError, match=r"archived.*DERBY-3.4"):
        issue_plan(package=package)
    assert not PlanVersion.objects.exists()


def test_no_plan_version_for_a_ceased_package(world, issue_plan):
    package_services.package_transition(
        by=world["coordinator"],
        package=world["package"],
        to_status="ceased",
        effective_on=timezone.localdate(),
    )
    with pytest.raises(ValidationError, match="ceased"):
        issue_plan()


@pytest.mark.parametrize(
    ("extra", "field", "words"),
    [
        ({"form_of_address": ""}, "form_of_address", "addressed"),
        ({"outcomes": " "}, "outcomes", "outcomes"),
        ({"review_date": None}, "review_date", "review date"),
        ({"review_date": timezone.localdate() - timedelta(days=1)}, "review_date", "past"),
        ({"actions": [{"what": "Grab rail", "who": "", "when": ""}]}, "actions", "who, when"),
    ],
)
def test_an_incomplete_plan_is_refused_with_the_clause(world, issue_plan, extra, field, words):
    """DERBY-3.4: each refusal names what is missing and the clause."""
    with pytest.raises(ValidationError) as caught:
        issue_plan(**extra)
    messages = caught.value.message_dict[field]
    assert any(words in m and "DERBY-3.4" in m for m in messages), messages
    assert not PlanVersion.objects.exists()
