"""The visits a batch of check-ins locks, with the call monitor's watches, read in
one hand-built query, and their calls and presences read just after it.

The ORM builds the same query (``select_related`` of the package, contract,
person and watch, two ``Exists`` annotations, ``select_for_update``), but it
compiles it again on every request: for a batch of eight visits that costs five
times the query itself. This builds the SQL text once per process and IN-list
length from the models' metadata, and makes the model instances with
``Model.from_db`` after the database backend's own value converters, as the
ORM does. What it reads of the package, contract and person is what an event
needs; the rest is left unread (deferred: an access to it loads it, correct,
one query more).
"""

from __future__ import annotations

import functools

from django.db import connections, router

from homecare.core import rows as rows_
from homecare.monitoring.models import CallPresence, CallWatch
from homecare.monitoring.services import watch_build
from homecare.organisations.models import Contract
from homecare.packages.models import CarePackage, Visit
from homecare.people.models import Individual

from .models import CallRecord, Medication, MedicationDose

#: (alias, model, the fields read (None: all), the relation it fills on the visit)
_PARTS = (
    ("v", Visit, None, None),
    ("p", CarePackage, {"organisation", "contract", "individual"}, "package"),
    (
        "c",
        Contract,
        {"organisation", "provider", "reference", "rulebook", "rulebook_version"}
        | {"rulebook_overrides"},
        "contract",
    ),
    (
        "i",
        Individual,
        # Where the home is, and the name a late call's notification gives.
        {"latitude", "longitude", "address_line_1", "town", "postcode"}
        | {"given_name", "family_name"},
        "individual",
    ),
    ("w", CallWatch, None, "call_watch"),
)


def _fields(model, names):
    return [
        f for f in model._meta.concrete_fields if names is None or f.primary_key or f.name in names
    ]


@functools.cache
def _sql(alias: str, count: int) -> str:
    connection = connections[alias]
    q = connection.ops.quote_name

    def table(model):
        return q(model._meta.db_table)

    def col(alias, model, name):
        return f"{alias}.{q(model._meta.get_field(name).column)}"

    columns = [
        f"{alias}.{q(f.column)}" for alias, model, names, _ in _PARTS for f in _fields(model, names)
    ]
    medication = (
        f"SELECT 1 FROM {table(Medication)} m WHERE {col('m', Medication, 'organisation')} = "
        f"{col('v', Visit, 'organisation')} AND {col('m', Medication, 'individual')} = "
        f"{col('v', Visit, 'individual')} AND {col('m', Medication, 'active')} = %s AND "
        f"{col('m', Medication, 'archived_at')} IS NULL"
    )
    doses = (
        f"SELECT 1 FROM {table(MedicationDose)} d WHERE {col('d', MedicationDose, 'visit')} = "
        f"{col('v', Visit, 'id')}"
    )
    sql = (
        f"SELECT {', '.join(columns)}, EXISTS ({medication}), EXISTS ({doses}) "
        f"FROM {table(Visit)} v "
        f"INNER JOIN {table(CarePackage)} p ON {col('p', CarePackage, 'id')} = "
        f"{col('v', Visit, 'package')} "
        f"INNER JOIN {table(Contract)} c ON {col('c', Contract, 'id')} = "
        f"{col('p', CarePackage, 'contract')} "
        f"INNER JOIN {table(Individual)} i ON {col('i', Individual, 'id')} = "
        f"{col('v', Visit, 'individual')} "
        f"INNER JOIN {table(CallWatch)} w ON {col('w', CallWatch, 'visit')} = "
        f"{col('v', Visit, 'id')} "
        f"WHERE {col('v', Visit, 'id')} IN ({', '.join(['%s'] * count)}) "
        f"AND {col('v', Visit, 'archived_at')} IS NULL ORDER BY {col('v', Visit, 'id')}"
    )
    if connection.features.has_select_for_update_of:
        sql += " FOR UPDATE OF v, w"
    elif connection.features.has_select_for_update:
        sql += " FOR UPDATE"
    return sql


@functools.cache
def _readers(alias: str):
    """Per part: its model, fields with their value converters, and relation."""
    return [
        (
            model,
            rows_.converters(alias, model, tuple(f.name for f in _fields(model, names)), part),
            relation,
        )
        for part, model, names, relation in _PARTS
    ]


def lock_visits(ids, also: list | tuple = ()) -> tuple[dict, list]:
    """The live visits ``ids`` by id, with the call monitor's watch of each, both
    locked in visit order (two batches locking overlapping visits never wait on
    each other in a circle), and the answers of the statements ``also``
    (:mod:`homecare.core.rows`), run after the lock in the same round trip. Each
    visit comes with its package, contract, person, call record (or none), watch
    (``visit.call_watch``, with its presences as ``watch.present``) and
    ``has_medications`` / ``has_doses`` (``homecare.visits.doses.flags``). A visit
    the monitor has not watched yet gets its watch first."""
    ids = sorted(ids)
    if not ids:
        return {}, rows_.run(list(also))
    found, answers = _read(ids, also)
    if missing := [pk for pk in ids if pk not in found]:
        visits = Visit.objects.filter(pk__in=missing, archived_at__isnull=True)
        made = [watch_build(v) for v in visits.select_related("package__contract")]
        if made:
            CallWatch.objects.bulk_create(made, ignore_conflicts=True)
            found, answers = _read(ids, also)
    return found, answers


class _Lock(rows_.Statement):
    returns_rows = True

    def __init__(self, alias, ids):
        connection = connections[alias]
        pk = Visit._meta.pk
        params = [True, *(pk.get_db_prep_value(i, connection) for i in ids)]
        super().__init__(alias, _sql(alias, len(ids)), params)

    def read(self, fetched) -> dict:
        connection = connections[self.alias]
        readers = _readers(self.alias)
        found = {}
        for row in fetched:
            at, made = 0, {}
            for model, fields, relation in readers:
                values = rows_.convert(row[at : at + len(fields)], fields, connection)
                at += len(fields)
                made[relation] = rows_.instance(
                    model, self.alias, [name for name, _e, _f in fields], values
                )
            visit = made[None]
            visit.has_medications, visit.has_doses = bool(row[at]), bool(row[at + 1])
            made["package"].contract = made["contract"]
            visit.package, visit.individual = made["package"], made["individual"]
            watch = visit.call_watch = made["call_watch"]
            watch.visit, watch.present = visit, []
            found[visit.pk] = visit
        return found


def _read(ids: list, also) -> tuple[dict, list]:
    lock = _Lock(router.db_for_write(Visit), ids)
    # Read after the lock, not joined to it: a row the lock waited for may have
    # been written meanwhile, and a later statement sees it as committed.
    calls = rows_.Select(CallRecord, "visit", ids)
    presences = rows_.Select(CallPresence, "watch", ids, through=(CallWatch, "visit"))
    found, called, present, *answers = rows_.run([lock, calls, presences, *also])
    for visit in found.values():  # known to have none: reading it asks nothing
        Visit.call.related.set_cached_value(visit, None)
    for call in called:
        if (visit := found.get(call.visit_id)) is not None:
            visit.call = call
    watches = {visit.call_watch.pk: visit.call_watch for visit in found.values()}
    for presence in present:
        watches[presence.watch_id].present.append(presence)
    return found, answers
