"""A council with three providers in two areas, a person, a referral builder,
and a hospital discharge published at 16:00 on a Friday."""

from contextlib import contextmanager

import pytest
import time_machine
from django.utils import timezone

from homecare.accounts.models import Role
from homecare.referrals import services
from tests import factories as f
from tests.referrals.helpers import FRIDAY_4PM, VISITS


@pytest.fixture
def market(world):
    """``world`` plus two more providers: ``second`` (same area) and ``far``
    (another area only), each with a coordinator."""
    council, area = world["council"], world["area"]
    elsewhere = f.AreaFactory(organisation=council, name="Central Lancashire")
    second = f.ProviderFactory(name="Ribble Valley Homecare")
    far = f.ProviderFactory(name="Preston Community Care")
    second_contract = f.ContractFactory(
        organisation=council, provider=second, areas=[area], rulebook="lan-hc"
    )
    far_contract = f.ContractFactory(
        organisation=council, provider=far, areas=[elsewhere], rulebook="lan-hc"
    )
    return {
        **world,
        "elsewhere": elsewhere,
        "second": second,
        "far": far,
        "second_contract": second_contract,
        "far_contract": far_contract,
        "second_coordinator": f.UserFactory(organisation=second, role=Role.PROVIDER_COORDINATOR),
        "far_coordinator": f.UserFactory(organisation=far, role=Role.PROVIDER_COORDINATOR),
    }


@pytest.fixture
def make_referral(market):
    def _make(kind="hospital_discharge", urgency="planned", **extra):
        fields = dict(
            kind=kind,
            urgency=urgency,
            source="hospital_team",
            referrer_name="Ward 4 discharge team",
            requested_start=timezone.localdate(),
            needs_statement="Needs help to wash, dress and eat",
            moving_and_handling="Zimmer frame",
            known_risks="Falls",
        )
        fields.update(extra)
        return services.referral_create(
            by=market["broker"], individual=market["person"], visits=VISITS, **fields
        )

    return _make


@pytest.fixture
def published(market, make_referral):
    """A hospital discharge published at 16:00 on a Friday to the two providers
    in the person's area."""
    with time_machine.travel(FRIDAY_4PM, tick=False):
        return services.referral_publish(by=market["broker"], referral=make_referral())


@pytest.fixture
def at(login):
    """``with at(when, user) as client``: signed in at ``when``, clock frozen."""

    @contextmanager
    def _at(when, user):
        with time_machine.travel(when, tick=False):
            yield login(user)

    return _at
