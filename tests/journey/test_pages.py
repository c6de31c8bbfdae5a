"""The journey pages on both sides: what a coordinator and a council broker do,
bad input refused on the page with the clause, and list pages with a fixed
number of queries."""

from datetime import date, time, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from homecare.journey import changes, endings, hospital
from homecare.journey.models import HandBack, HospitalStay, PackageChange

from .conftest import EVIDENCE


def _change_data(journey, **kw):
    data = {
        "kind": "increase",
        "operation": "resize",
        "entry": journey["entry"].pk,
        "start_time": "11:00",
        "end_time": "13:00",
        "starts_on": timezone.localdate().isoformat(),
        "agreed_with": EVIDENCE["agreed_with"],
        "reason": EVIDENCE["reason"],
        "risk_assessed": "on",
        "person_agrees": "on",
    }
    data.update(kw)
    return data


def test_the_coordinator_proposes_an_increase_beyond_the_limit_and_the_council_agrees(
    journey, login
):
    """LAN-HC-5.4 beyond the limit becomes a request; the council decides on its page."""
    client = login(journey["coordinator"])
    url = reverse("journey:change_new", args=[journey["package"].pk])
    page = client.get(url).content.decode()
    assert "60 minutes" in page and "LAN-HC-5.4" in page
    response = client.post(url, _change_data(journey), follow=True)
    assert "needs the council" in response.content.decode()
    change = PackageChange.objects.get()
    assert change.status == "requested"
    broker = login(journey["broker"])
    listing = broker.get(reverse("journey:changes") + "?status=requested").content.decode()
    assert "Entwistle-Quayle" in listing
    detail = broker.get(reverse("journey:change", args=[change.pk])).content.decode()
    assert "Why the council decides" in detail and "LAN-HC-5.4" in detail
    broker.post(reverse("journey:change_decide", args=[change.pk]), {"approve": "yes"})
    change.refresh_from_db()
    assert change.status == "applied"


def test_a_reduction_to_zero_on_the_page_is_refused_with_the_clause(journey, login):
    """LAN-HC-5.3."""
    from homecare.packages import services as package_services

    for entry in journey["package"].pattern.exclude(pk=journey["entry"].pk):
        package_services.pattern_entry_archive(by=journey["coordinator"], entry=entry)
    client = login(journey["coordinator"])
    response = client.post(
        reverse("journey:change_new", args=[journey["package"].pk]),
        _change_data(journey, kind="reduction", operation="remove"),
    )
    assert response.status_code == 200
    assert "LAN-HC-5.3" in response.content.decode()
    assert not PackageChange.objects.exists()


def test_a_change_dated_in_the_past_on_the_page_is_refused(journey, login):
    """LAN-HC-5.5."""
    client = login(journey["coordinator"])
    yesterday = (timezone.localdate() - timedelta(days=1)).isoformat()
    response = client.post(
        reverse("journey:change_new", args=[journey["package"].pk]),
        _change_data(journey, end_time="11:30", kind="reduction", starts_on=yesterday),
    )
    assert "cannot start in the past" in response.content.decode()
    assert not PackageChange.objects.exists()


def test_the_council_reverses_a_change_on_its_page(journey, login):
    """LAN-HC-5.8."""
    change = changes.package_change_propose(
        by=journey["coordinator"],
        package=journey["package"],
        kind="reduction",
        operation="remove",
        entry=journey["entry"],
        starts_on=timezone.localdate(),
        **EVIDENCE,
    )
    broker = login(journey["broker"])
    broker.post(reverse("journey:change_reverse", args=[change.pk]), {"reason": "Not agreed"})
    change.refresh_from_db()
    assert change.status == "reversed"


def test_the_provider_cannot_decide_its_own_request(journey, login):
    change = changes.package_change_propose(
        by=journey["coordinator"],
        package=journey["package"],
        kind="increase",
        operation="resize",
        entry=journey["entry"],
        start_time=time(11),
        end_time=time(13),
        starts_on=timezone.localdate(),
        **EVIDENCE,
    )
    client = login(journey["coordinator"])
    url = reverse("journey:change_decide", args=[change.pk])
    assert client.post(url, {"approve": "yes"}).status_code == 404
    assert (
        "Record the decision"
        not in client.get(reverse("journey:change", args=[change.pk])).content.decode()
    )


def test_admission_and_discharge_on_the_pages(journey, login):
    """LAN-HC-6.1, LAN-HC-6.2."""
    client = login(journey["coordinator"])
    response = client.post(
        reverse("journey:admit", args=[journey["package"].pk]),
        {
            "place": "ward",
            "admitted_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
            "hospital": "Royal Blackburn",
        },
        follow=True,
    )
    page = response.content.decode()
    assert "the council has been told" in page
    assert "100% of the visits held" in page
    stay = HospitalStay.objects.get()
    client.post(
        reverse("journey:stay_discharge", args=[stay.pk]),
        {"discharged_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M")},
    )
    stay.refresh_from_db()
    assert stay.status == "discharged"


