"""Every write of the plans app: one function each, one transaction, side
effects (notifications to the council) after commit."""

from __future__ import annotations

from datetime import date, datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from homecare.domain import plans as rules

from .models import CarePlan, Goal, GoalProgress, PlanVersion, RecordsCheck, Review

PLAN_FIELDS = (
    "form_of_address",
    "outcomes",
    "health_and_social_needs",
    "personal_care",
    "equipment",
    "cultural_and_spiritual_needs",
    "community_participation",
    "communication_needs",
    "medication",
    "diet",
    "contacts",
    "professional_contacts",
    "risk_assessment",
    "key_worker",
    "review_attendees",
    "circle_of_support",
    "advance_directives",
)


def _refused(error: rules.PlanRefused) -> ValidationError:
    return ValidationError(
        {field or "__all__": messages for field, messages in error.errors.items()}
    )


def _check(fn, **kwargs) -> None:
    try:
        fn(**kwargs)
    except rules.PlanRefused as error:
        raise _refused(error) from None


@transaction.atomic
def plan_version_issue(
    *,
    by,
    package,
    review_date: date | None,
    actions: list[dict] | None = None,
    change_summary: str = "",
    now: datetime | None = None,
    **contents: str,
) -> PlanVersion:
    """Issue a new version of the package's care and support plan (DERBY-3.4);
    the first version creates the plan. Earlier versions are kept unchanged."""
    unknown = set(contents) - set(PLAN_FIELDS)
    if unknown:
        raise TypeError(f"Unknown plan sections: {sorted(unknown)}")
    now = now or timezone.now()
    actions = [dict(a) for a in (actions or [])]
    _check(
        rules.check_plan_version,
        package_archived=package.archived_at is not None,
        package_status=package.status,
        form_of_address=contents.get("form_of_address", ""),
        outcomes=contents.get("outcomes", ""),
        review_date=review_date,
        actions=actions,
        today=timezone.localdate(now),
    )
    plan, _ = CarePlan.objects.select_for_update().get_or_create(
        package=package,
        defaults={
            "organisation_id": package.organisation_id,
            "individual_id": package.individual_id,
            "created_by": by,
        },
    )
    last = plan.versions.aggregate(n=Max("number"))["n"] or 0
    version = PlanVersion(
        organisation_id=package.organisation_id,
        plan=plan,
        number=last + 1,
        issued_at=now,
        issued_by=by,
        change_summary=change_summary if last else (change_summary or "First plan"),
        review_date=review_date,
        actions=actions,
        **{name: contents.get(name, "") for name in PLAN_FIELDS},
    )
    version._history_user = by
    version.save()
    return version


@transaction.atomic
def goal_add(
    *,
    by,
    package,
    outcome: str,
    specific: str,
    measurable: str,
    achievable: str,
    relevant: str,
    target_date: date | None,
) -> Goal:
    """Add a SMART goal to the package's action plan (KENT-3.1.1). The plan
    must exist: goals work towards its outcomes."""
    plan = CarePlan.objects.filter(package=package, archived_at__isnull=True).first()
    if plan is None or not plan.versions.exists():
        raise ValidationError(
            "Write the care and support plan first: goals work towards its outcomes (KENT-3.1.1)."
        )
    _check(
        rules.check_goal,
        outcome=outcome,
        specific=specific,
        measurable=measurable,
        achievable=achievable,
        relevant=relevant,
        target_date=target_date,
        today=timezone.localdate(),
        package_start=package.start_date,
    )
    goal = Goal(
        organisation_id=package.organisation_id,
        plan=plan,
        outcome=outcome.strip(),
        specific=specific.strip(),
        measurable=measurable.strip(),
        achievable=achievable.strip(),
        relevant=relevant.strip(),
        target_date=target_date,
        created_by=by,
    )
    goal._history_user = by
    goal.save()
    return goal


