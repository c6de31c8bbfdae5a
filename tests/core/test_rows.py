"""The hand-built statements of ``homecare.core.rows`` write and read exactly what the
ORM writes and reads."""

from datetime import UTC, datetime, timedelta

import pytest
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext

from homecare.core import rows
from homecare.core.models import JobRun
from homecare.organisations.models import Organisation
from tests import factories as f

pytestmark = pytest.mark.django_db

AT = datetime(2026, 11, 30, 8, 0, tzinfo=UTC)


def _jobs(n: int) -> list[JobRun]:
    return [
        JobRun(name=f"job {i}", arguments={"n": i, "names": ["Ann", "Bo"]}, enqueued_at=AT)
        for i in range(n)
    ]


def test_insert_writes_what_the_orm_reads_back():
    made = _jobs(3)
    rows.insert(made)
    assert all(not job._state.adding for job in made)
    read = {job.pk: job for job in JobRun.objects.all()}
    assert set(read) == {job.pk for job in made}
    for job in made:
        again = read[job.pk]
        assert (again.name, again.arguments, again.status, again.result, again.enqueued_at) == (
            job.name,
            job.arguments,
            "queued",
            None,
            AT,
        )


def test_insert_fills_in_an_automatic_key_in_the_order_inserted():
    council = f.CouncilFactory()
    history = Organisation.history.model
    made = [
        history(
            id=council.pk,
            name=name,
            kind=council.kind,
            nation=council.nation,
            created_at=AT,
            history_date=AT + timedelta(minutes=i),
            history_type="~",
        )
        for i, name in enumerate(["First", "Second"])
    ]
    rows.insert(made)
    assert made[0].history_id < made[1].history_id
    assert history.objects.get(history_id=made[1].history_id).name == "Second"


def test_insert_values_takes_defaults_for_the_fields_left_out():
    council = f.CouncilFactory(name="Kent County Council")
    history = Organisation.history.model
    before = history.objects.count()
    rows.run(
        rows.value_inserts(
            history,
            [
                {
                    "id": council.pk,
                    "name": "Kent County Council",
                    "kind": council.kind,
                    "nation": council.nation,
                    "created_at": AT,
                    "history_date": AT,
                    "history_type": "~",
                }
            ],
        )
    )
    assert history.objects.count() == before + 1
    row = history.objects.get(history_date=AT)
    assert (row.name, row.history_change_reason, row.archived_at) == (
        "Kent County Council",
        None,
        None,
    )


def test_select_reads_as_the_orm_in_key_order():
    made = _jobs(4)
    JobRun.objects.bulk_create(made)
    names = ["job 3", "job 1", "nobody"]
    found = rows.select(JobRun, "name", names)
    expected = list(JobRun.objects.filter(name__in=names).order_by("pk"))
    assert [j.pk for j in found] == [j.pk for j in expected]
    assert [(j.name, j.arguments, j.enqueued_at) for j in found] == [
        (j.name, j.arguments, j.enqueued_at) for j in expected
    ]
    assert not found[0]._state.adding
    assert rows.select(JobRun, "name", []) == []


def test_select_values_keeps_the_order_of_the_names_asked_for():
    job = _jobs(1)[0]
    job.save()
    found = rows.select(JobRun, "id", [job.pk], names=("status", "name"))
    assert found == [("queued", "job 0")]


def test_update_writes_only_the_fields_named():
    made = _jobs(2)
    JobRun.objects.bulk_create(made)
    for job in made:
        job.status, job.error = "done", "changed but not written"
    rows.run(rows.updates(JobRun, made, ["status"]))
    assert set(JobRun.objects.values_list("status", "error")) == {("done", "")}


def test_statements_run_together_answer_each_in_order():
    """On PostgreSQL the statements go in one round trip; each answers as alone."""
    made = _jobs(2)
    inserted, nothing, found = rows.run(
        [
            *rows.inserts(made),
            *rows.updates(JobRun, made[:1], ["status"]),
            rows.Select(JobRun, "name", ["job 1"], names=("name", "status")),
        ]
    )
    assert (inserted, nothing, found) == (None, None, [("job 1", "queued")])
    assert JobRun.objects.count() == 2


def test_select_through_another_table():
    council = f.CouncilFactory()
    history = Organisation.history.model
    council.name = "Renamed"
    council.save()
    found = rows.select(history, "id", ["Renamed"], through=(Organisation, "name"), names=("name",))
    assert sorted(found) == sorted(history.objects.filter(id=council.pk).values_list("name"))


def test_a_run_that_fails_leaves_the_next_one_working():
    """A failed query may have prepared some of its statements on the session or
    not: the next run finds out which and still answers."""
    job = _jobs(1)[0]
    rows.insert([job])
    again = JobRun(pk=job.pk, name="the same key", enqueued_at=AT)
    with pytest.raises(IntegrityError), transaction.atomic():
        rows.run([rows.Select(JobRun, "name", ["job 0"]), *rows.inserts([again])])
    assert [j.pk for j in rows.select(JobRun, "name", ["job 0"])] == [job.pk]
    rows.insert([JobRun(name="another", enqueued_at=AT)])
    assert JobRun.objects.count() == 2


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL prepares statements")
def test_a_statement_is_prepared_once_per_session_and_executed_by_name():
    JobRun.objects.bulk_create(_jobs(2))
    with CaptureQueriesContext(connection) as first:
        assert len(rows.select(JobRun, "name", ["job 0", "job 1"])) == 2
    with CaptureQueriesContext(connection) as second:
        assert len(rows.select(JobRun, "name", ["job 1", "job 0"])) == 2
    sent = [q["sql"] for q in first.captured_queries + second.captured_queries]
    assert sum("PREPARE homecare_" in q for q in sent) <= 1  # none when an earlier test did
    assert sent[-1].startswith("EXECUTE homecare_")


