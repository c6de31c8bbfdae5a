"""The support admin (/support/) shows staff only what their role and organisation
may see (through homecare.core.access), is a 404 for anything else, and never
deletes: care records are archived."""

import pytest
from django.contrib import admin
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.test import RequestFactory
from django.urls import reverse

from homecare.core import access
from homecare.organisations.models import Contract
from homecare.packages.models import CarePackage
from homecare.people.models import Contact, Individual
from tests import factories as f

pytestmark = pytest.mark.django_db

HOMECARE_ADMINS = {
    model: model_admin
    for model, model_admin in admin.site._registry.items()
    if model.__module__.startswith("homecare.")
}


def make_support_staff(user, *models):
    """Staff status and every model permission (delete included) on ``models``."""
    user.is_staff = True
    user.save(update_fields=["is_staff"])
    types = [ContentType.objects.get_for_model(m) for m in models]
    user.user_permissions.add(*Permission.objects.filter(content_type__in=types))
    return user


def make_superuser(user):
    user.is_staff = user.is_superuser = True
    user.save(update_fields=["is_staff", "is_superuser"])
    return user


@pytest.fixture
def elsewhere(world):
    """A person another provider cares for, for another council."""
    contract = f.ContractFactory(
        organisation=world["other_council"], provider=world["other_provider"]
    )
    return f.CarePackageFactory(contract=contract, individual__given_name="Dorothy")


def _listed(response):
    return set(response.context["cl"].result_list)


def test_provider_staff_see_only_the_people_their_provider_cares_for(world, login, elsewhere):
    staff = make_support_staff(world["coordinator"], Individual)
    response = login(staff).get(reverse("admin:people_individual_changelist"))
    assert response.status_code == 200
    assert _listed(response) == {world["person"]}


def test_another_providers_person_is_a_404_for_provider_staff(world, login, elsewhere):
    staff = make_support_staff(world["coordinator"], Individual)
    client = login(staff)
    other = elsewhere.individual
    version = other.history.first().history_id
    for url in [
        reverse("admin:people_individual_change", args=[other.pk]),
        reverse("admin:people_individual_history", args=[other.pk]),
        reverse("admin:people_individual_simple_history", args=[other.pk, version]),
    ]:
        assert client.get(url).status_code == 404, url
    own = reverse("admin:people_individual_change", args=[world["person"].pk])
    assert client.get(own).status_code == 200


def test_a_council_broker_sees_their_councils_people_only(world, login, elsewhere):
    staff = make_support_staff(world["broker"], Individual, CarePackage)
    client = login(staff)
    assert _listed(client.get(reverse("admin:people_individual_changelist"))) == {world["person"]}
    assert _listed(client.get(reverse("admin:packages_carepackage_changelist"))) == {
        world["package"]
    }


def test_superusers_see_everyone(world, login, elsewhere):
    client = login(make_superuser(world["manager"]))
    response = client.get(reverse("admin:people_individual_changelist"))
    assert _listed(response) == {world["person"], elsewhere.individual}


def test_staff_see_only_their_own_organisations_accounts(world, login):
    from homecare.accounts.models import User

    staff = make_support_staff(world["manager"], User)
    response = login(staff).get(reverse("admin:accounts_user_changelist"))
    assert _listed(response) == {world["coordinator"], world["manager"], world["worker"]}


def test_drop_downs_offer_only_records_the_user_may_see(world, login, elsewhere):
    staff = make_support_staff(world["coordinator"], CarePackage)
    response = login(staff).get(
        reverse("admin:packages_carepackage_change", args=[world["package"].pk])
    )
    contracts = set(response.context["adminform"].form.fields["contract"].queryset)
    assert contracts == set(access.contracts_for(staff)) == {world["contract"]}
    assert elsewhere.contract not in contracts


@pytest.mark.parametrize("persona", ["coordinator", "superuser"])
def test_delete_is_never_offered(world, login, persona):
    if persona == "superuser":
        user = make_superuser(world["manager"])
    else:
        user = make_support_staff(world["coordinator"], Individual)
    client = login(user)
    person = world["person"]

    changelist = client.get(reverse("admin:people_individual_changelist"))
    actions = dict(changelist.context["action_form"].fields["action"].choices)
    assert "delete_selected" not in actions
    assert "archive" in actions

    change = client.get(reverse("admin:people_individual_change", args=[person.pk]))
    delete_url = reverse("admin:people_individual_delete", args=[person.pk])
    assert delete_url not in change.text
    assert client.get(delete_url).status_code == 403
    assert client.post(delete_url, {"post": "yes"}).status_code == 403
    assert Individual.objects.filter(pk=person.pk).exists()


