"""A broker publishes a referral to the providers who may take it; each offer
carries its own clock from its contract's rulebook."""

from datetime import datetime, timedelta

import pytest
import time_machine
from django.core.exceptions import ValidationError

from homecare.domain.patterns import LONDON
from homecare.referrals import services
from homecare.referrals.models import Offer, Referral
from tests import factories as f
from tests.referrals.helpers import FRIDAY_4PM


@time_machine.travel(FRIDAY_4PM, tick=False)
def test_a_hospital_discharge_goes_at_once_to_the_providers_in_the_area(market, make_referral):
    """LAN-HC-3.8: hospital discharge referrals are answered within 24 hours."""
    referral = services.referral_publish(by=market["broker"], referral=make_referral())
    assert referral.status == Referral.Status.PUBLISHED
    offers = {o.provider: o for o in referral.offers.all()}
    assert set(offers) == {market["provider"], market["second"]}
    offer = offers[market["provider"]]
    assert offer.due_at == FRIDAY_4PM + timedelta(hours=24)
    assert offer.deadline_rule == "referral.response.hospital_discharge"
    assert offer.deadline_ref == "LAN-HC-3.8"


@time_machine.travel(FRIDAY_4PM, tick=False)
def test_the_broker_sees_who_was_left_out_and_why(market, make_referral):
    decision = services.eligibility(make_referral())
    excluded = {d.candidate.provider_name: d.reason for d in decision.excluded}
    assert excluded == {"Preston Community Care": "Does not cover the person's area"}


@time_machine.travel(FRIDAY_4PM, tick=False)
def test_a_provider_under_a_level_3_sanction_is_never_offered_referrals(market, make_referral):
    """KENT-5.2.4: a level 3 sanction stops the provider being offered referrals."""
    from homecare.quality.models import Sanction

    Sanction.objects.create(
        organisation=market["council"],
        provider=market["second"],
        kind="safeguarding",
        level=3,
        reason="Regulator warning notice",
        starts_on=FRIDAY_4PM.date() - timedelta(days=3),
    )
    referral = services.referral_publish(by=market["broker"], referral=make_referral())
    assert list(referral.offers.values_list("provider", flat=True)) == [market["provider"].pk]
    decision = services.eligibility(referral)
    assert any("Level 3 sanction" in d.reason for d in decision.excluded)


@time_machine.travel(FRIDAY_4PM, tick=False)
def test_a_level_2_sanction_does_not_stop_referrals(market, make_referral):
    from homecare.quality.models import Sanction

    Sanction.objects.create(
        organisation=market["council"],
        provider=market["second"],
        kind="poor_practice",
        level=2,
        reason="Late calls",
        starts_on=FRIDAY_4PM.date(),
    )
    referral = services.referral_publish(by=market["broker"], referral=make_referral())
    assert referral.offers.count() == 2


@time_machine.travel(datetime(2026, 11, 20, 11, 0, tzinfo=LONDON), tick=False)
def test_planned_referrals_wait_for_the_daily_batch(market, make_referral):
    """LAN-HC-3.2: referrals are circulated once a day."""
    referral = services.referral_publish(
        by=market["broker"], referral=make_referral(kind="planned", urgency="planned")
    )
    assert referral.status == Referral.Status.QUEUED
    assert referral.publish_after == datetime(2026, 11, 21, 9, 0, tzinfo=LONDON)
    assert services.referrals_publish_batch() == 0
    with time_machine.travel(datetime(2026, 11, 21, 9, 1, tzinfo=LONDON), tick=False):
        assert services.referrals_publish_batch() == 1
    referral.refresh_from_db()
    assert referral.status == Referral.Status.PUBLISHED
    assert referral.offers.first().due_at == datetime(
        2026, 11, 24, 9, 1, tzinfo=LONDON
    )  # LAN-HC-3.6


@time_machine.travel(FRIDAY_4PM, tick=False)
def test_urgent_work_is_not_held_for_the_batch(market, make_referral):
    referral = services.referral_publish(
        by=market["broker"], referral=make_referral(kind="urgent_community", urgency="urgent")
    )
    assert referral.status == Referral.Status.PUBLISHED
    assert referral.offers.first().due_at == FRIDAY_4PM + timedelta(hours=2)


