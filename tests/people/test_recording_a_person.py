"""A broker records a person; bad input is refused with a clear message and saves nothing."""

import pytest
from django.urls import reverse

from homecare.people.models import Individual


@pytest.fixture
def form_data(world):
    return {
        "title": "Mrs",
        "given_name": "Edith",
        "family_name": "Crompton",
        "date_of_birth": "1938-02-14",
        "gender": "female",
        "nhs_number": "943 476 5919",
        "council_identifier": "LAS123456",
        "address_line_1": "12 Larkhill",
        "town": "Blackburn",
        "postcode": "bb1 5ab",
        "latitude": "53.7520",
        "longitude": "-2.4820",
        "area": str(world["area"].pk),
        "telephone": "01254 123456",
        "preferred_worker_gender": "female",
        "presenting_needs": "Discharged after a fall; needs help washing and dressing.",
        "moving_and_handling": "Zimmer frame; one carer.",
    }


def test_a_broker_records_a_person(world, login, form_data):
    client = login(world["broker"])
    response = client.post(reverse("people:create"), form_data)
    person = Individual.objects.get(family_name="Crompton")
    assert response.status_code == 302
    assert response["Location"] == reverse("people:detail", args=[person.pk])
    assert person.nhs_number == "9434765919"
    assert person.postcode == "BB1 5AB"
    assert person.telephone == "+441254123456"
    assert person.organisation == world["council"]
    assert person.history.first().history_user == world["broker"]


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("nhs_number", "943 476 5918", "is not a valid NHS number"),
        ("nhs_number", "12345", "An NHS number has 10 digits"),
        ("date_of_birth", "2099-01-01", "The date of birth is in the future"),
        ("date_of_birth", "2015-06-01", "must be 18 or over"),  # LAN-ST-2.4
        ("postcode", "BLACKBURN", "is not a UK postcode"),
        ("telephone", "0125", "not a valid UK telephone number"),
        ("date_of_birth", "1938-02-30", "Enter a valid date"),
    ],
)
def test_bad_input_is_refused_and_nothing_is_saved(world, login, form_data, field, value, message):
    before = Individual.objects.count()
    response = login(world["broker"]).post(reverse("people:create"), {**form_data, field: value})
    assert response.status_code == 200
    assert message in response.content.decode()
    assert Individual.objects.count() == before


def test_a_person_needs_a_council_id_or_nhs_number(world, login, form_data):
    """LAN-ST-9.2: the local authority identifier and/or NHS number."""
    data = {**form_data, "nhs_number": "", "council_identifier": ""}
    response = login(world["broker"]).post(reverse("people:create"), data)
    assert "Give the council ID or the NHS number" in response.content.decode()


def test_a_broker_cannot_put_a_person_in_another_councils_area(world, login, form_data):
    from tests.factories import AreaFactory

    elsewhere = AreaFactory(organisation=world["other_council"])
    response = login(world["broker"]).post(
        reverse("people:create"), {**form_data, "area": str(elsewhere.pk)}
    )
    assert "Select a valid choice" in response.content.decode()
    assert not Individual.objects.filter(family_name="Crompton").exists()


def test_an_edit_keeps_who_changed_what(world, login, form_data):
    person = world["person"]
    client = login(world["coordinator"])
    data = {
        **form_data,
        "given_name": person.given_name,
        "family_name": person.family_name,
        "area": str(person.area_id),
        "known_risks": "Steep front steps",
    }
    response = client.post(reverse("people:edit", args=[person.pk]), data)
    assert response.status_code == 302
    latest = person.history.first()
    assert latest.history_user == world["coordinator"]
    assert latest.known_risks == "Steep front steps"
    page = client.get(reverse("people:history", args=[person.pk])).content.decode()
    assert "Steep front steps" in page


def test_searching_by_nhs_number_goes_to_the_person_without_the_number_in_the_address(world, login):
    person = world["person"]
    spaced = f"{person.nhs_number[:3]} {person.nhs_number[3:6]} {person.nhs_number[6:]}"
    response = login(world["coordinator"]).post(reverse("people:list"), {"q": spaced})
    assert response.status_code == 302
    assert response["Location"] == reverse("people:detail", args=[person.pk])
    assert person.nhs_number not in response["Location"]


def test_an_outsider_cannot_find_a_person_by_nhs_number(world, login):
    response = login(world["outsider"]).post(
        reverse("people:list"), {"q": world["person"].nhs_number}, follow=True
    )
    assert "Nobody you can see has that NHS number" in response.content.decode()


def test_a_name_search_becomes_a_shareable_address(world, login):
    client = login(world["coordinator"])
    response = client.post(reverse("people:list"), {"q": "Entwistle"})
    assert response["Location"] == reverse("people:list") + "?q=Entwistle"
    assert "Entwistle-Quayle" in client.get(response["Location"]).content.decode()


def test_the_edit_form_shows_the_date_of_birth_so_a_browser_date_field_can_read_it(world, login):
    person = world["person"]
    page = (
        login(world["coordinator"]).get(reverse("people:edit", args=[person.pk])).content.decode()
    )
    assert f'value="{person.date_of_birth:%Y-%m-%d}"' in page