def test_the_council_restarts_from_the_stay_page(journey, login, at):
    """LAN-HC-6.4: through the referral flow, previous provider first."""
    stay = hospital.stay_admit(
        by=journey["coordinator"],
        package=journey["package"],
        place="ward",
        admitted_at=timezone.now(),
    )
    at.shift(timedelta(hours=73))
    hospital.stays_end_holds()
    broker = login(journey["broker"])
    page = broker.get(reverse("journey:stay", args=[stay.pk])).content.decode()
    assert "Send the restart" in page
    response = broker.post(
        reverse("journey:stay_restart", args=[stay.pk]),
        {"requested_start": timezone.localdate().isoformat()},
    )
    stay.refresh_from_db()
    assert response["Location"] == reverse("referrals:detail", args=[stay.restart_referral_id])


def test_a_hand_back_with_too_little_notice_is_refused_on_the_page(journey, login):
    """KENT-3.10.1."""
    client = login(journey["coordinator"])
    url = reverse("journey:handback_new", args=[journey["package"].pk])
    assert 'value="2026-12-14"' in client.get(url).content.decode()
    response = client.post(url, {"last_day": "2026-12-11", "reason": "No staff"})
    page = response.content.decode()
    assert "10 working days" in page and "Monday 14 December 2026" in page
    assert not HandBack.objects.exists()


def test_hand_over_on_the_last_day_on_the_page(journey, login, at):
    """KENT-3.10.2, LAN-ST-4.26."""
    handback = endings.handback_give_notice(
        by=journey["coordinator"],
        package=journey["package"],
        last_day=date(2026, 12, 14),
        reason="No staff",
    )
    client = login(journey["coordinator"])
    url = reverse("journey:handback", args=[handback.pk])
    assert "This opens on" in client.get(url).content.decode()
    at.move_to(timezone.make_aware(timezone.datetime(2026, 12, 14, 15, 0)))
    client = login(journey["coordinator"])  # two weeks on: a new day's sign-in
    response = client.post(
        reverse("journey:handback_complete", args=[handback.pk]),
        {
            "handed_to": "Lancashire County Council",
            "handed_over": ["communications_record", "action_plan", "onward_needs"],
        },
    )
    assert response.status_code == 302
    page = client.get(url).content.decode()
    assert "Handed back: the package has ended and is closed." in page
    handback.refresh_from_db()
    assert handback.status == "handed_back"


@pytest.mark.parametrize("who", ["worker", "daughter"])
def test_workers_and_family_do_not_see_the_journey_pages(journey, login, who):
    client = login(journey[who])
    assert client.get(reverse("journey:package", args=[journey["package"].pk])).status_code == 404
    assert client.get(reverse("journey:changes")).status_code == 404


def _many(journey, n):
    from tests.journey.conftest import contract_for

    for _ in range(n):
        package = contract_for(journey, "lan-hc")
        changes.package_change_propose(
            by=journey["coordinator"],
            package=package,
            kind="reduction",
            operation="remove",
            entry=package.pattern.first(),
            starts_on=timezone.localdate() + timedelta(days=3),
            **EVIDENCE,
        )
        endings.handback_give_notice(
            by=journey["coordinator"],
            package=package,
            last_day=date(2027, 1, 29),
            reason="No staff",
        )
        hospital.stay_admit(
            by=journey["coordinator"], package=package, place="ward", admitted_at=timezone.now()
        )


@pytest.mark.parametrize("name", ["journey:changes", "journey:stays", "journey:handbacks"])
@pytest.mark.parametrize("who", ["coordinator", "broker"])
def test_list_pages_run_a_fixed_number_of_queries(
    journey, login, django_assert_max_num_queries, name, who
):
    client = login(journey[who])
    _many(journey, 1)
    with django_assert_max_num_queries(20) as one:
        client.get(reverse(name))
    _many(journey, 4)
    with django_assert_max_num_queries(len(one.captured_queries)):
        response = client.get(reverse(name))
    assert response.content.decode().count("Entwistle-Quayle") >= 5


def test_the_package_page_leads_to_its_journey(journey, login):
    for who in ("coordinator", "broker"):
        page = login(journey[who]).get(reverse("packages:detail", args=[journey["package"].pk]))
        assert reverse("journey:package", args=[journey["package"].pk]) in page.content.decode()


def test_discharge_to_assess_on_the_pages(journey, login):
    """KENT-2.1.8: started, extended once, ended."""
    from homecare.journey.models import DischargeToAssess

    from .conftest import contract_for

    package = contract_for(journey, "kent")
    client = login(journey["coordinator"])
    assert (
        "Start Discharge to Assess"
        in client.get(reverse("journey:package", args=[package.pk])).content.decode()
    )
    client.post(
        reverse("journey:d2a_start", args=[package.pk]),
        {"starts_on": timezone.localdate().isoformat()},
    )
    d2a = DischargeToAssess.objects.get()
    client.post(reverse("journey:d2a_extend", args=[d2a.pk]), {"reason": "Nearly independent"})
    response = client.post(
        reverse("journey:d2a_extend", args=[d2a.pk]), {"reason": "Again"}, follow=True
    )
    assert "extended once only" in response.content.decode()
    client.post(reverse("journey:d2a_end", args=[d2a.pk]), {"outcome": "No further care"})
    d2a.refresh_from_db()
    assert d2a.ends_on == timezone.localdate() + timedelta(days=4) and d2a.ended_at
