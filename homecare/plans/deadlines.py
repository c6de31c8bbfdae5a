"""The registry of deadline sources, and what every page of deadlines reads.

A *source* is ``fn(packages, now) -> Iterable[Deadline]``: given an
access-scoped queryset of care packages (never evaluated by the registry) and
the current instant, it returns the deadlines of those packages, open or done.
Apps register their sources once, from ``AppConfig.ready()``::

    from homecare.plans.deadlines import register
    register(my_source)

Sources must be set-based: a fixed number of queries whatever the number of
packages (the what-is-due page and the benchmark check it), then plain Python
over tuples. :func:`rules_by_contract` and :func:`url_maker` help with that.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from django.urls import reverse

from homecare.domain.deadlines import Deadline


class Source(Protocol):
    def __call__(self, packages, now: datetime) -> Iterable[Deadline]: ...


_SOURCES: dict[str, Source] = {}
#: kind -> a label for the page's filter ("plan.smart" -> "SMART action plan").
KIND_LABELS: dict[str, str] = {}


def _name(source: Source) -> str:
    return f"{getattr(source, '__module__', '?')}.{getattr(source, '__qualname__', repr(source))}"


def register(source: Source, *, kinds: dict[str, str] | None = None) -> Source:
    """Add ``source`` to every collection (idempotent by module and name, so a
    re-run of ``ready()`` does not count a source twice). ``kinds`` labels the
    kinds of deadline it yields, for the page's filter."""
    _SOURCES[_name(source)] = source
    KIND_LABELS.update(kinds or {})
    return source


def kind_label(kind: str) -> str:
    return KIND_LABELS.get(kind, kind.replace(".", " ").replace("_", " ").capitalize())


def unregister(source: Source) -> None:
    _SOURCES.pop(_name(source), None)


def sources() -> list[Source]:
    return list(_SOURCES.values())


def collect(packages, now: datetime, *, kinds: Iterable[str] | None = None) -> list[Deadline]:
    """Every deadline (open and done) of ``packages`` from every registered
    source; ``kinds`` keeps only deadlines of those kinds."""
    wanted = set(kinds) if kinds else None
    out: list[Deadline] = []
    for source in _SOURCES.values():
        for deadline in source(packages, now):
            if wanted is None or deadline.kind in wanted:
                out.append(deadline)
    return out


def collect_open(
    packages, now: datetime, *, until: datetime | None = None, **kwargs
) -> list[Deadline]:
    """The open deadlines only (due by ``until`` when given). Sources may skip
    building the others while this runs (see :func:`hints`); the result is
    filtered either way."""
    token = _HINTS.set(Hints(open_only=True, until=until))
    try:
        return [
            d
            for d in collect(packages, now, **kwargs)
            if d.done_at is None and (until is None or d.due_at <= until)
        ]
    finally:
        _HINTS.reset(token)


@dataclass(frozen=True)
class Hints:
    """What the caller will keep: a source may leave the rest out, for speed
    (nothing depends on it: :func:`collect_open` filters anyway)."""

    open_only: bool = False
    until: datetime | None = None


_NO_HINTS = Hints()
_HINTS: ContextVar[Hints | None] = ContextVar("deadline_hints", default=None)


def hints() -> Hints:
    return _HINTS.get() or _NO_HINTS


def open_only() -> bool:
    """True while :func:`collect_open` runs: done deadlines may be left out."""
    return hints().open_only


def text_id(field: str):
    """``field`` (a UUID key) read as text: no UUID object per row, which is
    most of the cost of reading thousands of keys. Pair with :func:`sid`."""
    from django.db.models import CharField
    from django.db.models.functions import Cast

    return Cast(field, output_field=CharField())


def sid(value) -> str:
    """A key as the canonical UUID text (with dashes), from a UUID, its text or
    the 32 hex digits SQLite stores."""
    text = str(value)
    if len(text) == 32:
        return f"{text[:8]}-{text[8:12]}-{text[12:16]}-{text[16:20]}-{text[20:]}"
    return text


def rules_by_contract(packages) -> dict:
    """``{contract_id: Rulebook}`` for the contracts of ``packages``: one query."""
    from homecare.organisations.models import Contract

    contracts = Contract.objects.filter(pk__in=packages.values("contract_id")).only(
        "id", "reference", "rulebook", "rulebook_version", "rulebook_overrides"
    )
    return {c.pk: c.rules() for c in contracts}


def contract_facts(packages) -> dict:
    """``{contract id text: (Rulebook, provider_id, council_id)}`` for the
    contracts of ``packages``: one query, so sources need not read the parties
    per row."""
    from homecare.organisations.models import Contract

    contracts = Contract.objects.filter(pk__in=packages.values("contract_id")).only(
        "id",
        "reference",
        "rulebook",
        "rulebook_version",
        "rulebook_overrides",
        "organisation_id",
        "provider_id",
    )
    return {sid(c.pk): (c.rules(), c.provider_id, c.organisation_id) for c in contracts}


def url_maker(name: str, **extra) -> Callable[[object], str]:
    """A fast ``pk -> reverse(name, kwargs={"pk": pk, **extra})`` for many rows:
    the route is reversed once with a marker and the marker replaced."""
    marker = "00000000-0000-4000-8000-000000000000"
    template = reverse(name, kwargs={"pk": marker, **extra})
    head, _, tail = template.partition(marker)
    return lambda pk: f"{head}{pk}{tail}"
