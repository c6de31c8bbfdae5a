"""The events of issue 6 the council is told of: refusals in a row, safeguarding,
emergencies and admissions within 12 hours, deterioration and improvement."""

import uuid
from datetime import time, timedelta
from pathlib import Path

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from homecare.notifications.events import event_report, refusals_check
from homecare.notifications.models import Notification
from homecare.packages import services as package_services
from homecare.visits.models import TaskRecord, VisitEvent


@pytest.fixture
def mailbox(settings, tmp_path):
    settings.EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    settings.EMAIL_FILE_PATH = str(tmp_path / "mail")
    return Path(settings.EMAIL_FILE_PATH)


def _mails(mailbox):
    return [p.read_text() for p in sorted(mailbox.glob("*.log"))] if mailbox.exists() else []


@pytest.fixture
def council_email(world):
    world["council"].email = "adult.social.care@lancashire.example.org"
    world["council"].save()
    return world["council"].email


@pytest.fixture
def week(world):
    """Visits every day for the next week at 08:00."""
    package_services.pattern_entry_add(
        by=world["coordinator"],
        package=world["package"],
        weekdays=list(range(7)),
        start_time=time(8, 0),
        end_time=time(8, 30),
        tasks=["Breakfast"],
    )
    return list(
        world["package"].visits.filter(planned_start__time=time(8, 0)).order_by("planned_start")
    )


def _record(world, visit, outcome):
    event = VisitEvent.objects.create(
        organisation=world["provider"],
        idempotency_key=str(uuid.uuid4()),
        visit=visit,
        worker=world["care_worker"],
        kind="task",
        device_at=visit.planned_start,
        received_at=visit.planned_start,
        occurred_at=visit.planned_start,
    )
    TaskRecord.objects.create(
        organisation=world["provider"],
        visit=visit,
        worker=world["care_worker"],
        event=event,
        recorded_at=visit.planned_start,
        task="Breakfast",
        outcome=outcome,
    )


def test_three_refusals_in_consecutive_visits_tell_the_council_once(
    world, week, council_email, mailbox, django_capture_on_commit_callbacks
):
    """KENT-3.8.1: refusal of support three or more times in consecutive visits
    (rulebook notify.refusals_in_a_row)."""
    outcomes = ["refused", "done", "refused", "refused", "refused", "refused"]
    raised = []
    for visit, outcome in zip(week, outcomes, strict=False):
        _record(world, visit, outcome)
        with django_capture_on_commit_callbacks(execute=True):
            raised.append(refusals_check(visit=visit))
    assert raised[:4] == [None, None, None, None]
    assert raised[4] is not None and raised[5] == raised[4]
    notification = Notification.objects.get()
    assert notification.kind == "refusals"
    assert "3 consecutive visits" in notification.body
    assert notification.delivered_at is not None
    assert len(_mails(mailbox)) == 1


def test_a_new_run_of_refusals_is_told_again(world, week):
    for visit, outcome in zip(
        week,
        ["refused", "refused", "refused", "done", "refused", "refused", "refused"],
        strict=False,
    ):
        _record(world, visit, outcome)
        refusals_check(visit=visit)
    assert Notification.objects.filter(kind="refusals").count() == 2


def test_an_emergency_must_reach_the_council_within_12_hours_of_happening(world):
    """KENT-8.4.6: the council is told by email within 12 hours of the incident
    (rulebook notify.emergency_within)."""
    happened = timezone.now() - timedelta(hours=2)
    n = event_report(
        by=world["coordinator"],
        package=world["package"],
        kind="emergency",
        occurred_at=happened,
        summary="Found on the floor at 07:10; ambulance called.",
        event_key="report:1",
    )
    assert abs(n.deliver_by - (happened + timedelta(hours=12))) < timedelta(minutes=1)
    assert n.refs == ["KENT-3.8.1", "KENT-8.4.6"]


def test_a_hospital_admission_is_told_and_emailed(
    world, council_email, mailbox, django_capture_on_commit_callbacks
):
    """LAN-HC-6.2: the provider tells the authority of every hospital admission."""
    with django_capture_on_commit_callbacks(execute=True):
        event_report(
            by=world["coordinator"],
            package=world["package"],
            kind="hospital_admission",
            occurred_at=timezone.now() - timedelta(minutes=30),
            summary="Admitted to Royal Blackburn, ward C3.",
            event_key="report:2",
        )
    n = Notification.objects.get()
    assert n.delivered_at is not None and not n.is_late
    assert "[Hospital admission]" in _mails(mailbox)[0]


@pytest.mark.parametrize("kind", ["safeguarding", "deterioration", "improvement"])
def test_concerns_and_changes_are_told_at_once(world, kind):
    """KENT-3.8.1: safeguarding concerns, deterioration and improvement."""
    n = event_report(
        by=world["coordinator"],
        package=world["package"],
        kind=kind,
        occurred_at=timezone.now(),
        summary="Details.",
        event_key=f"report:{kind}",
    )
    assert n.kind == kind and n.deliver_by is None


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"kind": "missed_call"}, "not something reported here"),
        ({"summary": "  "}, "Say what happened"),
        ({"occurred_at": "future"}, "in the future"),
    ],
)
def test_bad_reports_are_refused_and_change_nothing(world, changes, message):
    args = {
        "by": world["coordinator"],
        "package": world["package"],
        "kind": "emergency",
        "occurred_at": timezone.now(),
        "summary": "x",
        "event_key": "report:bad",
    }
    args.update(changes)
    if args["occurred_at"] == "future":
        args["occurred_at"] = timezone.now() + timedelta(days=2)
    with pytest.raises(ValidationError, match=message):
        event_report(**args)
    assert not Notification.objects.exists()


def test_the_office_tells_the_council_with_the_form_once_even_if_sent_twice(world, login):
    client = login(world["coordinator"])
    page = client.get(reverse("notifications:report"))
    token = page.context["form"]["token"].value()
    data = {
        "kind": "safeguarding",
        "package": world["package"].pk,
        "occurred_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
        "summary": "Bruising on both arms; Margaret says she fell.",
        "token": str(token),
    }
    first = client.post(reverse("notifications:report"), data)
    second = client.post(reverse("notifications:report"), data)
    assert first.status_code == second.status_code == 302
    assert Notification.objects.filter(kind="safeguarding").count() == 1
    # The council sees it in its list.
    html = login(world["broker"]).get(reverse("notifications:list")).content.decode()
    assert "Safeguarding concern" in html


def test_the_report_form_explains_bad_input(world, login):
    client = login(world["coordinator"])
    with time_machine.travel(timezone.now(), tick=False):
        future = (timezone.localtime() + timedelta(days=1)).strftime("%Y-%m-%dT%H:%M")
        response = client.post(
            reverse("notifications:report"),
            {
                "kind": "emergency",
                "package": "",
                "occurred_at": future,
                "summary": "",
                "token": str(uuid.uuid4()),
            },
        )
    html = response.content.decode()
    assert "Choose the person it is about." in html
    assert "It cannot have happened in the future." in html
    assert "Say what happened." in html
    assert not Notification.objects.exists()


@pytest.mark.parametrize("who", ["broker", "worker", "daughter"])
def test_only_the_office_reports(world, login, who):
    assert login(world[who]).get(reverse("notifications:report")).status_code == 404
