"""Rows read and written with SQL text built once per process, several statements
to a round trip.

The ORM compiles a query again every time it runs: on the check-in path, where a
request reads and writes a handful of rows, compiling costs the server more than
the database costs to answer, and each statement's round trip costs the server
again. These helpers build the same plain statements, with their text built once
(per model, column and row count) from the models' metadata, and go through the
database backend's own value preparation and converters, as the ORM does, so
what is written and read is exactly what the ORM would write and read.
:func:`run` sends a list of them: on PostgreSQL in one round trip (the
client-side binding cursor Django uses sends several statements as one query),
elsewhere one after the other. They are for hot paths only; everything else uses
the ORM.
"""

from __future__ import annotations

import datetime
import functools
import hashlib
import inspect
import operator
import threading
import time
import uuid
import weakref

from django.db import NotSupportedError, connections, router
from django.db.models import (
    AutoField,
    BigAutoField,
    BigIntegerField,
    BooleanField,
    CharField,
    DateField,
    DateTimeField,
    Field,
    IntegerField,
    PositiveIntegerField,
    PositiveSmallIntegerField,
    SmallIntegerField,
    TextField,
    UUIDField,
)
from django.db.models.base import ModelState

try:
    from psycopg.adapt import Transformer
except ImportError:  # psycopg 3 is the PostgreSQL driver; SQLite needs none
    Transformer = None


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


@functools.cache
def _fillable(model) -> bool:
    """Whether an instance of ``model`` read from the database can be made by filling
    its ``__dict__``, as ``Model.__init__`` does with the values it is given: no
    field whose attribute does more when set, no receiver of ``pre_init`` or
    ``post_init`` for it, no ``__init__`` or ``from_db`` of its own."""
    from django.db.models import Model
    from django.db.models.fields.related_descriptors import ForeignKeyDeferredAttribute
    from django.db.models.signals import post_init, pre_init

    if model.__init__ is not Model.__init__ or model.from_db.__func__ is not Model.from_db.__func__:
        return False
    if pre_init.has_listeners(model) or post_init.has_listeners(model):
        return False
    for f in model._meta.concrete_fields:
        attribute = inspect.getattr_static(model, f.attname, None)
        # A foreign key's id attribute forgets the related object cached: none yet.
        if (
            hasattr(type(attribute), "__set__")
            and type(attribute) is not ForeignKeyDeferredAttribute
        ):
            return False
    return True


def instance(model, alias: str, names, values):
    """``model.from_db(alias, names, values)`` (``names``: attnames), made without
    going through ``Model.__init__`` field by field where that is the same
    (:func:`_fillable`): on the check-in path a batch makes a dozen instances an
    event, and ``__init__`` costs more than the rest of reading them."""
    if not _fillable(model):
        return model.from_db(alias, names, values)
    obj = model.__new__(model)
    obj.__dict__.update(zip(names, values, strict=True))
    state = obj._state = ModelState()
    state.adding, state.db = False, alias
    return obj


def convert(row, readers, connection) -> list:
    """``row``'s values through each field's converters (``readers`` from
    :func:`converters`)."""
    values = []
    for value, (_name, expression, funcs) in zip(row, readers, strict=True):
        for func in funcs:
            value = func(value, expression, connection)
        values.append(value)
    return values


class Statement:
    """One SQL statement and its parameters; once run, :meth:`read` makes its
    answer of the rows it returned (``None`` when it returns none)."""

    returns_rows = False

    def __init__(self, alias: str, sql: str, params: list):
        self.alias, self.sql, self.params = alias, sql, params

    def read(self, fetched):
        return None


#: A statement with at most this many values is prepared on the PostgreSQL
#: session the first time the session runs it, and executed by name after that:
#: planning the lock of a batch's visits costs the database several times what
#: running it does. (Larger ones, the phone app's queues after a day offline,
#: are planned each time: too many shapes to keep.)
PREPARE_UP_TO = 400

_prepared: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()  # session -> names
_prepared_lock = threading.Lock()


