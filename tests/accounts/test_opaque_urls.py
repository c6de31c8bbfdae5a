"""Addresses carry opaque identifiers (UUIDs), never an NHS number or a name: URLs
end up in browser history, proxy logs and screenshots."""

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.urls.converters import UUIDConverter
from django.urls.resolvers import RoutePattern


def _patterns(resolver=None, prefix=""):
    resolver = resolver or get_resolver()
    for p in resolver.url_patterns:
        if isinstance(p, URLResolver):
            yield from _patterns(p, prefix + str(p.pattern))
        elif isinstance(p, URLPattern):
            yield prefix + str(p.pattern), p


def _captured_names(pattern: URLPattern) -> set[str]:
    if isinstance(pattern.pattern, RoutePattern):
        return set(pattern.pattern.converters)
    return set(pattern.pattern.regex.groupindex)


def test_no_route_captures_an_nhs_number():
    routes = list(_patterns())
    assert "people/<uuid:pk>/" in {route for route, _ in routes}
    for route, pattern in routes:
        for name in _captured_names(pattern):
            assert "nhs" not in name.lower(), f"{route} captures {name}"


def test_every_record_in_our_pages_addresses_is_a_uuid():
    for route, pattern in _patterns():
        if route.startswith("support/") or not isinstance(pattern.pattern, RoutePattern):
            continue  # the admin's own routes are scoped and tested in tests/test_admin.py
        for name, converter in pattern.pattern.converters.items():
            if name == "pk" or name.endswith("_pk"):
                assert isinstance(converter, UUIDConverter), f"{route}: {name} is not a UUID"


@pytest.mark.django_db
def test_a_persons_page_is_addressed_by_uuid_not_nhs_number(world):
    person = world["person"]
    url = reverse("people:detail", args=[person.pk])
    assert str(person.pk) in url
    assert person.nhs_number not in url
    assert person.council_identifier not in url
    assert person.family_name not in url


@pytest.mark.django_db
def test_an_nhs_number_in_the_address_finds_nothing(world, login):
    client = login(world["broker"])
    assert client.get(f"/people/{world['person'].nhs_number}/").status_code == 404
