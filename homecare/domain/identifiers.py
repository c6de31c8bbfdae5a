"""Checks on the identifiers people type: NHS numbers, postcodes, phone numbers.

Each returns the normalised value or raises ``InvalidIdentifier`` with a
message a coordinator understands.
"""

from __future__ import annotations

import re
from datetime import date

import nhs_number
import phonenumbers


class InvalidIdentifier(ValueError):
    pass


def normalise_nhs_number(value: str) -> str:
    """Ten digits passing the modulus 11 check, spaces and dashes allowed when typed."""
    digits = re.sub(r"[\s-]", "", value or "")
    if not digits.isdigit() or len(digits) != 10:
        raise InvalidIdentifier("An NHS number has 10 digits, for example 943 476 5919.")
    if not nhs_number.is_valid(digits):
        raise InvalidIdentifier(
            f"{digits[:3]} {digits[3:6]} {digits[6:]} is not a valid NHS number: its check "
            "digit does not match. Please check it against the letter or record."
        )
    return digits


def synthetic_nhs_number(serial: int) -> str:
    """A valid NHS number in the 999 range, which is never issued to a real person."""
    for n in range(serial, serial + 20):
        nine = f"999{n % 1_000_000:06d}"
        check = nhs_number.calculate_checksum(nine)
        if check is not None and 0 <= int(check) <= 9:
            return nine + str(check)
    raise ValueError("No valid check digit nearby")  # cannot happen: 1 in 11 fails


# The UK postcode format (BS 7666): outward code, space, inward code.
_POSTCODE = re.compile(
    r"^(GIR ?0AA|[A-PR-UWYZ](\d{1,2}|[A-HK-Y]\d{1,2}|\d[A-HJKPSTUW]|[A-HK-Y]\d[ABEHMNPRVWXY]) ?\d[ABD-HJLNP-UW-Z]{2})$"
)


def normalise_postcode(value: str) -> str:
    """A UK postcode in capitals with one space before the inward code."""
    compact = re.sub(r"\s+", "", (value or "").upper())
    if not _POSTCODE.match(compact):
        raise InvalidIdentifier(
            f"“{value}” is not a UK postcode. Please enter it like BB1 5AB or EH41 3HA."
        )
    return f"{compact[:-3]} {compact[-3:]}"


def outward_code(postcode: str) -> str:
    return normalise_postcode(postcode).split(" ")[0]


def normalise_uk_phone(value: str) -> str:
    """A UK telephone number in E.164 form (+441254123456)."""
    try:
        parsed = phonenumbers.parse(value, "GB")
    except phonenumbers.NumberParseException as exc:
        raise InvalidIdentifier(f"“{value}” is not a telephone number.") from exc
    if not phonenumbers.is_valid_number(parsed):
        raise InvalidIdentifier(
            f"“{value}” is not a valid UK telephone number. Include the area code, "
            "for example 01254 123456 or 07700 900123."
        )
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)


def display_phone(e164: str) -> str:
    if not e164:
        return ""
    try:
        parsed = phonenumbers.parse(e164, "GB")
    except phonenumbers.NumberParseException:
        return e164
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.NATIONAL)


def age_on(born: date, on: date) -> int:
    return on.year - born.year - ((on.month, on.day) < (born.month, born.day))


def check_date_of_birth(born: date, *, today: date, minimum_age: int = 18) -> None:
    """LAN-ST-2.4, LAN-HC-2.1: services are for adults aged 18 and over."""
    if born > today:
        raise InvalidIdentifier("The date of birth is in the future.")
    if age_on(born, today) < minimum_age:
        raise InvalidIdentifier(
            f"This service is for adults: the person must be {minimum_age} or over (LAN-ST-2.4)."
        )
    if age_on(born, today) > 120:
        raise InvalidIdentifier("Please check the date of birth: that would make them over 120.")
