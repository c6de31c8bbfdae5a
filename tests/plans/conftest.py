"""Helpers for the plans tests: a contract under any rulebook, a plan, a mailbox."""

from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone

from homecare.packages.models import CarePackage
from homecare.plans import services
from homecare.plans.deadlines import collect


@pytest.fixture
def under(world):
    """``under("kent", start_days_ago=3)``: the world's contract under that
    rulebook and its package started that many days ago."""

    def _under(slug, start_days_ago=30):
        contract, package = world["contract"], world["package"]
        contract.rulebook = slug
        contract.save(update_fields=["rulebook"])
        package.start_date = timezone.localdate() - timedelta(days=start_days_ago)
        package.status_effective_on = package.start_date
        package.save(update_fields=["start_date", "status_effective_on"])
        package.refresh_from_db()
        return package

    return _under


@pytest.fixture
def deadlines(world):
    """``deadlines(kind, now=None)``: the package's deadlines of that kind."""

    def _deadlines(kind, now=None):
        packages = CarePackage.objects.filter(pk=world["package"].pk)
        return [d for d in collect(packages, now or timezone.now()) if d.kind == kind]

    return _deadlines


@pytest.fixture
def issue_plan(world):
    def _issue(package=None, **extra):
        return services.plan_version_issue(
            by=world["coordinator"],
            package=package or world["package"],
            form_of_address=extra.pop("form_of_address", "Margaret"),
            outcomes=extra.pop("outcomes", "To wash and dress with less help"),
            review_date=extra.pop("review_date", timezone.localdate() + timedelta(days=90)),
            **extra,
        )

    return _issue


def smart(**extra):
    return {
        "outcome": "Independence in personal care",
        "specific": "Dress her upper body without help",
        "measurable": "Three mornings in a row without help",
        "achievable": "With a long-handled shoe horn and prompts",
        "relevant": "She wants to manage mornings alone",
        "target_date": timezone.localdate() + timedelta(days=42),
        **extra,
    }


@pytest.fixture
def mailbox(settings, tmp_path):
    """The real file mail backend the demo uses."""
    settings.EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    settings.EMAIL_FILE_PATH = str(tmp_path / "mail")
    path = Path(settings.EMAIL_FILE_PATH)

    def mails():
        return [p.read_text() for p in sorted(path.glob("*.log"))] if path.exists() else []

    return mails
