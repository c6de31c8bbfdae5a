"""A manager sends a new starter a one-time link; they link their authenticator
app with it and can then sign in. The link works once, and not for long."""

import re
from datetime import timedelta
from pathlib import Path

import pytest
import time_machine
from django.conf import settings
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from homecare.accounts import services
from tests import factories as f


@pytest.fixture
def starter(world):
    return f.UserFactory(organisation=world["provider"], email="new.starter@example.org")


def send(starter, world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        return services.enrolment_send(
            user=starter, by=world["manager"], base_url="https://homecare.example.org/"
        )


def code_for(starter):
    return f"{totp(TOTPDevice.objects.get(user=starter).bin_key):06d}"


def test_the_link_is_emailed_through_the_mail_backend(
    starter, world, django_capture_on_commit_callbacks, mailoutbox
):
    link = send(starter, world, django_capture_on_commit_callbacks)
    [mail] = mailoutbox
    assert mail.to == ["new.starter@example.org"]
    assert link in mail.body
    assert link.startswith("https://homecare.example.org/accounts/enrol/")


def test_a_starter_links_their_app_and_can_then_sign_in(
    starter, world, client, django_capture_on_commit_callbacks
):
    link = send(starter, world, django_capture_on_commit_callbacks)
    path = link.removeprefix("https://homecare.example.org")
    page = client.get(path).content.decode()
    assert "<svg" in page and starter.username in page
    response = client.post(path, {"code": code_for(starter)})
    assert response.status_code == 302
    assert TOTPDevice.objects.get(user=starter).confirmed
    # The code just used cannot be used again; the next one signs in.
    with time_machine.travel(timezone.now() + timedelta(seconds=31)):
        signed_in = client.post(
            reverse("accounts:login"),
            {
                "username": starter.username,
                "password": "correct horse battery staple",
                "otp_token": code_for(starter),
            },
        )
    assert signed_in.status_code == 302
    assert signed_in["Location"] == reverse("core:home")


def test_a_wrong_code_is_refused_and_the_link_still_works(
    starter, world, client, django_capture_on_commit_callbacks
):
    path = send(starter, world, django_capture_on_commit_callbacks).removeprefix(
        "https://homecare.example.org"
    )
    response = client.post(path, {"code": "000000" if code_for(starter) != "000000" else "111111"})
    assert "That code didn&#x27;t match" in response.content.decode()
    assert not TOTPDevice.objects.get(user=starter).confirmed


def test_a_used_link_cannot_be_replayed(starter, world, client, django_capture_on_commit_callbacks):
    path = send(starter, world, django_capture_on_commit_callbacks).removeprefix(
        "https://homecare.example.org"
    )
    client.post(path, {"code": code_for(starter)})
    again = client.get(path)
    assert again.status_code == 404
    assert "already been used" in again.content.decode()


def test_an_old_link_has_expired(starter, world, client, django_capture_on_commit_callbacks):
    path = send(starter, world, django_capture_on_commit_callbacks).removeprefix(
        "https://homecare.example.org"
    )
    with time_machine.travel(timezone.now() + timedelta(hours=services.ENROLMENT_LINK_HOURS + 1)):
        response = client.get(path)
    assert response.status_code == 404
    assert "expired" in response.content.decode()


def test_a_tampered_link_is_refused(client):
    response = client.get(reverse("accounts:enrol", args=["42:forged"]))
    assert response.status_code == 404


def test_only_the_newest_link_works(starter, world, client, django_capture_on_commit_callbacks):
    first = send(starter, world, django_capture_on_commit_callbacks)
    send(starter, world, django_capture_on_commit_callbacks)
    assert client.get(first.removeprefix("https://homecare.example.org")).status_code == 404


def test_a_person_without_an_email_address_cannot_be_sent_a_link(world):
    with pytest.raises(ValidationError, match="no email address"):
        services.enrolment_send(user=f.UserFactory(email=""), by=None, base_url="https://x/")


def test_the_file_mail_backend_writes_the_message_to_disk(
    starter, world, settings, tmp_path, django_capture_on_commit_callbacks
):
    """The real mail backend of the embedded install writes files (EMAIL_FILE_PATH)."""
    settings.EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    settings.EMAIL_FILE_PATH = str(tmp_path)
    link = send(starter, world, django_capture_on_commit_callbacks)
    [written] = list(Path(tmp_path).iterdir())
    assert re.search(re.escape(link), written.read_text())


def test_the_enrolment_page_is_open_to_people_not_yet_signed_in():
    assert reverse("accounts:enrol", args=["x"]).startswith("/accounts/")
    assert settings.LOGIN_URL == "accounts:login"
