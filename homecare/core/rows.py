"""Rows read and inserted with SQL text built once per process.

The ORM compiles a query again every time it runs: on the check-in path, where a
request reads and writes a handful of rows, compiling costs the server more than
the database costs to answer. These helpers send the same plain statements, with
their text built once (per model, column and row count) from the models'
metadata, and go through the database backend's own value preparation and
converters, as the ORM does, so what is written and read is exactly what the ORM
would write and read. They are for hot paths only; everything else uses the ORM.
"""

from __future__ import annotations

import functools

from django.db import connections, router


@functools.cache
def converters(alias: str, model, names: tuple[str, ...] | None = None, table: str | None = None):
    """``[(field attname, expression, converters)]`` of ``model``'s concrete fields
    (or those named, in that order), read from ``table`` (an alias in the query; the model's table
    by default)."""
    connection = connections[alias]
    found = []
    fields = model._meta.concrete_fields if names is None else map(model._meta.get_field, names)
    for f in fields:
        expression = f.get_col(table or model._meta.db_table)
        funcs = connection.ops.get_db_converters(expression) + expression.get_db_converters(
            connection
        )
        found.append((f.attname, expression, funcs))
    return tuple(found)


def convert(row, readers, connection) -> list:
    """``row``'s values through each field's converters (``readers`` from
    :func:`converters`)."""
    values = []
    for value, (_name, expression, funcs) in zip(row, readers, strict=True):
        for func in funcs:
            value = func(value, expression, connection)
        values.append(value)
    return values


@functools.cache
def _select_sql(alias: str, model, names, column: str, count: int) -> str:
    q = connections[alias].ops.quote_name
    table = q(model._meta.db_table)
    columns = ", ".join(
        f"{table}.{q(model._meta.get_field(name).column)}"
        for name, _expression, _funcs in converters(alias, model, names)
    )
    where = q(model._meta.get_field(column).column)
    order = q(model._meta.pk.column)
    marks = ", ".join(["%s"] * count)
    return f"SELECT {columns} FROM {table} WHERE {table}.{where} IN ({marks}) ORDER BY {order}"


def _fetch(model, names, column: str, values):
    alias = router.db_for_read(model)
    connection = connections[alias]
    field = model._meta.get_field(column)
    target = getattr(field, "target_field", field)
    params = [target.get_db_prep_value(v, connection) for v in values]
    with connection.cursor() as cursor:
        cursor.execute(_select_sql(alias, model, names, column, len(params)), params)
        rows = cursor.fetchall()
    readers = converters(alias, model, names)
    return alias, readers, [convert(row, readers, connection) for row in rows]


def select(model, column: str, values) -> list:
    """The rows of ``model`` whose ``column`` (a field name) is one of ``values``, as
    model instances in primary key order (``model.objects.filter(column__in=values)
    .order_by("pk")`` of the default manager, with no filters of its own)."""
    values = list(values)
    if not values:
        return []
    alias, readers, rows = _fetch(model, None, column, values)
    names = [name for name, _expression, _funcs in readers]
    return [model.from_db(alias, names, row) for row in rows]


def select_values(model, names: tuple[str, ...], column: str, values) -> list[tuple]:
    """``(value of each field in names)`` of the rows of ``model`` whose ``column``
    is one of ``values``."""
    values = list(values)
    if not values:
        return []
    _alias, _readers, rows = _fetch(model, tuple(names), column, values)
    return [tuple(row) for row in rows]


@functools.cache
def _insert_sql(alias: str, model, with_pk: bool, count: int, returning: bool) -> tuple[str, list]:
    connection = connections[alias]
    q = connection.ops.quote_name
    pk = model._meta.pk
    fields = [f for f in model._meta.concrete_fields if with_pk or f is not pk]
    row = "({})".format(", ".join(["%s"] * len(fields)))
    sql = "INSERT INTO {} ({}) VALUES {}".format(
        q(model._meta.db_table), ", ".join(q(f.column) for f in fields), ", ".join([row] * count)
    )
    if returning:
        sql += f" RETURNING {q(pk.column)}"
    return sql, fields


def insert(objs: list, *, need_pk: bool = True) -> None:
    """``INSERT`` ``objs`` (instances of one model, each as it is now) in as few
    statements as the backend allows, as ``bulk_create`` does: an automatic primary
    key not set is filled in from the database when ``need_pk``. Nothing is
    validated and no signal is sent, as with ``bulk_create``."""
    if not objs:
        return
    model = type(objs[0])
    alias = router.db_for_write(model)
    connection = connections[alias]
    pk = model._meta.pk
    with_pk = objs[0].pk is not None
    if need_pk and not with_pk and not connection.features.can_return_rows_from_bulk_insert:
        model.objects.bulk_create(objs)
        return
    returning = need_pk and not with_pk
    _sql, fields = _insert_sql(alias, model, with_pk, 1, returning)
    size = connection.ops.bulk_batch_size(fields, objs) or len(objs)
    with connection.cursor() as cursor:
        for start in range(0, len(objs), size):
            chunk = objs[start : start + size]
            sql, fields = _insert_sql(alias, model, with_pk, len(chunk), returning)
            params = [
                f.get_db_prep_save(f.pre_save(obj, True), connection)
                for obj in chunk
                for f in fields
            ]
            cursor.execute(sql, params)
            if returning:
                # Rows come back in the order inserted (PostgreSQL and SQLite, as
                # Django's bulk_create relies on).
                for obj, (value,) in zip(chunk, cursor.fetchall(), strict=True):
                    setattr(obj, pk.attname, value)
            for obj in chunk:
                obj._state.adding, obj._state.db = False, alias


def insert_values(model, values: list[dict]) -> None:
    """``INSERT`` rows of ``model`` given as ``{attname: value}`` (a field left out
    takes its default; an automatic primary key is left to the database), with no
    model instance made: for rows written and not read again, such as audit
    history rows."""
    if not values:
        return
    alias = router.db_for_write(model)
    connection = connections[alias]
    _sql, fields = _insert_sql(alias, model, False, 1, False)
    defaults = {f.attname: f.get_default() for f in fields}
    size = connection.ops.bulk_batch_size(fields, values) or len(values)
    with connection.cursor() as cursor:
        for start in range(0, len(values), size):
            chunk = values[start : start + size]
            sql, fields = _insert_sql(alias, model, False, len(chunk), False)
            params = [
                f.get_db_prep_save(row.get(f.attname, defaults[f.attname]), connection)
                for row in chunk
                for f in fields
            ]
            cursor.execute(sql, params)


def update(model, objs: list, fields: list[str]) -> None:
    """``UPDATE`` each row's ``fields`` to the values its instance holds: one
    statement sent once per row in a single round trip (``executemany``). Django's
    ``bulk_update`` builds a ``CASE`` per field per row, which costs more to build
    than the update costs the database."""
    if not objs:
        return
    connection = connections[router.db_for_write(model)]
    quote = connection.ops.quote_name
    columns = [model._meta.get_field(name) for name in fields]
    pk = model._meta.pk
    sql = "UPDATE {} SET {} WHERE {} = %s".format(
        quote(model._meta.db_table),
        ", ".join(f"{quote(c.column)} = %s" for c in columns),
        quote(pk.column),
    )
    params = [
        [c.get_db_prep_save(getattr(row, c.attname), connection) for c in columns]
        + [pk.get_db_prep_save(row.pk, connection)]
        for row in objs
    ]
    with connection.cursor() as cursor:
        cursor.executemany(sql, params)
