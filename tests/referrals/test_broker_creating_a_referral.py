"""The broker records a referral through the page: the person, what is known,
and the visits wanted, several days to a row. Bad input is refused in words a
coordinator uses, and nothing is saved."""

from datetime import time

import pytest
from django.urls import reverse
from django.utils import timezone

from homecare.referrals.models import Referral, ReferralVisit
from tests import factories as f


def referral_post(person, **changes):
    """A complete referral form: one row Monday, Wednesday and Friday mornings,
    one row every day at teatime, one blank row."""
    data = {
        "individual": str(person.pk),
        "kind": "hospital_discharge",
        "urgency": "urgent",
        "source": "hospital_team",
        "referrer_name": "Ward 4 discharge team",
        "referrer_telephone": "",
        "received_at": "",
        "care_type": "visits",
        "requested_start": timezone.localdate().isoformat(),
        "expected_end": "",
        "previous_package": "",
        "needs_statement": "Help to wash, dress and eat",
        "special_requirements": "",
        "moving_and_handling": "Zimmer frame",
        "known_risks": "Falls",
        "preferred_worker_gender": "female",
        "consent": "consented",
        "consent_notes": "",
        "visits-TOTAL_FORMS": "3",
        "visits-INITIAL_FORMS": "0",
        "visits-MIN_NUM_FORMS": "0",
        "visits-MAX_NUM_FORMS": "30",
        "visits-0-weekdays": ["0", "2", "4"],
        "visits-0-kind": "visit",
        "visits-0-slot_start": "07:30",
        "visits-0-slot_end": "09:00",
        "visits-0-duration_minutes": "45",
        "visits-0-workers_required": "2",
        "visits-0-tasks": "Wash and dress, Breakfast",
        "visits-1-every_day": "on",
        "visits-1-kind": "visit",
        "visits-1-slot_start": "17:00",
        "visits-1-slot_end": "18:30",
        "visits-1-duration_minutes": "30",
        "visits-1-workers_required": "1",
        "visits-1-tasks": "Tea",
        "visits-2-kind": "visit",
        "visits-2-workers_required": "1",
    }
    data.update(changes)
    return data


def test_the_broker_records_a_referral_with_several_days_in_one_row(world, login):
    client = login(world["broker"])
    response = client.post(reverse("referrals:create"), referral_post(world["person"]))
    referral = Referral.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("referrals:detail", args=[referral.pk])
    assert referral.status == Referral.Status.DRAFT
    assert referral.individual == world["person"]
    assert referral.preferred_worker_gender == "female"
    assert referral.created_by == world["broker"]
    mornings = referral.visits.filter(slot_start=time(7, 30))
    assert sorted(mornings.values_list("weekday", flat=True)) == [0, 2, 4]
    assert {(v.duration_minutes, v.workers_required) for v in mornings} == {(45, 2)}
    assert mornings.first().tasks == ["Wash and dress", "Breakfast"]
    teas = referral.visits.filter(slot_start=time(17, 0))
    assert sorted(teas.values_list("weekday", flat=True)) == list(range(7))
    assert referral.visits.count() == 10


def test_the_form_offers_only_the_councils_people_and_a_way_to_record_a_new_one(world, login):
    stranger = f.IndividualFactory(
        organisation=world["other_council"],
        family_name="Somebody-Elsewhere",
        area=f.AreaFactory(organisation=world["other_council"]),
    )
    page = login(world["broker"]).get(reverse("referrals:create")).content.decode()
    assert "Entwistle-Quayle" in page
    assert stranger.family_name not in page
    assert reverse("people:create") in page
    assert "Record a new person first" in page


def test_a_person_can_be_chosen_in_the_address(world, login):
    person = world["person"]
    response = login(world["broker"]).get(f"{reverse('referrals:create')}?person={person.pk}")
    assert response.context["form"]["individual"].value() == person.pk
    assert f'value="{person.pk}" selected' in response.content.decode()


