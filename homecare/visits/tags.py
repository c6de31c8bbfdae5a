"""The tag kept in a person's home: a short code, printed as a QR code (and written
to an NFC tag where the office has one), that a care worker scans with the phone
app to check in and out when the contract allows it (rulebook
``visit.checkin_methods``; verified by ``homecare.domain.evv.verify``).

- :func:`home_tag_issue`: the office issues a code for a home, or replaces the
  one there (a tag lost, or seen by someone who should not have it). The old code
  stops working at once; the change is kept in the home profile's history with
  who made it.
- :func:`tag_qr_svg`: the code as a QR image (SVG) for the office to print.
- :func:`tag_allowed`: whether any of the person's contracts with the provider
  accept the tag for check-in.
"""

from __future__ import annotations

import secrets

import qrcode
import qrcode.image.svg
from django.core.exceptions import ValidationError
from django.db import transaction

from homecare.core import access
from homecare.domain import evv

from .models import HomeProfile

#: Letters and digits that cannot be misread for one another (no 0/O, 1/I/L).
ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"


def new_tag_code() -> str:
    """A fresh code such as ``K7Q-M4XZ``: 31^7 (about 27 billion) possibilities,
    short enough to type from the print when the camera will not read it."""
    chars = "".join(secrets.choice(ALPHABET) for _ in range(7))
    return f"{chars[:3]}-{chars[3:]}"


@transaction.atomic
def home_tag_issue(*, by, individual) -> HomeProfile:
    """Give ``individual``'s home a new tag code (the first, or a replacement) for
    ``by``'s provider. Only the provider's office, for a person it delivers care to."""
    if not access.may_plan_packages(by):
        raise ValidationError("Only the provider's office issues home tags.")
    if not access.individuals_for(by).filter(pk=individual.pk).exists():
        raise ValidationError("This person has no care from your organisation.")
    HomeProfile.objects.get_or_create(organisation_id=by.organisation_id, individual=individual)
    profile = HomeProfile.objects.select_for_update().get(
        organisation_id=by.organisation_id, individual=individual
    )
    replaced = bool(profile.tag_code)
    profile.tag_code = new_tag_code()
    profile._history_user = by
    profile._change_reason = "Home tag replaced" if replaced else "Home tag issued"
    profile.save(update_fields=["tag_code"])
    return profile


def tag_qr_svg(code: str) -> str:
    """The QR code for ``code``, as an inline SVG (a path, no fonts or scripts). The
    QR holds the bare code, so the phone app reads what a person would type."""
    image = qrcode.make(
        code,
        image_factory=qrcode.image.svg.SvgPathImage,
        error_correction=qrcode.constants.ERROR_CORRECT_M,
        border=4,
    )
    return image.to_string(encoding="unicode")


def tag_allowed(by, individual) -> bool:
    """Whether a contract under which ``by``'s provider cares for ``individual``
    accepts the home's tag for check-in."""
    packages = (
        access.packages_for(by)
        .filter(individual=individual)
        .select_related("contract")
        .only("contract")
    )
    seen = set()
    for package in packages:
        if package.contract_id in seen:
            continue
        seen.add(package.contract_id)
        methods = evv.parse_methods(package.contract.rules().value("visit.checkin_methods"))
        if "tag" in methods:
            return True
    return False
