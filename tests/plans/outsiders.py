"""Outsider cases for the plans app's pages (see tests/test_outsiders_get_404.py)."""

DETAIL_ROUTES: dict = {}
LIST_ROUTES = {
    "plans:due": "Entwistle-Quayle",
}
ONE_SIDED: dict = {}


def build(everything) -> dict:
    return {}