def run(statements: list[Statement]) -> list:
    """Execute ``statements`` (all on one database, in order, in the caller's
    transaction); each one's answer, in order."""
    if not statements:
        return []
    connection = connections[statements[0].alias]
    answers = []
    with connection.cursor() as cursor:
        if not _together(connection):
            for statement in statements:
                cursor.execute(statement.sql, statement.params)
                answers.append(_answer(statement, cursor))
            return answers
        session = connection.connection
        known = _prepared_on(session, cursor)
        text, parts, made = _merged(connection, statements, known)
        try:
            results = _send(connection, text)
        except Exception:
            with _prepared_lock:  # which of them the session prepared is unknown now
                _prepared.pop(session, None)
            raise
        known.update(made)
        tx = Transformer.from_context(_reading(connection, cursor.cursor))
        answering = iter(statements)
        for result, answers_here in zip(results, parts, strict=True):
            if not answers_here:
                continue
            statement = next(answering)
            fetched = None
            if statement.returns_rows:
                tx.set_pgresult(result)
                fetched = tx.load_rows(0, result.ntuples, tuple)
            answers.append(statement.read(fetched))
    return answers


def _answer(statement: Statement, cursor):
    return statement.read(cursor.fetchall() if statement.returns_rows else None)


def _send(connection, text: bytes) -> list:
    """Send ``text`` (several statements) as one simple query on ``connection``'s
    session; their results. In a transaction not yet begun, the ``BEGIN`` goes in
    the same round trip (psycopg's cursor would send it alone first). The query is
    logged as a cursor logs it, where Django logs queries."""
    from psycopg import errors, generators
    from psycopg.pq import ExecStatus, TransactionStatus

    session = connection.connection
    pgconn = session.pgconn
    begin = not session.autocommit and pgconn.transaction_status == TransactionStatus.IDLE
    started = time.monotonic()
    with connection.wrap_database_errors, session.lock:
        pgconn.send_query(session._get_tx_start_command() + b";\n" + text if begin else text)
        results = session.wait(generators.execute(pgconn))
        for result in results:
            if result.status == ExecStatus.FATAL_ERROR:
                raise errors.error_from_result(result, encoding=pgconn._encoding)
    if connection.queries_logged:
        connection.queries_log.append(
            {"sql": text.decode(), "time": f"{time.monotonic() - started:.3f}"}
        )
    return results[1:] if begin else results


def _prepared_on(session, cursor) -> set:
    """The names of the statements ``session`` has prepared (read from the database
    when this process does not know them: a new session, or one after an error)."""
    with _prepared_lock:
        known = _prepared.get(session)
    if known is None:
        cursor.execute(f"SELECT name FROM pg_prepared_statements WHERE name LIKE '{_PREFIX}%'")
        known = {name for (name,) in cursor.fetchall()}
        with _prepared_lock:
            _prepared[session] = known
    return known


_PREFIX = "homecare_"

_transformers: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()  # session -> Transformer


def _literals(session):
    """``session``'s literal adapter, kept with the session: a transformer caches the
    dumper it finds for each type, which costs more to find than to use."""
    try:
        return _transformers[session].as_literal
    except KeyError:
        transformer = _transformers[session] = Transformer.from_context(session)
        return transformer.as_literal


class _Reading:
    """What a session's answers are read with (a psycopg adapting context)."""

    def __init__(self, connection, adapters):
        self.connection, self.adapters = connection, adapters


_reading_with: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()  # session -> _Reading


def _reading(connection, cursor):
    """The loaders the cursor reads with (Django's: times in the connection's time
    zone), except where the session and Django both keep time in UTC: psycopg's own
    loader of times then gives the same values (its UTC is Python's) and is compiled,
    where Django's, a Python subclass of it, is not: a check-in batch reads dozens."""
    session = connection.connection
    reading = _reading_with.get(session)
    if reading is None:
        reading = False
        utc = session.info.parameter_status("TimeZone") == "UTC"
        if utc and connection.timezone is datetime.UTC:
            from psycopg.adapt import AdaptersMap
            from psycopg.types.datetime import TimestamptzLoader

            adapters = AdaptersMap(cursor.adapters)
            adapters.register_loader("timestamptz", TimestamptzLoader)
            reading = _Reading(session, adapters)
        _reading_with[session] = reading
    return reading or cursor


