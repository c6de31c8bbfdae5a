"""Writing an invoice's lines: hundreds of thousands for a county's month.

On PostgreSQL the rows stream in with ``COPY`` (no model instance per line:
the ORM's ``bulk_create`` spends most of a county invoice run building and
adapting them); elsewhere (SQLite) with ``bulk_create`` in batches. Either
way the lines are the same rows, and nothing else writes them.
"""

from __future__ import annotations

import json
import uuid

from django.db import connection
from django.utils import timezone

from .models import Invoice, InvoiceLine

#: Lines written at a time with ``bulk_create``.
BATCH = 2000
COLUMNS = (
    "id", "created_at", "organisation_id", "invoice_id", "position", "individual_id",
    "package_id", "visit_id", "date", "description", "quantity", "unit", "minutes",
    "unit_price", "amount", "refs", "explanation", "charge_person",
)  # fmt: skip


def _uuid(value: str | None) -> uuid.UUID | None:
    """A record's id, or None for the engine's own keys (``block:<contract>``)."""
    try:
        return uuid.UUID(value) if value else None
    except ValueError:
        return None


def rows(invoice: Invoice, lines):
    """One tuple of :data:`COLUMNS` per priced line, in order."""
    now = timezone.now()
    ids: dict = {}
    refs_json: dict = {}

    def key(value):
        found = ids.get(value, ids)
        if found is ids:
            found = ids[value] = _uuid(value)
        return found

    for position, line in enumerate(lines, start=1):
        refs = refs_json.get(line.refs)
        if refs is None:
            refs = refs_json[line.refs] = json.dumps(list(line.refs))
        yield (
            uuid.uuid4(), now, invoice.organisation_id, invoice.pk, position,
            key(line.person_id), key(line.package_id), line.visit_id, line.date,
            line.description[:200], line.quantity, line.quantity_unit, line.minutes,
            line.unit_price, line.amount, refs, line.explanation, line.charge_person,
        )  # fmt: skip


def write(invoice: Invoice, lines) -> None:
    if connection.vendor == "postgresql":
        _copy(invoice, lines)
    elif connection.vendor == "sqlite":
        _insert_sqlite(invoice, lines)
    else:
        _bulk_create(invoice, lines)


#: Columns holding a record's id (UUIDs are stored as 32 hex digits in SQLite).
_IDS = frozenset(("id", "organisation_id", "invoice_id", "individual_id", "package_id", "visit_id"))


def _insert_sqlite(invoice: Invoice, lines) -> None:
    """Plain ``executemany`` with the values SQLite stores (as Django's own
    adapters would give them): ids as hex, dates as ISO text, money as text."""
    table = InvoiceLine._meta.db_table
    sql = (
        f'INSERT INTO "{table}" ({", ".join(COLUMNS)}) VALUES ({", ".join("%s" for _ in COLUMNS)})'
    )
    ids = [i for i, name in enumerate(COLUMNS) if name in _IDS]
    created = COLUMNS.index("created_at")
    day = COLUMNS.index("date")
    money = [COLUMNS.index(name) for name in ("quantity", "unit_price", "amount")]

    def adapted(row):
        row = list(row)
        for i in ids:
            value = row[i]
            if value is not None:
                row[i] = (value if isinstance(value, uuid.UUID) else uuid.UUID(str(value))).hex
        row[created] = connection.ops.adapt_datetimefield_value(row[created])
        row[day] = row[day].isoformat() if row[day] else None
        for i in money:
            row[i] = str(row[i])
        return row

    batch = []
    with connection.cursor() as cursor:
        for row in rows(invoice, lines):
            batch.append(adapted(row))
            if len(batch) >= BATCH:
                cursor.executemany(sql, batch)
                batch = []
        if batch:
            cursor.executemany(sql, batch)


def _copy(invoice: Invoice, lines) -> None:
    table = InvoiceLine._meta.db_table
    with connection.cursor() as cursor:
        raw = cursor.cursor  # psycopg's cursor under Django's wrapper
        with raw.copy(f"COPY {table} ({', '.join(COLUMNS)}) FROM STDIN") as copy:
            for row in rows(invoice, lines):
                copy.write_row(row)


def _bulk_create(invoice: Invoice, lines) -> None:
    batch: list[InvoiceLine] = []
    for row in rows(invoice, lines):
        fields = dict(zip(COLUMNS, row, strict=True))
        fields["refs"] = json.loads(fields["refs"])
        batch.append(InvoiceLine(**fields))
        if len(batch) >= BATCH:
            InvoiceLine.objects.bulk_create(batch)
            batch = []
    if batch:
        InvoiceLine.objects.bulk_create(batch)
