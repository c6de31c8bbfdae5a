"""The tag kept in the home: the office issues or replaces its code (audited), prints
it as a QR code, and a care worker checks in with it; the old code stops working."""

import re

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from homecare.visits import tags
from homecare.visits.models import HomeProfile

pytestmark = pytest.mark.django_db

CODE = re.compile(r"^[A-HJKMNP-Z2-9]{3}-[A-HJKMNP-Z2-9]{4}$")


def test_a_new_code_is_short_and_has_no_letters_that_read_as_digits():
    codes = {tags.new_tag_code() for _ in range(200)}
    assert len(codes) == 200
    assert all(CODE.match(c) for c in codes)


def test_the_office_issues_a_tag_for_a_home_without_one(world):
    profile = tags.home_tag_issue(by=world["coordinator"], individual=world["person"])
    assert CODE.match(profile.tag_code)
    assert profile.organisation == world["provider"]
    last = profile.history.first()
    assert last.history_user == world["coordinator"]
    assert last.history_change_reason == "Home tag issued"


def test_replacing_the_tag_keeps_the_access_notes_and_records_who(ward):
    before = HomeProfile.objects.get(individual=ward["person"])
    profile = tags.home_tag_issue(by=ward["manager"], individual=ward["person"])
    assert profile.pk == before.pk
    assert profile.tag_code not in ("", before.tag_code)
    assert profile.access_notes == "Key safe by the back door: 1966."
    last = profile.history.first()
    assert (last.history_user, last.history_change_reason) == (
        ward["manager"],
        "Home tag replaced",
    )
    assert profile.history.filter(tag_code=before.tag_code).exists()  # never lost


def test_after_a_replacement_the_old_code_is_refused_and_the_new_one_accepted(ward, nine, send):
    old = HomeProfile.objects.get(individual=ward["person"]).tag_code
    new = tags.home_tag_issue(by=ward["coordinator"], individual=ward["person"]).tag_code
    refused = send("worker", "check_in", method="tag", tag_code=old, position=None)
    assert refused.outcome == "rejected" and "does not match" in refused.reason
    accepted = send("worker", "check_in", method="tag", tag_code=new.lower(), position=None)
    assert accepted.outcome == "accepted" and accepted.method == "tag"


@pytest.mark.parametrize("who", ["worker", "broker", "outsider", "daughter"])
def test_only_the_providers_office_issues_tags(world, who):
    with pytest.raises(ValidationError):
        tags.home_tag_issue(by=world[who], individual=world["person"])
    assert not HomeProfile.objects.exists()


def test_the_page_shows_the_code_as_a_qr_code(login, ward):
    client = login(ward["coordinator"])
    response = client.get(reverse("visits:home_tag", args=[ward["person"].pk]))
    assert response.status_code == 200
    html = response.content.decode()
    assert "PQ7-4411" in html
    assert "<svg" in html and 'viewBox="0 0 29 29"' in html  # version 3: 29 modules
    assert "Replace the code" in html
    assert "accept the home tag" not in html  # lan-hc allows gps, tag and manual


def test_the_qr_code_holds_the_bare_code():
    """Decoding needs a camera; check the SVG differs per code and is stable per code."""
    a, b = tags.tag_qr_svg("PQ7-4411"), tags.tag_qr_svg("PQ7-4412")
    assert a == tags.tag_qr_svg("PQ7-4411") and a != b
    assert "<script" not in a and "PQ7" not in a  # a path only: no text to leak


def test_a_home_without_a_tag_offers_to_issue_one(login, world):
    client = login(world["coordinator"])
    url = reverse("visits:home_tag", args=[world["person"].pk])
    assert "This home has no tag yet" in client.get(url).content.decode()
    response = client.post(reverse("visits:home_tag_issue", args=[world["person"].pk]))
    assert response.status_code == 302 and response["Location"] == url
    code = HomeProfile.objects.get(individual=world["person"]).tag_code
    html = client.get(url).content.decode()
    assert code in html and "Home tag issued" in html and "New tag code issued" in html


def test_the_council_and_workers_do_not_see_the_tag_page(login, ward):
    for who in ["broker", "worker", "daughter"]:
        client = login(ward[who])
        assert client.get(reverse("visits:home_tag", args=[ward["person"].pk])).status_code == 404
        post = client.post(reverse("visits:home_tag_issue", args=[ward["person"].pk]))
        assert post.status_code == 404
    assert HomeProfile.objects.get(individual=ward["person"]).tag_code == "PQ7-4411"


def test_the_person_page_links_to_the_tag_for_the_office_only(login, world):
    url = reverse("visits:home_tag", args=[world["person"].pk])
    client = login(world["coordinator"])
    assert url in client.get(reverse("people:detail", args=[world["person"].pk])).content.decode()
    client = login(world["broker"])
    assert (
        url not in client.get(reverse("people:detail", args=[world["person"].pk])).content.decode()
    )
