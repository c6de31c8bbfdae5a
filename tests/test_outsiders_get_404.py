"""Nobody sees what is not theirs: every page with a record in its address is a
404 for an outsider (another provider's coordinator, another council's broker),
and every list page leaves the record out.

The sweep reads the URL list itself, so a new page without a case here fails.
"""

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

# route name -> (world key for the object, extra kwargs, HTTP method)
DETAIL_ROUTES = {
    "people:detail": ("person", {}, "get"),
    "people:edit": ("person", {}, "get"),
    "people:history": ("person", {}, "get"),
    "packages:detail": ("package", {}, "get"),
    "packages:pattern_add": ("package", {}, "get"),
    "packages:pattern_remove": ("package", {"entry_pk": "entry"}, "post"),
    "packages:status": ("package", {}, "post"),
    "workforce:detail": ("care_worker", {}, "get"),
    "organisations:detail": ("contract", {}, "get"),
    "organisations:rulebook": ("contract", {}, "get"),
}
LIST_ROUTES = {
    "people:list": "Entwistle-Quayle",
    "packages:list": "PKG-",
    "workforce:list": "Aishwarya",
    "organisations:list": "CON-",
    "core:home": "Entwistle-Quayle",
    "people:create": None,
}
OPEN_ROUTES = {"accounts:login", "accounts:logout", "healthz"}
OUTSIDERS = ["outsider", "other_broker"]


def _named_routes(resolver=None, prefix=""):
    resolver = resolver or get_resolver()
    for p in resolver.url_patterns:
        if isinstance(p, URLResolver):
            if p.app_name == "admin":
                continue  # the support admin has its own scoping tests (tests/test_admin.py)
            ns = f"{p.namespace}:" if p.namespace else ""
            yield from _named_routes(p, prefix + ns)
        elif isinstance(p, URLPattern) and p.name:
            yield prefix + p.name


def test_every_page_has_an_outsider_case():
    known = set(DETAIL_ROUTES) | set(LIST_ROUTES) | OPEN_ROUTES
    missing = sorted(set(_named_routes()) - known)
    assert not missing, f"Add an outsider case for: {missing}"


def _url(name, world):
    key, extra, method = DETAIL_ROUTES[name]
    kwargs = {"pk": world[key].pk}
    if "entry_pk" in extra:
        kwargs["entry_pk"] = world["package"].pattern.first().pk
    return reverse(name, kwargs=kwargs), method


@pytest.mark.parametrize("who", OUTSIDERS)
@pytest.mark.parametrize("name", sorted(DETAIL_ROUTES))
def test_an_outsider_gets_404_for_a_record_that_is_not_theirs(world, login, name, who):
    client = login(world[who])
    url, method = _url(name, world)
    response = getattr(client, method)(url)
    assert response.status_code == 404


@pytest.mark.parametrize("who", OUTSIDERS)
@pytest.mark.parametrize("name", sorted(n for n, text in LIST_ROUTES.items() if text))
def test_an_outsider_sees_none_of_it_in_lists(world, login, name, who):
    response = login(world[who]).get(reverse(name))
    assert response.status_code == 200
    assert LIST_ROUTES[name] not in response.content.decode()


@pytest.mark.parametrize("name", sorted(DETAIL_ROUTES))
def test_a_signed_out_visitor_is_sent_to_sign_in(world, client, name):
    url, method = _url(name, world)
    response = getattr(client, method)(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_the_insiders_do_see_it(world, login):
    """The sweep above means something only if the same pages work for insiders."""
    for who in ["coordinator", "broker"]:
        client = login(world[who])
        for name in ["people:detail", "packages:detail", "organisations:rulebook"]:
            url, _ = _url(name, world)
            assert client.get(url).status_code == 200, (who, name)
    assert login(world["coordinator"]).get(_url("workforce:detail", world)[0]).status_code == 200


@pytest.mark.parametrize("who", ["worker", "daughter", "commissioner"])
def test_read_only_roles_cannot_reach_the_forms(world, login, who):
    client = login(world[who])
    assert client.get(reverse("people:edit", args=[world["person"].pk])).status_code == 404
    assert client.get(reverse("packages:pattern_add", args=[world["package"].pk])).status_code == 404
    assert client.get(reverse("people:create")).status_code == 404