@pytest.mark.skipif(connection.vendor != "postgresql", reason="only PostgreSQL merges statements")
def test_the_commonest_values_are_written_as_psycopg_writes_them():
    import uuid
    from zoneinfo import ZoneInfo

    from psycopg.adapt import Transformer

    connection.ensure_connection()
    literal = Transformer.from_context(connection.connection).as_literal
    london = datetime(2026, 7, 1, 9, 30, 1, 12, tzinfo=ZoneInfo("Europe/London"))
    values = [None, True, False, uuid.uuid4(), AT, AT.replace(microsecond=5), london]
    for value in values:
        fast = rows._FAST[type(value)](value)
        if value is london:
            assert fast is None  # another zone: left to psycopg
        else:
            assert fast == literal(value)
    # And the database reads them back as they were.
    with connection.cursor() as cursor:
        written = b", ".join(rows._FAST[type(v)](v) or literal(v) for v in values)
        cursor.execute(b"SELECT " + written)
        assert list(cursor.fetchone()) == values


def _as_read(obj) -> tuple:
    values = {k: v for k, v in vars(obj).items() if k != "_state"}
    return values, obj._state.adding, obj._state.db


def test_an_instance_read_is_made_as_from_db_makes_it():
    """Filled in directly where ``Model.__init__`` would do the same: the same
    values, saved state and deferred fields (read on access) as ``from_db``."""
    council = f.CouncilFactory(email="asc@lancashire.example")
    names = [
        "id",
        "created_at",
        "name",
        "email",
    ]  # in the order of the fields, as from_db takes them
    values = [getattr(council, n) for n in names]
    made = rows.instance(Organisation, "default", names, values)
    assert rows._fillable(Organisation)
    assert _as_read(made) == _as_read(Organisation.from_db("default", names, values))
    assert made.get_deferred_fields() == {
        f.attname for f in Organisation._meta.concrete_fields
    } - set(names)
    assert made.kind == council.kind  # deferred: read now
    made.name = "Lancashire County Council"
    made.save(update_fields=["name"])
    assert Organisation.objects.get(pk=council.pk).name == "Lancashire County Council"


def test_a_model_with_more_to_it_is_made_by_from_db():
    """A receiver of ``post_init`` (as an image field adds), or a field whose
    attribute does more when set, and the instance goes through ``__init__``."""
    from django.db.models.signals import post_init

    seen = []

    def receiver(sender, instance, **kwargs):
        seen.append(instance)

    rows._fillable.cache_clear()
    post_init.connect(receiver, sender=JobRun)
    try:
        assert not rows._fillable(JobRun)
        job = rows.instance(JobRun, "default", ["id", "name"], [None, "x"])
    finally:
        post_init.disconnect(receiver, sender=JobRun)
        rows._fillable.cache_clear()
    assert seen == [job] and not job._state.adding
    assert rows._fillable(JobRun)


def test_values_are_prepared_for_the_database_as_the_fields_prepare_them():
    """The short cut for the commonest types gives what ``get_db_prep_save`` gives,
    and anything else (a number for a text, a naive time) goes to the field."""
    person = f.IndividualFactory()
    job = JobRun.objects.create(name="x", arguments={"a": [1]}, enqueued_at=AT)
    for obj in (person, person.organisation, job):
        for field in type(obj)._meta.concrete_fields:
            value = getattr(obj, field.attname)
            saver = rows._saver(connection.vendor, field)
            expected = field.get_db_prep_save(value, connection)
            got = saver(value, connection)
            # JSON goes to the field itself: its wrapper compares by identity.
            assert getattr(got, "obj", got) == getattr(expected, "obj", expected), field
    name = Organisation._meta.get_field("name")
    assert rows._saver(connection.vendor, name)(12, connection) == "12"
    enqueued = JobRun._meta.get_field("enqueued_at")
    naive = datetime(2026, 11, 30, 8, 0)  # noqa: DTZ001 (a naive time on purpose)
    with pytest.warns(RuntimeWarning, match="naive datetime"):
        prepared = rows._saver(connection.vendor, enqueued)(naive, connection)
        assert prepared == enqueued.get_db_prep_save(naive, connection)


def test_times_read_are_in_utc_as_the_orm_reads_them():
    """On PostgreSQL rows reads times with psycopg's own loader where the session and
    Django keep UTC: the same values, in Python's own UTC (which writing them back
    relies on)."""
    made = _jobs(2)
    made[1].enqueued_at = datetime(2026, 3, 29, 0, 59, 59, 999999, tzinfo=UTC)
    rows.insert(made)
    found = rows.select(JobRun, "id", [job.pk for job in made])
    by_orm = {job.pk: job.enqueued_at for job in JobRun.objects.all()}
    for job in found:
        assert job.enqueued_at == by_orm[job.pk]
        assert job.enqueued_at.tzinfo is UTC and by_orm[job.pk].tzinfo is UTC
