"""Pages with personal data are never kept by browsers or proxies: every signed-in
page, and the sign-in page, says `Cache-Control: no-store` (NoStoreMiddleware)."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("persona", ["broker", "coordinator", "worker", "daughter"])
def test_the_home_page_is_not_stored(world, login, persona):
    response = login(world[persona]).get(reverse("core:home"))
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"


def test_a_persons_page_is_not_stored(world, login):
    client = login(world["coordinator"])
    response = client.get(reverse("people:detail", args=[world["person"].pk]))
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"


def test_the_support_admin_is_not_stored(world, login):
    world["manager"].is_superuser = world["manager"].is_staff = True
    world["manager"].save()
    response = login(world["manager"]).get(reverse("admin:people_individual_changelist"))
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]


def test_the_sign_in_page_is_not_stored(client, db):
    response = client.get(reverse("accounts:login"))
    assert response["Cache-Control"] == "no-store"


def test_a_redirect_to_sign_in_is_not_stored_either(world, login):
    """Even the redirect a signed-in person gets after signing out."""
    client = login(world["coordinator"])
    response = client.post(reverse("accounts:logout"))
    assert response["Cache-Control"] == "no-store"