@transaction.atomic
def goal_progress_record(
    *,
    by,
    goal: Goal,
    percent: int | None,
    note: str,
    source: str = GoalProgress.Source.OFFICE,
    visit=None,
    review: Review | None = None,
    now: datetime | None = None,
) -> GoalProgress:
    """Record progress towards a goal, from a visit's notes or a review; 100%
    marks the goal achieved and tells the council (KENT-3.8.1)."""
    if goal.status != Goal.Status.OPEN:
        raise ValidationError(f"This goal is {goal.get_status_display().lower()} already.")
    _check(rules.check_progress, percent=percent, note=note)
    package = goal.plan.package
    if visit is not None and visit.package_id != package.pk:
        raise ValidationError("That visit is not one of this person's visits.")
    if review is not None and review.package_id != package.pk:
        raise ValidationError("That review is not one of this person's reviews.")
    source = (
        GoalProgress.Source.VISIT
        if visit is not None
        else GoalProgress.Source.REVIEW
        if review is not None
        else source
    )
    progress = GoalProgress(
        organisation_id=goal.organisation_id,
        goal=goal,
        source=source,
        visit=visit,
        review=review,
        percent=percent,
        note=note.strip(),
        recorded_at=now or timezone.now(),
        recorded_by=by,
    )
    progress._history_user = by
    progress.save()
    if percent == 100:
        goal_achieve(by=by, goal=goal, note=note, now=progress.recorded_at)
    return progress


@transaction.atomic
def goal_achieve(*, by, goal: Goal, note: str = "", now: datetime | None = None) -> Goal:
    """Mark a goal achieved (once: a conditional update) and tell the council of
    the improvement where the contract's rulebook says so (KENT-3.8.1)."""
    now = now or timezone.now()
    moved = Goal.objects.filter(pk=goal.pk, status=Goal.Status.OPEN).update(
        status=Goal.Status.ACHIEVED, achieved_at=now
    )
    goal.refresh_from_db()
    if not moved:
        return goal
    goal._history_user = by
    goal.save(update_fields=["status", "achieved_at"])  # one history row for the change
    package = goal.plan.package
    entry = package.contract.rules().entry("notify.goal_achieved")
    if entry.value:
        from homecare.notifications.services import notification_raise

        person = package.individual
        notification_raise(
            kind="goal_achieved",
            package=package,
            individual=person,
            provider=package.organisation,
            council=package.contract.organisation,
            subject=f"Goal achieved: {person} ({package.reference})",
            body=(
                f"{person} has achieved a goal towards the outcome "
                f"'{goal.outcome}'.\n\nGoal: {goal.specific}\nMeasured by: {goal.measurable}\n"
                f"Target date: {goal.target_date:%d %B %Y}\nAchieved: "
                f"{timezone.localtime(now):%d %B %Y %H:%M}\n"
                + (f"\nWhat was seen: {note}\n" if note else "")
                + "\nAn improvement may mean fewer hours of care are needed."
            ),
            refs=list(entry.ref) or ["KENT-3.8.1"],
            event_key=f"goal_achieved:{goal.pk}",
            by=by,
        )
    return goal


@transaction.atomic
def goal_stop(*, by, goal: Goal, reason: str) -> Goal:
    """Set a goal aside (no longer pursued), with the reason: its target date
    stops being a deadline. Once: a conditional update."""
    if not (reason or "").strip():
        raise ValidationError({"reason": "Say why the goal is set aside (KENT-3.1.1)."})
    moved = Goal.objects.filter(pk=goal.pk, status=Goal.Status.OPEN).update(
        status=Goal.Status.STOPPED
    )
    if not moved:
        raise ValidationError("Only a goal being worked towards can be set aside.")
    goal.refresh_from_db()
    GoalProgress.objects.create(
        organisation_id=goal.organisation_id,
        goal=goal,
        source=GoalProgress.Source.OFFICE,
        percent=goal.latest_percent,
        note=f"Set aside: {reason.strip()}",
        recorded_at=timezone.now(),
        recorded_by=by,
    )
    goal._history_user = by
    goal.save(update_fields=["status"])
    return goal


# ---- Reviews -----------------------------------------------------------------


def _review_dates(package, **days) -> None:
    _check(
        rules.check_review_dates,
        package_start=package.start_date,
        today=timezone.localdate(),
        **days,
    )


@transaction.atomic
def review_schedule(
    *, by, package, kind: str, scheduled_for: date, pprif: dict | None = None
) -> Review:
    """Book a review for a date; with ``pprif`` the provider's pre-review form
    is completed at the same time (KENT-3.11.3)."""
    if kind not in Review.Kind.values:
        raise ValidationError(f"Unknown kind of review: {kind!r}.")
    _review_dates(package, scheduled_for=scheduled_for)
    if scheduled_for < timezone.localdate():
        raise ValidationError({"scheduled_for": "A review is booked for today or later."})
    review = Review(
        organisation_id=package.organisation_id,
        package=package,
        individual_id=package.individual_id,
        kind=kind,
        scheduled_for=scheduled_for,
        recorded_by=by,
    )
    review._history_user = by
    review.save()
    if pprif:
        review_pprif_complete(by=by, review=review, answers=pprif)
    return review


