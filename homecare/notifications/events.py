"""The events of issue 6 the council must be told of, and their rules (KENT-3.8.1,
LAN-HC-6.2, KENT-8.4.6). Each raises through :func:`notification_raise`, with an
event key that names the event, so it is told once.

- :func:`refusals_check`: support refused at ``notify.refusals_in_a_row`` (3)
  or more consecutive visits; one notification per run of refusals.
- :func:`event_report`: safeguarding concerns, emergencies, hospital
  admissions (only where ``notify.hospital_admission``), deaths,
  deterioration, improvement, goals achieved. Emergencies, admissions and
  deaths must reach the council within ``notify.emergency_within`` (12 hours,
  KENT-8.4.6); the rest "immediately" (KENT-3.8.1).

Late, missed, void and no-response calls are raised by the call monitor
(:mod:`homecare.monitoring.alerts`).
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from homecare.domain import calls

from .services import notification_raise

#: kind -> (requirement IDs, whether ``notify.emergency_within`` bounds its delivery)
REPORTABLE = {
    "safeguarding": (["KENT-3.8.1"], False),
    "emergency": (["KENT-3.8.1", "KENT-8.4.6"], True),
    "hospital_admission": (["LAN-HC-6.2", "KENT-3.8.1", "KENT-8.4.6"], True),
    "death": (["KENT-3.8.1", "KENT-8.4.6"], True),
    "deterioration": (["KENT-3.8.1"], False),
    "improvement": (["KENT-3.8.1"], False),
    "goal_achieved": (["KENT-3.8.1"], False),
}
#: How many visits back a run of refusals is looked for.
LOOK_BACK = 30


def refusals_check(*, visit):
    """After a visit record with refusals: tell the council when support was refused
    at ``notify.refusals_in_a_row`` or more consecutive visits (KENT-3.8.1).

    Consecutive visits are the package's visits with a record (a task or a dose
    recorded) up to this one; a visit where something was refused counts. One
    notification per run: its event key names the run's first refused visit,
    so a fourth refusal in the same run sends nothing more.
    """
    from homecare.packages.models import Visit
    from homecare.visits.models import DoseRecord, TaskRecord

    package = visit.package
    rules = package.contract.rules()
    threshold = int(rules.value("notify.refusals_in_a_row"))
    refused = Q(Exists(TaskRecord.objects.filter(visit=OuterRef("pk"), outcome="refused"))) | Q(
        Exists(DoseRecord.objects.filter(visit=OuterRef("pk"), outcome="refused"))
    )
    recorded = Exists(TaskRecord.objects.filter(visit=OuterRef("pk"))) | Exists(
        DoseRecord.objects.filter(visit=OuterRef("pk"))
    )
    latest = list(
        Visit.objects.filter(package=package, planned_start__lte=visit.planned_start)
        .filter(recorded)
        .annotate(refused=refused)
        .order_by("-planned_start")
        .values_list("pk", "refused", "planned_start")[:LOOK_BACK]
    )
    run = calls.refusals_in_a_row(r for _, r, _ in latest)
    if run < threshold:
        return None
    first_pk, _, first_at = latest[run - 1]
    person = package.individual
    since = timezone.localtime(first_at)
    return notification_raise(
        kind="refusals",
        provider=package.organisation,
        council=package.contract.organisation,
        package=package,
        subject=f"Support refused at {run} visits in a row: {person.given_name} "
        f"{person.family_name}",
        body=(
            f"{person.given_name} {person.family_name} has refused support at {run} "
            f"consecutive visits since {since:%A %d %B %H:%M}. The council asks to be told "
            f"from {threshold} in a row."
        ),
        refs=["KENT-3.8.1"],
        event_key=f"refusals:{package.pk}:{first_pk}",
    )


def event_report(*, by, package, kind: str, occurred_at, summary: str, event_key: str):
    """Tell the council of a safeguarding concern, an emergency, a hospital
    admission, a death, a deterioration or an improvement."""
    if kind not in REPORTABLE:
        raise ValidationError(f"{kind!r} is not something reported here.")
    if not summary.strip():
        raise ValidationError("Say what happened.")
    if occurred_at > timezone.now():
        raise ValidationError("It cannot have happened in the future.")
    rules = package.contract.rules()
    if kind == "hospital_admission" and not rules.value("notify.hospital_admission"):
        raise ValidationError("This contract does not ask to be told of hospital admissions.")
    refs, bounded = REPORTABLE[kind]
    within = None
    if bounded:
        # Counted from when it happened, not from when it was recorded.
        limit = rules.minutes("notify.emergency_within")
        elapsed = int((timezone.now() - occurred_at).total_seconds() // 60)
        within = max(0, limit - elapsed)
    person = package.individual
    from .models import KINDS

    return notification_raise(
        kind=kind,
        provider=package.organisation,
        council=package.contract.organisation,
        package=package,
        subject=f"{KINDS[kind]}: {person.given_name} {person.family_name}",
        body=f"{timezone.localtime(occurred_at):%A %d %B %Y %H:%M}: {summary.strip()}",
        refs=refs,
        event_key=event_key,
        by=by,
        deliver_within_minutes=within,
    )