@functools.cache
def _prepared_as(sql: str) -> tuple[str, bytes]:
    """The name ``sql`` is prepared under, and its ``PREPARE`` statement (the
    placeholders numbered, as PostgreSQL's own)."""
    name = _PREFIX + hashlib.sha1(sql.encode()).hexdigest()[:24]
    pieces = sql.split("%s")
    numbered = "".join(f"{piece}${n}" for n, piece in enumerate(pieces[:-1], 1)) + pieces[-1]
    return name, f"PREPARE {name} AS {numbered}".encode()


#: Literals of the commonest values, written as psycopg writes them, without
#: looking for their adapter (``as_literal``, which the rest goes through, costs
#: more than the statement's own text; a check-in sends about a hundred values).
#: ``None`` from one of these: psycopg's literal after all.
_FAST = {
    type(None): lambda value: b"NULL",
    bool: lambda value: b"true" if value else b"false",
    uuid.UUID: lambda value: b"'%s'::uuid" % value.hex.encode(),
    # Django's times, all in UTC; any other zone goes to psycopg.
    datetime.datetime: lambda value: (
        b"'%s'::timestamptz" % str(value).encode() if value.tzinfo is datetime.UTC else None
    ),
}


@functools.cache
def _execute(name: str, count: int) -> bytes:
    return (f"EXECUTE {name}({', '.join(['%s'] * count)})" if count else f"EXECUTE {name}").encode()


def _merged(connection, statements: list[Statement], known: set):
    """The statements as one query with their values in it, as psycopg's client-side
    binding cursor merges them (each value through the connection's own literal
    adapters), without its parsing of the text for placeholders (cached for short
    queries only; the text holds no ``%`` but its placeholders); those not too big
    prepared once per session and executed by name. Returns the query, whether
    each part of it answers a statement (a ``PREPARE`` does not), and the names it
    prepares."""
    literal = _literals(connection.connection)
    fast = _FAST.get
    texts, parts, made = [], [], set()
    for s in statements:
        values = tuple(
            (f(value) if (f := fast(type(value))) else None) or literal(value) for value in s.params
        )
        if len(values) > PREPARE_UP_TO:
            texts.append(s.sql.encode() % values)
        else:
            name, prepare = _prepared_as(s.sql)
            if name not in known and name not in made:
                texts.append(prepare)
                parts.append(False)
                made.add(name)
            texts.append(_execute(name, len(values)) % values)
        parts.append(True)
    return b";\n".join(texts), parts, made


def _together(connection) -> bool:
    """Whether the connection sends several statements in one query: psycopg 3's
    client-side binding cursor, Django's default on PostgreSQL."""
    if connection.vendor != "postgresql":
        return False
    from django.db.backends.postgresql.psycopg_any import is_psycopg3

    return is_psycopg3 and not connection.settings_dict["OPTIONS"].get("server_side_binding")


# ------------------------------------------------------------------ reading


@functools.cache
def _select_sql(alias: str, model, names, column: str, count: int, through) -> str:
    connection = connections[alias]
    q = connection.ops.quote_name
    table = q(model._meta.db_table)
    columns = ", ".join(
        f"{table}.{q(model._meta.get_field(name).column)}"
        for name, _expression, _funcs in converters(alias, model, names)
    )
    where = q(model._meta.get_field(column).column)
    order = q(model._meta.pk.column)
    marks = ", ".join(["%s"] * count)
    if through is None:
        return f"SELECT {columns} FROM {table} WHERE {table}.{where} IN ({marks}) ORDER BY {order}"
    other, by = through
    key, rows = q(other._meta.pk.column), q(other._meta.db_table)
    keys = f"SELECT {key} FROM {rows} WHERE {q(other._meta.get_field(by).column)} IN ({marks})"
    if connection.vendor == "postgresql":
        # The keys as an array the index is searched with, whatever the table's
        # statistics say: a statement prepared while the table was nearly empty
        # (a new day's presences) keeps its plan for the session, and a join
        # planned then scans the whole table once it has grown.
        return (
            f"SELECT {columns} FROM {table} WHERE {table}.{where} = ANY(ARRAY({keys})) "
            f"ORDER BY {order}"
        )
    return f"SELECT {columns} FROM {table} WHERE {table}.{where} IN ({keys}) ORDER BY {order}"


