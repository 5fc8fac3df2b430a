"""Hand-written SQL for the room's hottest paths (issue 14), with the ORM's own conversions.

On a submit, building the SQL (not running it) was most of the ORM's cost: every request
compiles the same joins, annotations and filters again. The few queries that run for every
participant's request are therefore written out once, in the service that owns them, and
their rows are turned into model instances here: the same converters the ORM applies (SQLite
datetimes and booleans, JSON), and `Model.from_db`, so an instance behaves as if the ORM read it.

Use it only where a profile shows the ORM's building dominates, keep each statement in one
service function with a docstring, and let the tests pin what it reads and writes.
"""

from collections.abc import Iterator, Sequence
from contextlib import contextmanager

from django.db import DEFAULT_DB_ALIAS, connection, connections
from django.db.backends.utils import CursorWrapper
from django.db.models import Model


@contextmanager
def cursor() -> Iterator[CursorWrapper]:
    """A cursor for the statements written out here, on the request's connection (inside its
    transaction, logged and counted like the ORM's).

    On PostgreSQL it binds parameters on the server, so psycopg prepares a statement once the
    connection ran it prepare_threshold times (settings: 5) and PostgreSQL stops planning it
    on every request: for the submit's read, planning was 0.21 of 0.26 ms (EXPLAIN ANALYZE,
    issue 14). The ORM's own cursors bind on the client and never prepare. Prepared statements
    live on the persistent connection (CONN_MAX_AGE); a pooler in transaction mode would not
    keep them.
    """
    if connection.vendor != "postgresql":
        with connection.cursor() as plain:
            yield plain
        return
    import psycopg

    wrapper = connections[DEFAULT_DB_ALIAS]
    wrapper.ensure_connection()
    server_side = psycopg.Cursor(wrapper.connection)
    try:
        # Django's own wrapping: debug logging, execute_wrappers, broken-transaction checks.
        yield wrapper._prepare_cursor(server_side)
    finally:
        server_side.close()


def name(identifier: str) -> str:
    """A table or column name, quoted for the database in use."""
    return connection.ops.quote_name(identifier)


def table(model: type[Model]) -> str:
    return name(model._meta.db_table)


def column(model: type[Model], field: str) -> str:
    """The quoted column of a field (by field name, e.g. "session" gives "session_id")."""
    return name(model._meta.get_field(field).column)


def select_list(model: type[Model], alias: str) -> str:
    """Every concrete column of the model, in field order, qualified by a table alias: the
    columns `instance()` expects, in that order."""
    return ", ".join(f"{alias}.{name(f.column)}" for f in model._meta.concrete_fields)


def width(model: type[Model]) -> int:
    """How many columns select_list() gives."""
    return len(model._meta.concrete_fields)


def _converters(model: type[Model]) -> list[tuple]:
    # Per connection object: a converter may be a bound method of its backend's operations.
    # (`connection` is a proxy shared by threads; connections[...] is this thread's own.)
    wrapper = connections[DEFAULT_DB_ALIAS]
    cache = wrapper.__dict__.setdefault("_rawsql_converters", {})
    if model not in cache:
        found = []
        for field in model._meta.concrete_fields:
            expression = field.get_col(model._meta.db_table)
            functions = wrapper.ops.get_db_converters(expression)
            found.append((expression, functions + field.get_db_converters(wrapper)))
        cache[model] = (found, [f.attname for f in model._meta.concrete_fields])
    return cache[model]


def instance(model: type[Model], values: Sequence) -> Model:
    """A model instance from a row's columns in select_list() order, as the ORM reads it."""
    converters, attnames = _converters(model)
    converted = []
    for value, (expression, functions) in zip(values, converters, strict=True):
        for function in functions:
            value = function(value, expression, connection)
        converted.append(value)
    return model.from_db(connection.alias, attnames, converted)


def prepared(model: type[Model], field: str, value):
    """A value as the ORM would send it for this field (JSON, datetimes, ...)."""
    return model._meta.get_field(field).get_db_prep_save(value, connection)
