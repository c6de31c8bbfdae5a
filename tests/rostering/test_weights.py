"""Each provider weighs its own soft goals (issue 5)."""

from django.urls import reverse

from homecare.rostering.jobs import _weights
from homecare.rostering.models import RotaWeights


def test_a_coordinator_sets_the_weights_and_runs_use_them(rota, login):
    client = login(rota["coordinator"])
    values = {
        "travel": "2",
        "lateness": "3",
        "continuity": "100",
        "unusual": "5",
        "balance": "0",
        "long_leg": "1",
    }
    response = client.post(reverse("rostering:weights"), values)
    assert response.status_code == 302
    row = RotaWeights.objects.get(organisation=rota["provider"])
    assert row.changed_by == rota["coordinator"]
    weights, allowance = _weights(rota["provider"])
    assert (weights.travel, weights.continuity, weights.long_leg) == (2.0, 100.0, 1.0)
    assert allowance == 10  # lan-hc visit.travel_allowance, LAN-HC-4.1


def test_a_negative_weight_is_refused_and_nothing_changes(rota, login):
    client = login(rota["coordinator"])
    values = {k: "1" for k in RotaWeights.FIELDS} | {"travel": "-1"}
    response = client.post(reverse("rostering:weights"), values)
    assert response.status_code == 200
    assert "A weight cannot be negative." in response.content.decode()
    assert not RotaWeights.objects.exists()
    weights, _ = _weights(rota["provider"])
    assert weights.travel == 1.0  # the optimizer's default


def test_the_team_share_goal_is_the_providers_and_reaches_the_optimizer(rota, login):
    """KENT-8.1: the share of each person's visits their trusted team should do is
    the provider's goal (85% unless it says otherwise); 0 turns the polish off."""
    from homecare.rostering.day import load_day
    from homecare.rostering.optimise import build_problem

    day = load_day(rota["provider"], rota["tomorrow"])
    weights, _ = _weights(rota["provider"])
    assert weights.team_share == 85.0
    assert build_problem(day, weights=weights)[0].team_share == 0.85
    client = login(rota["coordinator"])
    values = {k: "1" for k in RotaWeights.FIELDS}
    response = client.post(reverse("rostering:weights"), values | {"team_share": "120"})
    assert response.status_code == 200
    assert "The team share goal is a percentage: 0 to 100." in response.content.decode()
    assert not RotaWeights.objects.exists()
    response = client.post(reverse("rostering:weights"), values | {"team_share": "90"})
    assert response.status_code == 302
    weights, _ = _weights(rota["provider"])
    assert build_problem(day, weights=weights)[0].team_share == 0.9
    client.post(reverse("rostering:weights"), values | {"team_share": "0"})
    weights, _ = _weights(rota["provider"])
    assert build_problem(day, weights=weights)[0].team_share is None
