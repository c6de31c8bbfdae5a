"""Late, missed, void and no-response calls reach the council once each (KENT-3.8.1)."""

import time_machine

from homecare.monitoring import monitor, services
from homecare.notifications.models import Notification
from tests.monitoring.conftest import mails, minutes_after


def _sweep_at(visit, minutes, capture):
    with time_machine.travel(minutes_after(visit, minutes), tick=False), capture(execute=True):
        monitor.sweep()


def test_a_call_nobody_starts_sends_one_missed_email_at_two_hours(
    world, council_email, mailbox, django_capture_on_commit_callbacks
):
    """KENT-3.8.1 and KENT-3.9.5: the council is told in writing of a missed call,
    once, however often the monitor sweeps; the late flag at 45 minutes is for the
    office's board (a late call is one that *starts* late, KENT-3.9.4)."""
    visit = world["visit"]
    services.watch_for(visit)
    for minutes in (44, 45, 45.5, 60, 119):
        _sweep_at(visit, minutes, django_capture_on_commit_callbacks)
    assert not Notification.objects.exists()
    for minutes in (120, 121, 180):
        _sweep_at(visit, minutes, django_capture_on_commit_callbacks)
    sent = Notification.objects.get()
    assert sent.kind == "missed_call"
    assert sent.raised_at == sent.delivered_at == minutes_after(visit, 120)
    assert sent.refs == ["KENT-3.9.5", "KENT-3.8.1"]
    files = mails(mailbox)
    assert len(files) == 1
    assert "[Missed call]" in files[0]
    assert council_email in files[0]
    assert "Entwistle-Quayle" in files[0]


def test_a_late_start_tells_the_council_once_after_the_board_flagged_it(
    world, council_email, mailbox, django_capture_on_commit_callbacks
):
    """KENT-3.9.4 and KENT-3.8.1: a call that starts 45 minutes or more late."""
    visit = world["visit"]
    services.watch_for(visit)
    _sweep_at(visit, 46, django_capture_on_commit_callbacks)
    assert not Notification.objects.exists()
    with django_capture_on_commit_callbacks(execute=True):
        watch = services.call_started(
            visit=visit, worker=world["care_worker"], at=minutes_after(visit, 50)
        )
    assert watch.state == "in_progress"
    assert Notification.objects.filter(kind="late_call").count() == 1
    assert len(mails(mailbox)) == 1


def test_a_no_response_call_is_reported_once(
    world, council_email, mailbox, django_capture_on_commit_callbacks
):
    """KENT-3.8.1: no-response calls are notified to the council."""
    visit = world["visit"]
    for _ in range(2):
        with django_capture_on_commit_callbacks(execute=True):
            watch = services.call_not_delivered(
                visit=visit,
                by=world["coordinator"],
                outcome="no_response",
                at=minutes_after(visit, 5),
                note="Knocked and phoned twice; neighbour has not seen her today.",
            )
    assert watch.state == "missed" and watch.outcome == "no_response"
    assert Notification.objects.get().kind == "no_response"
    # Later sweeps do not also call it missed.
    _sweep_at(visit, 200, django_capture_on_commit_callbacks)
    assert Notification.objects.count() == 1
    assert "neighbour" in mails(mailbox)[0]


def test_a_void_call_is_reported(world, council_email, mailbox, django_capture_on_commit_callbacks):
    """KENT-3.8.1: void calls are notified to the council."""
    visit = world["visit"]
    with django_capture_on_commit_callbacks(execute=True):
        services.call_not_delivered(
            visit=visit, by=world["coordinator"], outcome="void", at=minutes_after(visit, 2)
        )
    assert Notification.objects.get().kind == "void_call"
    assert "[Void call]" in mails(mailbox)[0]


def test_an_alert_reads_the_provider_and_council_once_or_not_at_all(
    world, django_assert_num_queries
):
    """Read with the watch (the sweep's missed calls): no query; a watch read alone
    (a check-in's): the two organisations in one query."""
    from homecare.monitoring import alerts
    from homecare.monitoring.models import CallWatch

    watch = services.watch_for(world["visit"])
    with_both = CallWatch.objects.select_related("organisation", "council").get(pk=watch.pk)
    with django_assert_num_queries(0):
        provider, council = alerts._organisations(with_both)
    alone = CallWatch.objects.get(pk=watch.pk)
    with django_assert_num_queries(1):
        assert alerts._organisations(alone) == (provider, council)
    assert (provider.pk, council.pk) == (watch.organisation_id, watch.council_id)
