"""Fast inserts for the demo's large tables, each row with its audit-history row.

The ORM's ``bulk_create`` prepares every value of every row through the
field's full conversion chain; at county scale (over 100,000 visits, and as
many history rows) that alone takes minutes. Here each column gets one
converter, chosen once; values that repeat (dates, times, UTC instants, task
lists) are converted once and remembered; columns not named take the field's
default, converted once; rows go in with ``executemany``. The history rows
are what ``simple_history``'s ``bulk_create_with_history`` writes: the same
values, with ``history_type`` "+", a date and a reason.

``Inserter`` is for models whose primary key is set before saving (UUIDs, as
every ``CareRecord``), or tables written without history; ``write_history``
adds the history of rows whose key the database made. ``loading``,
``indexes_deferred`` and ``analyse`` are the rest of a bulk load: no query
log, a large SQLite page cache, indexes built once at the end, and fresh
statistics for the query planner.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from contextlib import contextmanager
from functools import lru_cache
from operator import itemgetter

from django.conf import settings
from django.db import connection, models
from django.utils import timezone

#: Rows per ``executemany`` call.
CHUNK = 5000


def _identity(value):
    return value


def _converter(field: models.Field) -> Callable:
    """A function from a Python value to the value the database driver takes."""
    target = field.target_field if field.is_relation else field
    kind = target.get_internal_type()
    ops, features = connection.ops, connection.features
    if kind == "UUIDField":
        if features.has_native_uuid_field:
            return _identity
        return lambda v: None if v is None else v.hex
    if kind == "DateTimeField":
        return _cached(ops.adapt_datetimefield_value)
    if kind == "DateField":
        return _cached(ops.adapt_datefield_value)
    if kind == "TimeField":
        return _cached(ops.adapt_timefield_value)
    if kind == "JSONField":
        return _json(field)
    if kind in ("CharField", "TextField", "SlugField", "EmailField"):
        return lambda v: v if v is None or type(v) is str else str(v)
    if kind in (
        "IntegerField",
        "PositiveIntegerField",
        "PositiveSmallIntegerField",
        "SmallIntegerField",
        "BigIntegerField",
        "AutoField",
        "BigAutoField",
        "BooleanField",
    ):
        return _identity
    return lambda v: field.get_db_prep_save(v, connection)


def _cached(adapt: Callable) -> Callable:
    cached = lru_cache(maxsize=65536)(adapt)
    return lambda v: None if v is None else cached(v)


def _json(field) -> Callable:
    """JSON lists of strings (task lists) repeat: encode each distinct one once."""
    seen: dict = {}

    def convert(value):
        key = tuple(value) if type(value) is list else None
        try:
            hash(key)
        except TypeError:
            key = None
        if key is None:
            return field.get_db_prep_save(value, connection)
        if key not in seen:
            seen[key] = field.get_db_prep_save(value, connection)
        return seen[key]

    return convert


class Inserter:
    """Collects rows of ``model`` and writes them (and their history) in chunks.

    ``columns`` names the attributes each row gives (all concrete fields when
    omitted); the other fields take their default.
    """

    def __init__(
        self,
        model,
        *,
        columns: Iterable[str] | None = None,
        reason: str = "",
        history: bool = True,
    ):
        meta = model._meta
        auto = isinstance(meta.pk, models.AutoField)
        if auto and history:
            raise ValueError(f"{model.__name__} has a database-made key: use the ORM for it.")
        fields = {f.attname: f for f in meta.concrete_fields if not (auto and f.primary_key)}
        self.model = model
        self.columns = list(columns) if columns is not None else list(fields)
        self._convert = [
            (i, c)
            for i, c in enumerate(_converter(fields[n]) for n in self.columns)
            if c is not _identity
        ]
        now = timezone.now()
        fixed_names = [n for n in fields if n not in self.columns]
        self._fixed = tuple(_converter(fields[n])(_default(fields[n], now)) for n in fixed_names)
        self.fields = [fields[n] for n in (*self.columns, *fixed_names)]
        self.rows: list[tuple] = []
        self.history_rows: list[tuple] = []
        self.count = 0
        self.history = model.history.model if history else None
        if self.history is not None:
            position = {f.attname: i for i, f in enumerate(self.fields)}
            constants = {
                "history_date": connection.ops.adapt_datetimefield_value(now),
                "history_change_reason": reason or None,
                "history_type": "+",
                "history_user_id": None,
            }
            mirrored = [f for f in self.history._meta.concrete_fields if f.attname in position]
            stamped = [f for f in self.history._meta.concrete_fields if f.attname in constants]
            self.history_fields = [*mirrored, *stamped]
            # A history row: the row's own values, picked in one step, then the stamps.
            picks = [position[f.attname] for f in mirrored]
            self._mirror = itemgetter(*picks) if len(picks) > 1 else lambda r: (r[picks[0]],)
            self._stamps = tuple(constants[f.attname] for f in stamped)

    def add(self, obj=None, /, **values) -> None:
        """A row from a model instance, or from the named columns' values."""
        if obj is not None:
            self.add_row(tuple(getattr(obj, name) for name in self.columns))
            # As after bulk_create: the instance now stands for a saved row.
            obj._state.adding, obj._state.db = False, connection.alias
        else:
            self.add_row(tuple(values[name] for name in self.columns))

    def add_row(self, values: tuple) -> None:
        """A row as a tuple in the order of ``columns``."""
        row = list(values)
        for i, convert in self._convert:
            row[i] = convert(row[i])
        full = (*row, *self._fixed)
        self.rows.append(full)
        if self.history is not None:
            self.history_rows.append((*self._mirror(full), *self._stamps))
        if len(self.rows) >= CHUNK:
            self.flush()

    def flush(self) -> None:
        if not self.rows:
            return
        _execute(self.model, self.fields, self.rows)
        if self.history is not None:
            _execute(self.history, self.history_fields, self.history_rows)
        self.count += len(self.rows)
        self.rows, self.history_rows = [], []

    def __enter__(self):
        return self

    def __exit__(self, exc_type, *_):
        if exc_type is None:
            self.flush()