def test_no_homecare_admin_allows_deleting(world):
    request = RequestFactory().get("/support/")
    request.user = make_superuser(world["manager"])
    assert HOMECARE_ADMINS
    for model, model_admin in HOMECARE_ADMINS.items():
        assert not model_admin.has_delete_permission(request), model


def test_archiving_stamps_who_and_when_once_and_keeps_the_history(world, login):
    superuser = make_superuser(world["manager"])
    client = login(superuser)
    contact = Contact.objects.get(individual=world["person"])
    url = reverse("admin:people_contact_changelist")
    response = client.post(
        url, {"action": "archive", "_selected_action": [contact.pk]}, follow=True
    )
    assert "Archived 1 record(s)" in response.text
    contact.refresh_from_db()
    assert contact.archived_at is not None
    assert contact.archived_by == superuser
    latest = contact.history.first()
    assert (latest.history_type, latest.history_user, latest.history_change_reason) == (
        "~",
        superuser,
        "Archived",
    )

    stamped = contact.archived_at
    response = client.post(
        url, {"action": "archive", "_selected_action": [contact.pk]}, follow=True
    )
    assert "Archived 0 record(s)" in response.text
    contact.refresh_from_db()
    assert contact.archived_at == stamped


def test_an_archived_record_leaves_staff_views(world, login):
    staff = make_support_staff(world["broker"], Contract)
    client = login(staff)
    url = reverse("admin:organisations_contract_changelist")
    client.post(url, {"action": "archive", "_selected_action": [world["contract"].pk]})
    assert _listed(client.get(url)) == set()
    change = reverse("admin:organisations_contract_change", args=[world["contract"].pk])
    assert client.get(change).status_code == 404


def test_staff_cannot_give_themselves_more_rights(world, login):
    from homecare.accounts.models import User

    staff = make_support_staff(world["manager"], User)
    response = login(staff).get(reverse("admin:accounts_user_change", args=[staff.pk]))
    fields = response.context["adminform"].form.fields
    for field in ["is_superuser", "is_staff", "groups", "user_permissions"]:
        assert field not in fields


def test_signed_out_visitors_are_sent_to_the_two_factor_sign_in(client, db):
    response = client.get(reverse("admin:index"), follow=True)
    assert response.redirect_chain[-1][0] == f"{reverse('accounts:login')}?next=%2Fsupport%2F"
    assert "6-digit code" in response.text


def test_support_staff_sign_in_with_their_code_and_land_in_the_admin(world, client):
    from django_otp.oath import totp

    from homecare.accounts.services import user_enrol_totp

    staff = make_support_staff(world["coordinator"], Individual)
    device = user_enrol_totp(user=staff)
    response = client.post(
        reverse("accounts:login"),
        {
            "username": staff.username,
            "password": "correct horse battery staple",
            "otp_token": f"{totp(device.bin_key):06d}",
            "next": "/support/",
        },
    )
    assert response["Location"] == "/support/"
    assert client.get("/support/").status_code == 200


def test_people_who_are_not_support_staff_find_nothing(world, login):
    client = login(world["coordinator"])
    response = client.get(reverse("admin:index"), follow=True)
    assert response.status_code == 404


def test_every_support_page_opens(world, login, elsewhere):
    """Each admin's list, add and change page renders (catches a bad list_display)."""
    client = login(make_superuser(world["manager"]))
    for model, model_admin in HOMECARE_ADMINS.items():
        opts = model._meta
        name = f"admin:{opts.app_label}_{opts.model_name}"
        response = client.get(reverse(f"{name}_changelist"))
        assert response.status_code == 200, model
        if model_admin.has_add_permission(response.wsgi_request):
            assert client.get(reverse(f"{name}_add")).status_code == 200, model
        obj = model.objects.first()
        if obj is not None:
            assert client.get(reverse(f"{name}_change", args=[obj.pk])).status_code == 200, model
