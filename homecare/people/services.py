"""Every write to individuals and their contacts: one function, one transaction."""

from django.core.exceptions import ValidationError
from django.db import transaction

from .models import Contact, Individual

_INDIVIDUAL_FIELDS = [
    f.name
    for f in Individual._meta.get_fields()
    if f.concrete
    and f.name not in {"id", "created_at", "archived_at", "archived_by", "organisation"}
]


@transaction.atomic
def individual_create(*, by, organisation, **fields) -> Individual:
    """Record a person the council is responsible for (LAN-ST-5.1)."""
    individual = Individual(organisation=organisation, **fields)
    individual.full_clean()
    individual._history_user = by
    individual.save()
    return individual


@transaction.atomic
def individual_update(*, by, individual: Individual, **fields) -> Individual:
    unknown = set(fields) - set(_INDIVIDUAL_FIELDS) - {"area_id"}
    if unknown:
        raise ValidationError(f"Unknown fields: {', '.join(sorted(unknown))}")
    changed = [k for k, v in fields.items() if getattr(individual, k) != v]
    for k in changed:
        setattr(individual, k, fields[k])
    if changed:
        individual.full_clean()
        individual._history_user = by
        individual.save(update_fields=changed)
    return individual


@transaction.atomic
def contact_add(*, by, individual: Individual, **fields) -> Contact:
    contact = Contact(organisation_id=individual.organisation_id, individual=individual, **fields)
    contact.full_clean()
    contact._history_user = by
    contact.save()
    return contact