def write_history(queryset, *, reason: str = "") -> int:
    """The "created" history rows of ``queryset``'s rows, for a model whose key the
    database makes (so the rows went in without history and are read back)."""
    model = queryset.model
    history = model.history.model
    tracked = [f.attname for f in history._meta.concrete_fields
               if f.attname in {g.attname for g in model._meta.concrete_fields}]  # fmt: skip
    marks = ("history_date", "history_change_reason", "history_type", "history_user_id")
    stamp = (timezone.now(), reason or None, "+", None)
    with Inserter(history, columns=(*tracked, *marks), history=False) as table:
        for row in queryset.values_list(*tracked).iterator(chunk_size=CHUNK):
            table.add_row((*row, *stamp))
    return table.count


def _default(field, now):
    if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
        return now
    if field.primary_key:
        raise ValueError(f"Every row needs its own {field.name}.")
    # One default for every row: ``created_at`` is the same instant throughout.
    return now if field.default is timezone.now else field.get_default()


def _execute(model, fields, rows) -> None:
    qn = connection.ops.quote_name
    columns = ", ".join(qn(f.column) for f in fields)
    marks = ", ".join(["%s"] * len(fields))
    sql = f"INSERT INTO {qn(model._meta.db_table)} ({columns}) VALUES ({marks})"
    with connection.cursor() as cursor:
        cursor.executemany(sql, rows)


@contextmanager
def indexes_deferred(*models_):
    """On SQLite, load ``models_`` (and their history tables) with their secondary
    indexes dropped, then build the indexes again from their own saved SQL.

    Building an index from a sorted pass is several times faster than a
    hundred thousand inserts at random places in it. Primary keys and unique
    constraints stay in place throughout, so every row is still checked. Other
    databases load as they are. Must run inside ``transaction.atomic``: on an
    error the whole load, the dropped indexes included, rolls back.
    """
    if connection.vendor != "sqlite":
        yield
        return
    if not connection.in_atomic_block:
        raise RuntimeError("indexes_deferred() must run inside transaction.atomic().")
    tables = []
    for model in models_:
        tables.append(model._meta.db_table)
        history = getattr(model, "history", None)
        if history is not None:
            tables.append(history.model._meta.db_table)
    qn = connection.ops.quote_name
    with connection.cursor() as cursor:
        saved = []
        for table in tables:
            cursor.execute(
                "SELECT name, sql FROM sqlite_master "
                "WHERE type = 'index' AND tbl_name = %s AND sql IS NOT NULL ORDER BY name",
                [table],
            )
            saved.extend(cursor.fetchall())
        for name, _ in saved:
            cursor.execute(f"DROP INDEX {qn(name)}")
    yield
    with connection.cursor() as cursor:
        for _, sql in saved:
            cursor.execute(sql)


def analyse() -> None:
    """Fresh statistics for the query planner after a bulk load. Without them SQLite
    guesses, and can pick the provider's index over the person's for the people
    list (seconds instead of milliseconds at county scale)."""
    if connection.vendor in ("sqlite", "postgresql"):
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")


@contextmanager
def loading():
    """The settings a bulk load wants: no query log, and a large SQLite page cache."""
    with _queries_unlogged(), _large_cache():
        yield


@contextmanager
def _queries_unlogged():
    """With DEBUG on, Django logs every query and SQLite quotes every parameter for
    the log: slower than the inserts themselves, and the log of bulk inserts is
    large. The build runs with query logging off."""
    debug = settings.DEBUG
    settings.DEBUG = False
    try:
        yield
    finally:
        settings.DEBUG = debug


@contextmanager
def _large_cache():
    """SQLite keeps 2 MB of pages by default; the visit indexes want far more."""
    if connection.vendor != "sqlite":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA cache_size")
        (before,) = cursor.fetchone()
        cursor.execute("PRAGMA cache_size = -262144")  # 256 MB
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"PRAGMA cache_size = {int(before)}")
