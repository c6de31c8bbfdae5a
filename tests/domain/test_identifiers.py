"""NHS numbers, postcodes, telephone numbers and dates of birth are checked at the edge."""

from datetime import date

import pytest

from homecare.domain.identifiers import (
    InvalidIdentifier,
    check_date_of_birth,
    normalise_nhs_number,
    normalise_postcode,
    normalise_uk_phone,
    synthetic_nhs_number,
)


def test_a_valid_nhs_number_is_accepted_with_spaces():
    assert normalise_nhs_number("943 476 5919") == "9434765919"


def test_an_nhs_number_with_a_wrong_check_digit_is_refused():
    with pytest.raises(InvalidIdentifier, match="check digit"):
        normalise_nhs_number("943 476 5918")


@pytest.mark.parametrize("value", ["12345", "94347659190", "943476591X", ""])
def test_an_nhs_number_that_is_not_ten_digits_is_refused(value):
    with pytest.raises(InvalidIdentifier, match="10 digits"):
        normalise_nhs_number(value)


def test_synthetic_nhs_numbers_are_valid_and_never_issued():
    numbers = {synthetic_nhs_number(n) for n in range(0, 500, 7)}
    assert all(normalise_nhs_number(n) == n and n.startswith("999") for n in numbers)


@pytest.mark.parametrize(
    ("typed", "clean"),
    [
        ("bb1 5ab", "BB1 5AB"),
        ("EH413HA", "EH41 3HA"),
        ("  pr7  1aa ", "PR7 1AA"),
        ("ec1a1bb", "EC1A 1BB"),
    ],
)
def test_postcodes_are_normalised(typed, clean):
    assert normalise_postcode(typed) == clean


@pytest.mark.parametrize("value", ["BB1", "12345", "QQ1 1AA", "BB1 5AAA", ""])
def test_an_unknown_postcode_format_is_refused(value):
    with pytest.raises(InvalidIdentifier, match="not a UK postcode"):
        normalise_postcode(value)


def test_phone_numbers_are_stored_in_international_form():
    assert normalise_uk_phone("01254 123456") == "+441254123456"
    with pytest.raises(InvalidIdentifier):
        normalise_uk_phone("0125")


def test_a_date_of_birth_in_the_future_is_refused():
    with pytest.raises(InvalidIdentifier, match="future"):
        check_date_of_birth(date(2027, 1, 1), today=date(2026, 11, 22))


def test_a_person_under_eighteen_is_refused():
    """LAN-ST-2.4: the service is for adults aged 18 and over."""
    with pytest.raises(InvalidIdentifier, match="18 or over"):
        check_date_of_birth(date(2008, 11, 23), today=date(2026, 11, 22))
    check_date_of_birth(date(2008, 11, 22), today=date(2026, 11, 22))
