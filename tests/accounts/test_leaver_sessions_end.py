"""When someone leaves, disabling their account ends every session they have, on
every device, at once (user_disable; the admin's "Disable account and end all
sessions")."""

from datetime import timedelta

import pytest
import time_machine
from django.contrib.auth import SESSION_KEY
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from homecare.accounts import services
from homecare.accounts.models import UserSession

pytestmark = pytest.mark.django_db

HOME = reverse("core:home")


@pytest.fixture
def two_devices(world, enrol, sign_in):
    """The coordinator signed in on a desktop and on a phone (30 seconds apart:
    a code is accepted once)."""
    user = world["coordinator"]
    enrol(user)
    desktop, phone = Client(), Client()
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        assert sign_in(desktop, user).status_code == 302
        traveller.shift(timedelta(seconds=30))
        assert sign_in(phone, user).status_code == 302
    assert desktop.get(HOME).status_code == 200
    assert phone.get(HOME).status_code == 200
    return desktop, phone


def _signed_out(client) -> bool:
    response = client.get(HOME)
    return response.status_code == 302 and response["Location"].startswith(
        reverse("accounts:login")
    )


def test_sessions_are_tracked_on_sign_in(world, two_devices):
    assert UserSession.objects.filter(user=world["coordinator"]).count() == 2


def test_disabling_a_leaver_ends_all_their_sessions(world, two_devices):
    desktop, phone = two_devices
    ended = services.user_disable(user=world["coordinator"])
    assert ended == 2
    assert _signed_out(desktop)
    assert _signed_out(phone)
    assert SESSION_KEY not in desktop.session


def test_a_disabled_leaver_cannot_sign_in_again(world, two_devices, sign_in):
    services.user_disable(user=world["coordinator"])
    with time_machine.travel(timezone.now() + timedelta(minutes=1), tick=False):
        response = sign_in(Client(), world["coordinator"])
    assert response.status_code == 200


def test_colleagues_stay_signed_in(world, two_devices, login):
    colleague = login(world["manager"])
    services.user_disable(user=world["coordinator"])
    assert colleague.get(HOME).status_code == 200


def test_the_admin_action_disables_and_ends_all_sessions(world, two_devices, login):
    desktop, phone = two_devices
    support = world["manager"]
    support.is_superuser = support.is_staff = True
    support.save()
    admin = login(support)
    response = admin.post(
        reverse("admin:accounts_user_changelist"),
        {"action": "disable_and_end_sessions", "_selected_action": [world["coordinator"].pk]},
        follow=True,
    )
    assert "Disabled 1 account(s) and ended 2 session(s)" in response.text
    world["coordinator"].refresh_from_db()
    assert not world["coordinator"].is_active
    assert _signed_out(desktop)
    assert _signed_out(phone)


def test_unticking_active_in_the_admin_ends_sessions_too(world, two_devices, login):
    desktop, phone = two_devices
    support = world["manager"]
    support.is_superuser = support.is_staff = True
    support.save()
    admin = login(support)
    url = reverse("admin:accounts_user_change", args=[world["coordinator"].pk])
    form = admin.get(url).context["adminform"].form
    data = {k: v for k, v in form.initial.items() if v is not None and k != "password"}
    data.update(
        is_active="",
        date_joined_0=data["date_joined"].strftime("%d/%m/%Y"),
        date_joined_1=data["date_joined"].strftime("%H:%M:%S"),
        organisation=world["provider"].pk,
        individual="",
        groups=[],
        user_permissions=[],
    )
    data.pop("date_joined")
    data.pop("last_login", None)
    response = admin.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    assert _signed_out(desktop)
    assert _signed_out(phone)