@time_machine.travel(FRIDAY_4PM, tick=False)
def test_neighbouring_clusters_may_be_offered_under_kent_rules(market, make_referral):
    """KENT-3.6.8: providers may take packages from neighbouring clusters."""
    market["elsewhere"].neighbours.add(market["area"])
    market["far_contract"].rulebook = "kent"
    market["far_contract"].save()
    decision = services.eligibility(make_referral())
    neighbouring = [d for d in decision.offered if d.neighbouring]
    assert [d.candidate.provider_name for d in neighbouring] == ["Preston Community Care"]


@time_machine.travel(FRIDAY_4PM, tick=False)
def test_a_county_wide_contract_is_offered_everything(market, make_referral):
    """ELOTH-3.11: no geographic zones."""
    market["far"].inspection_grades = [4, 3]
    market["far"].save()
    market["far_contract"].rulebook = "eloth"
    market["far_contract"].save()
    decision = services.eligibility(make_referral())
    assert "Preston Community Care" in {d.candidate.provider_name for d in decision.offered}


@time_machine.travel(FRIDAY_4PM, tick=False)
def test_a_provider_below_the_quality_grade_gate_is_excluded(market, make_referral):
    """ELOTH-3.13: grade 3 or more in the previous two inspections."""
    market["far"].inspection_grades = [4, 2]
    market["far"].save()
    market["far_contract"].rulebook = "eloth"
    market["far_contract"].save()
    decision = services.eligibility(make_referral())
    reasons = {d.candidate.provider_name: d.reason for d in decision.excluded}
    assert "ELOTH-3.13" in reasons["Preston Community Care"]


@time_machine.travel(FRIDAY_4PM, tick=False)
def test_a_provider_rated_below_good_is_excluded_from_extra_care(market, make_referral):
    """DERBY-4.3: the provider keeps a rating of Good or Outstanding."""
    market["second"].cqc_rating = "requires_improvement"
    market["second"].save()
    market["second_contract"].rulebook = "derby"
    market["second_contract"].save()
    decision = services.eligibility(make_referral())
    reasons = {d.candidate.provider_name: d.reason for d in decision.excluded}
    assert "DERBY-4.3" in reasons["Ribble Valley Homecare"]


@time_machine.travel(FRIDAY_4PM, tick=False)
def test_publishing_twice_is_refused(market, make_referral):
    referral = services.referral_publish(by=market["broker"], referral=make_referral())
    with pytest.raises(ValidationError, match="already been published"):
        services.referral_publish(by=market["broker"], referral=referral)
    assert Offer.objects.filter(referral=referral).count() == 2


def test_a_referral_with_a_slot_that_ends_before_it_starts_is_refused(market):
    from datetime import time

    with pytest.raises(ValidationError, match="before it starts"):
        services.referral_create(
            by=market["broker"],
            individual=market["person"],
            kind="planned",
            urgency="planned",
            source="community_team",
            referrer_name="A",
            requested_start=FRIDAY_4PM.date(),
            needs_statement="x",
            visits=[
                {"weekday": 0, "slot_start": time(9), "slot_end": time(8), "duration_minutes": 30}
            ],
        )
    assert not Referral.objects.exists()


def test_missing_basic_information_is_listed(market):
    """LAN-ST-5.4: a referral without the basic information may be declined."""
    from datetime import time

    person = f.IndividualFactory(organisation=market["council"], area=market["area"])
    referral = services.referral_create(
        by=market["broker"],
        individual=person,
        kind="planned",
        urgency="planned",
        source="community_team",
        referrer_name="A",
        requested_start=FRIDAY_4PM.date(),
        needs_statement="Help at home",
        visits=[
            {"weekday": 0, "slot_start": time(9), "slot_end": time(10), "duration_minutes": 30}
        ],
    )
    missing = referral.missing_information()
    assert "moving and handling equipment and instructions" in missing
    assert "next of kin" in missing