def test_a_nonsense_person_in_the_address_is_ignored(world, login):
    response = login(world["broker"]).get(f"{reverse('referrals:create')}?person=nonsense")
    assert response.status_code == 200


def _refused(client, data):
    response = client.post(reverse("referrals:create"), data)
    assert response.status_code == 200
    assert Referral.objects.count() == 0
    assert ReferralVisit.objects.count() == 0
    return response.content.decode()


def test_a_slot_that_ends_before_it_starts_is_refused(world, login):
    page = _refused(
        login(world["broker"]),
        referral_post(
            world["person"], **{"visits-1-slot_start": "18:30", "visits-1-slot_end": "17:00"}
        ),
    )
    assert "The time slot ends at 17:00, before it starts at 18:30." in page


def test_a_referral_without_visits_is_refused(world, login):
    """Rows left blank (as the browser sends them) are not visits."""
    data = referral_post(world["person"])
    for key in [k for k in data if k.startswith(("visits-0-", "visits-1-"))]:
        data.pop(key)
    for row in (0, 1):
        data.update({f"visits-{row}-kind": "visit", f"visits-{row}-workers_required": "1"})
    page = _refused(login(world["broker"]), data)
    assert "Add at least one visit wanted." in page


def test_a_row_without_days_is_refused(world, login):
    data = referral_post(world["person"])
    data.pop("visits-0-weekdays")
    page = _refused(login(world["broker"]), data)
    assert "Tick the days of this visit, or Every day." in page


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("visits-0-duration_minutes", "0", "A visit lasts at least one minute."),
        ("visits-0-workers_required", "3", "A visit needs one worker, or two when double-handed."),
    ],
)
def test_visit_lengths_and_workers_are_checked(world, login, field, value, message):
    page = _refused(login(world["broker"]), referral_post(world["person"], **{field: value}))
    assert message in page


def test_a_person_of_another_council_cannot_be_forged_into_the_form(world, login):
    stranger = f.IndividualFactory(
        organisation=world["other_council"], area=f.AreaFactory(organisation=world["other_council"])
    )
    page = _refused(login(world["broker"]), referral_post(stranger))
    assert "Choose one of the people your council is responsible for." in page


def test_a_restart_must_name_the_package_held_during_the_stay(world, login):
    """LAN-HC-6.4: a restart goes to the previous provider first, so it names them."""
    page = _refused(login(world["broker"]), referral_post(world["person"], kind="restart"))
    assert "A restart names the package held during the stay" in page


def test_a_restart_names_the_persons_package(world, login):
    client = login(world["broker"])
    response = client.post(
        reverse("referrals:create"),
        referral_post(world["person"], kind="restart", previous_package=str(world["package"].pk)),
    )
    assert response.status_code == 302
    assert Referral.objects.get().previous_package == world["package"]


def test_a_best_interest_decision_says_where_it_is_recorded(world, login):
    """KENT-3.4.3: consent, or a best-interest decision."""
    page = _refused(login(world["broker"]), referral_post(world["person"], consent="best_interest"))
    assert "Say who made the best-interest decision" in page


def test_an_expected_end_before_the_start_is_refused(world, login):
    data = referral_post(world["person"], expected_end="2020-01-01")
    page = _refused(login(world["broker"]), data)
    assert "The expected end is before the requested start." in page


def test_the_new_referral_shows_its_visits_folded_by_day(world, login):
    client = login(world["broker"])
    response = client.post(reverse("referrals:create"), referral_post(world["person"]), follow=True)
    page = response.content.decode()
    assert "is recorded as a draft" in page
    assert "<td>Mon, Wed, Fri</td><td>07:30–09:00</td>" in page
    assert "<td>Every day</td><td>17:00–18:30</td>" in page
    assert "2 (double-handed)" in page
    assert "8 hours of care a week (480 worker minutes)" in page
