"""Nobody sees what is not theirs: every page with a record in its address is a
404 for an outsider (another provider's coordinator, another council's broker),
and every list page leaves the record out.

The sweep reads the URL list itself, so a new page without a case here fails.
An app adds its cases in ``tests/<app>/outsiders.py`` (found by
:func:`_app_cases`): ``DETAIL_ROUTES``, ``LIST_ROUTES``, ``OPEN_ROUTES`` and
``ONE_SIDED`` as below, and ``build(everything) -> dict`` to add the records its
pages need to the shared world.
"""

import importlib
import pkgutil

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

import tests

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
    "referrals:detail": ("referral", {}, "get"),
    "referrals:publish": ("referral", {}, "post"),
    "referrals:confirm": ("referral", {}, "get"),
    "referrals:cancel": ("referral", {}, "post"),
    "referrals:offer_to_others": ("referral", {}, "post"),
    "referrals:offer": ("offer", {}, "get"),
    "referrals:offer_accept": ("offer", {}, "post"),
    "referrals:offer_decline": ("offer", {}, "post"),
    "api:referral": ("referral", {}, "get"),
    "api:referral_publish": ("referral", {}, "post"),
    "api:offer": ("offer", {}, "get"),
    "api:offer_accept": ("offer", {}, "post"),
    "api:offer_decline": ("offer", {}, "post"),
}
LIST_ROUTES = {
    "people:list": "Entwistle-Quayle",
    "packages:list": "PKG-",
    "workforce:list": "Aishwarya",
    "organisations:list": "CON-",
    "core:home": "Entwistle-Quayle",
    "people:create": None,
    "referrals:board": "Entwistle-Quayle",
    "referrals:board_rows": "Entwistle-Quayle",
    "referrals:inbox": "Margaret E",
    "referrals:inbox_rows": "Margaret E",
    "referrals:create": None,
    "api:referrals": "REF-",
    "api:offers": "REF-",
}
OPEN_ROUTES = {"accounts:login", "accounts:logout", "accounts:enrol", "healthz"}
#: Pages only one side of the service uses (route -> "council" or "office"): the
#: other side gets 404, not an empty list.
ONE_SIDED = {
    "referrals:board": "council",
    "referrals:board_rows": "council",
    "referrals:inbox": "office",
    "referrals:inbox_rows": "office",
}
OUTSIDERS = ["outsider", "other_broker"]


def _app_cases():
    """Each ``tests/<app>/outsiders.py`` module, in name order."""
    for info in sorted(pkgutil.iter_modules(tests.__path__), key=lambda i: i.name):
        if info.ispkg:
            try:
                yield importlib.import_module(f"tests.{info.name}.outsiders")
            except ModuleNotFoundError as exc:
                if exc.name != f"tests.{info.name}.outsiders":
                    raise


APP_CASES = list(_app_cases())
for _module in APP_CASES:
    DETAIL_ROUTES.update(getattr(_module, "DETAIL_ROUTES", {}))
    LIST_ROUTES.update(getattr(_module, "LIST_ROUTES", {}))
    OPEN_ROUTES |= set(getattr(_module, "OPEN_ROUTES", ()))
    ONE_SIDED.update(getattr(_module, "ONE_SIDED", {}))


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


@pytest.fixture
def everything(world):
    """``world`` with a hospital discharge referral offered to its provider."""
    from datetime import time

    from django.utils import timezone

    from homecare.referrals import services

    referral = services.referral_create(
        by=world["broker"],
        individual=world["person"],
        kind="hospital_discharge",
        urgency="planned",
        source="hospital_team",
        referrer_name="Ward 4",
        requested_start=timezone.localdate(),
        needs_statement="Help to wash and dress",
        visits=[{"weekday": 0, "slot_start": time(8), "slot_end": time(9), "duration_minutes": 30}],
    )
    referral = services.referral_publish(by=world["broker"], referral=referral)
    built = {
        **world,
        "referral": referral,
        "offer": referral.offers.get(),
        "entry": world["package"].pattern.first(),
    }
    for module in APP_CASES:
        if hasattr(module, "build"):
            built.update(module.build(built))
    return built


def _url(name, world):
    """The route's address for ``world``'s record: ``pk`` from the record's key,
    and each further keyword from ``extra`` (keyword -> world key)."""
    key, extra, method = DETAIL_ROUTES[name]
    kwargs = {"pk": world[key].pk, **{kw: world[k].pk for kw, k in extra.items()}}
    return reverse(name, kwargs=kwargs), method


@pytest.mark.parametrize("who", OUTSIDERS)
@pytest.mark.parametrize("name", sorted(DETAIL_ROUTES))
def test_an_outsider_gets_404_for_a_record_that_is_not_theirs(everything, login, name, who):
    client = login(everything[who])
    url, method = _url(name, everything)
    response = getattr(client, method)(url)
    assert response.status_code == 404


@pytest.mark.parametrize("who", OUTSIDERS)
@pytest.mark.parametrize("name", sorted(n for n, text in LIST_ROUTES.items() if text))
def test_an_outsider_sees_none_of_it_in_lists(everything, login, name, who):
    response = login(everything[who]).get(reverse(name))
    assert response.status_code == (404 if name in ONE_SIDED and _other_side(name, who) else 200)
    assert LIST_ROUTES[name] not in response.content.decode()


def _other_side(name, who):
    council_page = ONE_SIDED[name] == "council"
    return council_page != (who == "other_broker")


@pytest.mark.parametrize("name", sorted(DETAIL_ROUTES))
def test_a_signed_out_visitor_is_sent_to_sign_in(everything, client, name):
    url, method = _url(name, everything)
    response = getattr(client, method)(url)
    if name.startswith("api:"):
        assert response.status_code in (401, 403)
        assert "error" in response.json()
    else:
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("accounts:login"))


def test_the_insiders_do_see_it(everything, login):
    """The sweep above means something only if the same pages work for insiders."""
    shared = [
        "people:detail",
        "packages:detail",
        "organisations:rulebook",
        "api:referral",
        "api:offer",
    ]
    for who, own in [
        ("coordinator", ["workforce:detail", "referrals:offer"]),
        ("broker", ["referrals:detail", "referrals:board"]),
    ]:
        client = login(everything[who])
        for name in shared + own:
            url = _url(name, everything)[0] if name in DETAIL_ROUTES else reverse(name)
            assert client.get(url).status_code == 200, (who, name)


@pytest.mark.parametrize("who", ["worker", "daughter", "commissioner"])
def test_read_only_roles_cannot_reach_the_forms(world, login, who):
    client = login(world[who])
    assert client.get(reverse("people:edit", args=[world["person"].pk])).status_code == 404
    assert (
        client.get(reverse("packages:pattern_add", args=[world["package"].pk])).status_code == 404
    )
    assert client.get(reverse("people:create")).status_code == 404