class Select(Statement):
    """The rows of ``model`` whose ``column`` (a field name) is one of ``values``, in
    primary key order (``model.objects.filter(column__in=values).order_by("pk")`` of
    a default manager with no filters of its own): model instances, or tuples of
    the fields ``names``. ``through=(other, by)``: whose ``column`` points to a row
    of ``other`` whose ``by`` is one of ``values``."""

    returns_rows = True

    def __init__(self, model, column: str, values, *, names=None, through=None):
        alias = router.db_for_read(model)
        connection = connections[alias]
        field = (through[0] if through else model)._meta.get_field(
            through[1] if through else column
        )
        target = getattr(field, "target_field", field)
        params = [target.get_db_prep_value(v, connection) for v in values]
        names = tuple(names) if names is not None else None
        sql = _select_sql(alias, model, names, column, len(params), through)
        super().__init__(alias, sql, params)
        self.model, self.names = model, names
        self.readers = converters(alias, model, names)

    def read(self, fetched) -> list:
        connection = connections[self.alias]
        found = [convert(row, self.readers, connection) for row in fetched]
        if self.names is not None:
            return [tuple(row) for row in found]
        names = [name for name, _expression, _funcs in self.readers]
        return [instance(self.model, self.alias, names, row) for row in found]


def select(model, column: str, values, **options) -> list:
    """:class:`Select`, run alone."""
    values = list(values)
    return run([Select(model, column, values, **options)])[0] if values else []


# ------------------------------------------------------------------ writing


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


class _Insert(Statement):
    def __init__(self, alias, sql, params, objs, pk):
        super().__init__(alias, sql, params)
        self.objs, self.pk = objs, pk
        self.returns_rows = pk is not None

    def read(self, fetched):
        # Rows come back in the order inserted (PostgreSQL and SQLite, as Django's
        # bulk_create relies on).
        for obj, (value,) in zip(self.objs, fetched or (), strict=self.returns_rows):
            setattr(obj, self.pk.attname, value)
        for obj in self.objs:
            obj._state.adding, obj._state.db = False, self.alias


def inserts(objs: list, *, need_pk: bool = True) -> list[Statement]:
    """``INSERT`` ``objs`` (instances of one model, each as it is now) in as few
    statements as the backend allows, as ``bulk_create`` does: an automatic primary
    key not set is filled in from the database (when ``need_pk``) once run.
    Nothing is validated and no signal is sent, as with ``bulk_create``."""
    if not objs:
        return []
    model = type(objs[0])
    alias = router.db_for_write(model)
    connection = connections[alias]
    with_pk = objs[0].pk is not None
    returning = need_pk and not with_pk
    if returning and not connection.features.can_return_rows_from_bulk_insert:
        raise NotSupportedError(f"{connection.vendor} does not return the keys it inserts")
    pk = model._meta.pk if returning else None
    return [
        _Insert(alias, sql, params, chunk, pk)
        for sql, params, chunk in _chunks(alias, model, with_pk, returning, objs, _taken)
    ]


def _chunks(alias: str, model, with_pk: bool, returning: bool, rows: list, value):
    """``(INSERT text, its values, the rows)`` for ``rows`` in as few statements as
    the backend takes, each field's value ``value(field)(row)`` prepared by the
    field for the database."""
    connection = connections[alias]
    _sql, fields = _insert_sql(alias, model, with_pk, 1, returning)
    takers = [(value(f), _saver(connection.vendor, f)) for f in fields]
    size = connection.ops.bulk_batch_size(fields, rows) or len(rows)
    for start in range(0, len(rows), size):
        chunk = rows[start : start + size]
        sql, fields = _insert_sql(alias, model, with_pk, len(chunk), returning)
        params = [save(take(row), connection) for row in chunk for take, save in takers]
        yield sql, params, chunk


