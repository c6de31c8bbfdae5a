"""The council is told of each event once, by email, and the time it was told is kept."""

from datetime import timedelta
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from homecare.notifications.models import Notification
from homecare.notifications.services import notification_raise, notifications_deliver_due


@pytest.fixture
def mailbox(settings, tmp_path):
    """The real file mail backend the demo uses (pytest-django swaps in locmem)."""
    settings.EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    settings.EMAIL_FILE_PATH = str(tmp_path / "mail")
    return Path(settings.EMAIL_FILE_PATH)


def _mails(mailbox: Path) -> list[str]:
    return [p.read_text() for p in sorted(mailbox.glob("*.log"))] if mailbox.exists() else []


def _raise(world, key="admission:1", **extra):
    return notification_raise(
        kind="hospital_admission",
        provider=world["provider"],
        council=world["council"],
        package=world["package"],
        subject="Margaret Entwistle-Quayle admitted to hospital",
        body="Admitted to Royal Blackburn Hospital, ward C3, at 14:20.",
        refs=["LAN-HC-6.2"],
        event_key=key,
        by=world["coordinator"],
        **extra,
    )


@pytest.fixture
def council_email(world):
    world["council"].email = "adult.social.care@lancashire.example.org"
    world["council"].save()
    return world["council"].email


def test_a_notification_is_emailed_to_the_council_once_and_its_delivery_time_kept(
    world, council_email, mailbox, django_capture_on_commit_callbacks
):
    """LAN-HC-6.2: the provider tells the authority of every hospital admission."""
    with django_capture_on_commit_callbacks(execute=True):
        notification = _raise(world)
    notification.refresh_from_db()
    assert notification.delivered_at is not None
    assert notification.individual == world["person"]
    mails = _mails(mailbox)
    assert len(mails) == 1
    assert council_email in mails[0]
    assert "ward C3" in mails[0]
    assert "LAN-HC-6.2" in mails[0]
    assert "X-Homecare-Event: admission:1" in mails[0]


def test_raising_the_same_event_again_sends_nothing_more(
    world, council_email, mailbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        first = _raise(world)
    with django_capture_on_commit_callbacks(execute=True):
        again = _raise(world)
    assert again.pk == first.pk
    assert Notification.objects.count() == 1
    assert len(_mails(mailbox)) == 1
    # A sweep after delivery sends nothing either.
    assert notifications_deliver_due() == 0
    assert len(_mails(mailbox)) == 1


def test_a_notification_that_could_not_be_sent_is_sent_by_the_next_sweep(
    world, mailbox, django_capture_on_commit_callbacks
):
    """At least once: a council with no address yet keeps the notification waiting,
    with the reason, until it can be sent."""
    with django_capture_on_commit_callbacks(execute=True):
        notification = _raise(world)
    notification.refresh_from_db()
    assert notification.delivered_at is None
    assert "no email address" in notification.last_error
    assert _mails(mailbox) == []
    world["council"].email = "asc@lancashire.example.org"
    world["council"].save()
    Notification.objects.filter(pk=notification.pk).update(recipient=world["council"].email)
    assert notifications_deliver_due() == 1
    notification.refresh_from_db()
    assert notification.delivered_at is not None
    assert notification.attempts == 2
    assert len(_mails(mailbox)) == 1


def test_a_claim_by_a_worker_that_died_is_taken_over_after_the_lease(world, council_email, mailbox):
    notification = _raise(world)  # not delivered: no on-commit callbacks ran
    Notification.objects.filter(pk=notification.pk).update(claimed_at=timezone.now())
    assert notifications_deliver_due() == 0  # another worker holds it
    assert notifications_deliver_due(now=timezone.now() + timedelta(minutes=6)) == 1
    assert len(_mails(mailbox)) == 1


def test_the_deadline_to_tell_the_council_comes_from_the_caller(world, council_email):
    """KENT-8.4.6: emergencies are followed up by email within 12 hours (the rulebook's
    ``notify.emergency_within``, passed in by the caller)."""
    within = world["contract"].rules().minutes("notify.emergency_within")
    notification = notification_raise(
        kind="emergency",
        provider=world["provider"],
        council=world["council"],
        subject="Fall at home",
        body="Found on the floor at 08:10; ambulance called.",
        refs=["KENT-8.4.6"],
        event_key="emergency:1",
        deliver_within_minutes=within,
    )
    assert notification.deliver_by == notification.raised_at + timedelta(minutes=within)


@pytest.mark.parametrize(
    "change, message",
    [({"kind": "gossip"}, "Unknown kind"), ({"event_key": ""}, "key of the event")],
)
def test_a_notification_without_a_known_kind_or_an_event_key_is_refused(world, change, message):
    arguments = dict(
        kind="improvement",
        provider=world["provider"],
        council=world["council"],
        subject="Walking to the shop again",
        body="Goal achieved.",
        refs=["KENT-3.8.1"],
        event_key="goal:1",
    )
    with pytest.raises(ValidationError, match=message):
        notification_raise(**{**arguments, **change})
    assert not Notification.objects.exists()


@pytest.mark.parametrize("who", ["coordinator", "broker"])
def test_both_sides_see_the_notification_and_when_it_was_delivered(world, login, who):
    notification = _raise(world)
    client = login(world[who])
    listing = client.get(reverse("notifications:list")).content.decode()
    assert "Margaret Entwistle-Quayle admitted" in listing
    assert "Not yet" in listing
    page = client.get(reverse("notifications:detail", args=[notification.pk]))
    assert page.status_code == 200
    assert "ward C3" in page.content.decode()


@pytest.mark.parametrize("who", ["worker", "daughter"])
def test_care_workers_and_family_do_not_see_the_councils_notifications(world, login, who):
    notification = _raise(world)
    client = login(world[who])
    assert client.get(reverse("notifications:list")).status_code == 404
    assert client.get(reverse("notifications:detail", args=[notification.pk])).status_code == 404


def test_the_list_costs_the_same_queries_for_one_notification_or_many(
    world, login, django_assert_num_queries
):
    client = login(world["broker"])
    _raise(world, key="a")
    client.get(reverse("notifications:list"))
    with django_assert_num_queries(_count(client)) as first:
        client.get(reverse("notifications:list"))
    for i in range(20):
        _raise(world, key=f"b{i}")
    with django_assert_num_queries(len(first.captured_queries)):
        client.get(reverse("notifications:list"))


def _count(client):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        client.get(reverse("notifications:list"))
    return len(ctx.captured_queries)