PPRIF_FIELDS = {
    "support_delivered": "The support being delivered (hours and what is done)",
    "ability": "The person's level of ability now",
    "current_goals": "Goals currently being worked towards",
    "development": "Where development is possible",
    "new_goals": "New goals suggested",
    "issues": "Issues to address at the review",
}


@transaction.atomic
def review_pprif_complete(*, by, review: Review, answers: dict) -> Review:
    """The provider's pre-review information form (KENT-3.11.3): every
    question answered; completing it again keeps the first completion time."""
    missing = [
        label for key, label in PPRIF_FIELDS.items() if not str(answers.get(key, "")).strip()
    ]
    if missing:
        raise ValidationError(
            "The pre-review form answers every question (KENT-3.11.3). Missing: "
            + "; ".join(missing)
            + "."
        )
    if review.held_on:
        raise ValidationError("This review has been held; the pre-review form comes before it.")
    review.pprif = {k: str(answers[k]).strip() for k in PPRIF_FIELDS}
    review.pprif_completed_at = review.pprif_completed_at or timezone.now()
    review._history_user = by
    review.save(update_fields=["pprif", "pprif_completed_at"])
    return review


@transaction.atomic
def review_hold(
    *,
    by,
    package,
    kind: str,
    held_on: date,
    summary: str,
    attendees: str = "",
    review: Review | None = None,
    progress: dict | None = None,
) -> Review:
    """Record a review as held (a booked one, or one recorded after the event),
    with progress towards each goal seen at it (``{goal: (percent, note)}``)."""
    if kind not in Review.Kind.values:
        raise ValidationError(f"Unknown kind of review: {kind!r}.")
    _review_dates(package, held_on=held_on)
    if not (summary or "").strip():
        raise ValidationError({"summary": "Say what the review found and agreed."})
    if review is None:
        review = Review(
            organisation_id=package.organisation_id,
            package=package,
            individual_id=package.individual_id,
            kind=kind,
            recorded_by=by,
        )
        review.save()
    moved = Review.objects.filter(pk=review.pk, held_on__isnull=True).update(
        held_on=held_on, summary=summary.strip(), attendees=attendees.strip(), kind=kind
    )
    if not moved:
        raise ValidationError("This review has been recorded as held already.")
    review.refresh_from_db()
    review._history_user = by
    review.save(update_fields=["held_on", "summary", "attendees", "kind"])
    for goal, (percent, note) in (progress or {}).items():
        goal_progress_record(by=by, goal=goal, percent=percent, note=note, review=review)
    return review


@transaction.atomic
def review_request_early(*, by, package, reason: str) -> Review:
    """Ask the council for an early review because needs changed significantly
    (KENT-3.12.1); the council is told at once."""
    if not (reason or "").strip():
        raise ValidationError(
            {
                "reason": "Say what changed: an early review follows a significant change "
                "(KENT-3.12.1)."
            }
        )
    if package.archived_at is not None or package.status in ("ceased", "closed"):
        raise ValidationError(f"This package is {package.status}: no review can be asked for.")
    now = timezone.now()
    review = Review(
        organisation_id=package.organisation_id,
        package=package,
        individual_id=package.individual_id,
        kind=Review.Kind.EARLY,
        requested_at=now,
        request_reason=reason.strip(),
        recorded_by=by,
    )
    review._history_user = by
    review.save()
    from homecare.notifications.services import notification_raise

    notification_raise(
        kind="early_review",
        package=package,
        individual=package.individual,
        provider=package.organisation,
        council=package.contract.organisation,
        subject=f"Early review requested: {package.individual} ({package.reference})",
        body=(
            f"{package.organisation} asks for an early review of the care of "
            f"{package.individual} ({package.reference}).\n\nWhat changed: {reason.strip()}"
        ),
        refs=["KENT-3.12.1"],
        event_key=f"early_review:{review.pk}",
        by=by,
    )
    return review


@transaction.atomic
def records_check_record(*, by, package, checked_on: date, notes: str = "") -> RecordsCheck:
    """Record the monthly review of the person's records (KENT-3.6.10)."""
    if checked_on > timezone.localdate():
        raise ValidationError({"checked_on": "A records check cannot be dated in the future."})
    if checked_on < package.start_date:
        raise ValidationError(
            {"checked_on": "A records check cannot be dated before the package started."}
        )
    check = RecordsCheck(
        organisation_id=package.organisation_id,
        package=package,
        checked_on=checked_on,
        notes=notes.strip(),
        checked_by=by,
    )
    check._history_user = by
    check.save()
    return check