@functools.cache
def _taken(field):
    """``field.pre_save(obj, True)`` as a function of ``obj``: the attribute itself,
    unless the field sets it when saved (``auto_now``, a custom field)."""
    plain = (Field.pre_save, DateField.pre_save, DateTimeField.pre_save)
    if type(field).pre_save in plain and not (
        getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False)
    ):
        return operator.attrgetter(field.attname)
    return lambda obj: field.pre_save(obj, True)


#: Fields whose ``get_db_prep_save`` gives back a value of this type as it is on
#: PostgreSQL (the field's own class only: a subclass may do more).
_AS_IS = {
    UUIDField: uuid.UUID,
    DateTimeField: datetime.datetime,
    DateField: datetime.date,
    BooleanField: bool,
    CharField: str,
    TextField: str,
    IntegerField: int,
    BigIntegerField: int,
    SmallIntegerField: int,
    PositiveIntegerField: int,
    PositiveSmallIntegerField: int,
    AutoField: int,
    BigAutoField: int,
}


@functools.cache
def _saver(vendor: str, field):
    """``field.get_db_prep_save`` as a function of the value and the connection. On
    PostgreSQL, where that is the value itself for the commonest types (and None),
    a check of the value's type instead of the field's calls (a check-in writes
    about a hundred values)."""
    save = field.get_db_prep_save
    target = field.target_field if field.is_relation else field
    kind = _AS_IS.get(type(target)) if vendor == "postgresql" else None
    if kind is None:
        return save
    if kind is datetime.datetime:  # an aware one (Django warns of a naive one)
        return lambda v, connection: (
            v if v is None or (type(v) is kind and v.tzinfo is not None) else save(v, connection)
        )
    return lambda v, connection: v if v is None or type(v) is kind else save(v, connection)


def insert(objs: list, *, need_pk: bool = True) -> None:
    """:func:`inserts`, run."""
    run(inserts(objs, need_pk=need_pk))


def value_inserts(model, values: list[dict]) -> list[Statement]:
    """``INSERT`` rows of ``model`` given as ``{attname: value}`` (a field left out
    takes its default; an automatic primary key is left to the database), with no
    model instance made: for rows written and not read again, such as audit
    history rows."""
    if not values:
        return []
    alias = router.db_for_write(model)
    _sql, fields = _insert_sql(alias, model, False, 1, False)
    defaults = {f.attname: f.get_default() for f in fields}
    return [
        Statement(alias, sql, params)
        for sql, params, _chunk in _chunks(
            alias,
            model,
            False,
            False,
            values,
            lambda f: lambda row: row.get(f.attname, defaults[f.attname]),
        )
    ]


@functools.cache
def _update_sql(alias: str, model, fields: tuple[str, ...]) -> str:
    quote = connections[alias].ops.quote_name
    return "UPDATE {} SET {} WHERE {} = %s".format(
        quote(model._meta.db_table),
        ", ".join(f"{quote(model._meta.get_field(name).column)} = %s" for name in fields),
        quote(model._meta.pk.column),
    )


def updates(model, objs: list, fields) -> list[Statement]:
    """``UPDATE`` each row's ``fields`` to the values its instance holds, one
    statement a row (Django's ``bulk_update`` builds a ``CASE`` per field per row,
    which costs more to build than the update costs the database)."""
    alias = router.db_for_write(model)
    connection = connections[alias]
    fields = tuple(fields)
    sql = _update_sql(alias, model, fields)
    columns = [model._meta.get_field(name) for name in fields] + [model._meta.pk]
    takers = [(operator.attrgetter(c.attname), _saver(connection.vendor, c)) for c in columns]
    return [
        Statement(alias, sql, [save(take(obj), connection) for take, save in takers])
        for obj in objs
    ]
