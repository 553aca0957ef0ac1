"""Prepared SQLite statements: the group commit's writes sent straight to the driver.

SQLAlchemy executes a statement through its whole machinery each time (a cache key, a compiled
lookup, a parameter dict per row, each value through its type's processor, a result object),
which for the group commit's statements (a guarded one-row UPDATE per OCPP message, a multi-row
INSERT of a few hundred event, sample and history rows per batch) costs several times what
SQLite's own work does: about 40 microseconds of CPU for a one-row UPDATE against 4. Here a
statement is compiled once for the dialect into its SQL and one converter per parameter (the
parameter type's own bind processor for SQLite, or for a `UtcDateTime` `utc_text`, which writes
the same text in one step; for an INSERT, the Python-side defaults of the columns a row leaves
out), and each execution is a tuple and one call of the `sqlite3` cursor,
on the connection SQLAlchemy's session holds, inside its transaction. Same SQL, same conversions,
same transaction; only the bookkeeping around them is skipped.

The Python-side defaults it runs (`new_id`, a row timestamp's `stamp`) are called as SQLAlchemy
calls them, with a context whose execution options are the connection's (`defaults_context`):
that is where a row timestamp finds the writing database's clock (`stamps.py`).

Statements it cannot prepare (expanding IN lists, SQL-expression defaults, a `RETURNING`) and
connections that are not `OneHopConnection`s (PostgreSQL, in-memory SQLite) keep SQLAlchemy's
path: callers get `None` and execute as before. A multi-row INSERT the database refuses raises
SQLAlchemy's error for it (`DBAPIError` and its subclasses), as the other path would.
"""

import sqlite3
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, timezone
from typing import Any

from sqlalchemy import Dialect, Table
from sqlalchemy.engine import Compiled
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncConnection
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.dml import Update
from sqlalchemy.sql.elements import BindParameter

from chargeyard.clock import as_utc
from chargeyard.storage.base import UtcDateTime
from chargeyard.storage.sqlite_driver import OneHopConnection

Convert = Callable[[Any], Any] | None


@dataclass(frozen=True, slots=True)
class DefaultsContext:
    """What a column's Python default is called with here, in place of SQLAlchemy's execution
    context: the options of the connection the statement runs on."""

    execution_options: Mapping[str, Any]


def defaults_context(connection: AsyncConnection) -> DefaultsContext:
    """The context of the statements run on `connection` (a session's: begun)."""
    assert connection.sync_connection is not None
    return DefaultsContext(connection.sync_connection.get_execution_options())


Source = Callable[[Mapping[str, Any], DefaultsContext], Any]


@dataclass(frozen=True, slots=True)
class _Update:
    sql: str
    parameters: tuple[Source, ...]
    """Per positional parameter: its converted value, from the caller's values, a fixed value
    in the statement, or the column's `onupdate` default."""

    def values(self, given: Mapping[str, Any], context: DefaultsContext) -> tuple[Any, ...]:
        return tuple(source(given, context) for source in self.parameters)


def _given(key: str, convert: Convert) -> Source:
    if convert is None:
        return lambda given, _context: given[key]
    return lambda given, _context: convert(given[key])


def _fixed(value: Any, convert: Convert) -> Source:
    converted = value if convert is None else convert(value)
    return lambda _given, _context: converted


def _made(make: Callable[[Any], Any], convert: Convert) -> Source:
    if convert is None:
        return lambda _given, context: make(context)
    return lambda _given, context: convert(make(context))


@dataclass(frozen=True, slots=True)
class _Insert:
    sql: str
    converters: tuple[Convert, ...]
    defaults: tuple[Any, ...]
    """Values (already converted) of the columns a row leaves out that have a Python default,
    made anew per row when the default is a function."""
    makers: tuple[tuple[Callable[[Any], Any], Convert], ...]

    def rows(
        self, keys: tuple[str, ...], given: Sequence[Mapping[str, Any]], context: DefaultsContext
    ) -> list[tuple[Any, ...]]:
        """The parameters of every row, converted a column at a time (one comprehension per
        column, not a branch per value); defaults made row by row, in the order SQLAlchemy
        makes them."""
        columns = [
            [row[key] for row in given] if convert is None else [convert(row[key]) for row in given]
            for key, convert in zip(keys, self.converters, strict=True)
        ]
        count = len(given)
        columns.extend([value] * count for value in self.defaults)
        if self.makers:
            made = [
                [
                    convert(make(context)) if convert else make(context)
                    for make, convert in self.makers
                ]
                for _ in range(count)
            ]
            columns.extend(map(list, zip(*made, strict=True)))
        return list(zip(*columns, strict=True))


_UPDATES: dict[tuple[int, tuple[str, ...]], tuple[Update, _Update | None]] = {}
_MEMORY = 512
_INSERTS: dict[tuple[Table, tuple[str, ...]], _Insert | None] = {}


async def driver_of(connection: AsyncConnection) -> OneHopConnection | None:
    """The session's SQLite driver connection, when statements may go to it directly."""
    raw = await connection.get_raw_connection()
    driver = raw.driver_connection
    return driver if isinstance(driver, OneHopConnection) else None


def run_update(
    driver: OneHopConnection,
    dialect: Dialect,
    statement: Update,
    values: Mapping[str, Any],
    context: DefaultsContext,
) -> int | None:
    """Run an UPDATE on the event loop now and answer its row
    count; None when it must go through SQLAlchemy instead. Call only where the group commit
    runs statements inline (`sqlite_driver.inline_statements`)."""
    # SQLAlchemy compiles a statement for the keys it is given (a key naming a column the
    # statement does not set adds it to the SET clause): so does this, once per key set.
    key = (id(statement), tuple(values))
    found = _UPDATES.get(key)
    if found is None or found[0] is not statement:
        if len(_UPDATES) >= _MEMORY:  # statements are prebuilt constants; a built one is not
            _UPDATES.clear()
        found = (statement, _prepare_update(statement, key[1], dialect))
        _UPDATES[key] = found
    prepared = found[1]
    if prepared is None:
        return None
    cursor: sqlite3.Cursor = driver.raw_connection().execute(
        prepared.sql, prepared.values(values, context)
    )
    return cursor.rowcount


async def insert_rows(
    driver: OneHopConnection,
    dialect: Dialect,
    table: Table,
    keys: tuple[str, ...],
    rows: Sequence[Mapping[str, Any]],
    context: DefaultsContext,
) -> bool:
    """INSERT `rows` (each with exactly `keys`) in one executemany on the connection's thread;
    False, with nothing done, when SQLAlchemy must do it."""
    key = (table, keys)
    if key not in _INSERTS:
        _INSERTS[key] = _prepare_insert(table, keys, dialect)
    prepared = _INSERTS[key]
    if prepared is None:
        return False
    values = prepared.rows(keys, rows, context)
    try:
        await driver.executemany_now(prepared.sql, values)
    except sqlite3.Error as error:
        # As SQLAlchemy's path raises it (`IntegrityError`, `OperationalError`, ...): a caller
        # that tells a refused write by its class sees the same one on either path.
        raise DBAPIError.instance(
            prepared.sql, values, error, sqlite3.Error, ismulti=True
        ) from None
    return True


def bind_converter(bind_type: Any, dialect: Dialect) -> Convert:
    """What a parameter of `bind_type` goes through before the driver: the type's own bind
    processor, or for a `UtcDateTime` the one-step `utc_text` that writes the same text."""
    converter: Convert = bind_type.dialect_impl(dialect).bind_processor(dialect)
    if isinstance(bind_type, UtcDateTime) and _same_text(converter, utc_text):
        return utc_text
    return converter


def utc_text(value: datetime | None) -> str | None:
    """A `UtcDateTime` as SQLite stores it, in one step: what its bind processor writes (UTC,
    naive, `YYYY-MM-DD HH:MM:SS.ffffff`) through a type decorator, `as_utc`, a `replace` and a
    `%`-format of seven fields, each row's timestamps (a sample's two, an event's one) paying for
    all of them."""
    if value is None:
        return None
    utc = value if value.tzinfo is UTC else as_utc(value)
    return _UTC_TEXT % (
        utc.year,
        utc.month,
        utc.day,
        utc.hour,
        utc.minute,
        utc.second,
        utc.microsecond,
    )


_UTC_TEXT = "%04d-%02d-%02d %02d:%02d:%02d.%06d"


_PROBES = (
    datetime(2026, 12, 7, 13, 5, 9, 123456, tzinfo=UTC),
    datetime(2026, 12, 7, 13, 5, 9, tzinfo=UTC),
    datetime(2026, 1, 1, 0, 30, tzinfo=timezone(timedelta(hours=2))),
    datetime(999, 3, 4, 5, 6, 7),
    None,
)


def _same_text(converter: Convert, fused: Callable[[datetime | None], str | None]) -> bool:
    """The fused converter writes exactly what the type's own does (checked once per column
    set: a dialect with another storage format keeps its own)."""
    return converter is not None and all(converter(p) == fused(p) for p in _PROBES)


def _prepare_update(statement: Update, keys: tuple[str, ...], dialect: Dialect) -> _Update | None:
    compiled: Compiled = statement.compile(dialect=dialect, column_keys=list(keys))
    assert isinstance(compiled, SQLCompiler)
    if compiled.effective_returning:  # a result to read: SQLAlchemy's path
        return None
    # Columns SQLAlchemy sets itself on UPDATE (`onupdate`), by their parameter's name.
    refreshed = {column.key: column for column in compiled.update_prefetch}
    parameters: list[Source] = []
    for name in compiled.positiontup or []:
        bind: BindParameter[Any] = compiled.binds[name]
        convert = bind_converter(bind.type, dialect)
        if name in refreshed:
            default: Any = refreshed[name].onupdate
            if default is None or not (default.is_callable or default.is_scalar):
                return None
            make = default.arg if default.is_callable else (lambda _c, v=default.arg: v)
            parameters.append(_made(make, convert))
        elif bind.expanding or bind.callable is not None:
            return None
        elif bind.required:
            parameters.append(_given(bind.key, convert))
        else:
            parameters.append(_fixed(bind.value, convert))
    return _Update(compiled.string, tuple(parameters))


def _prepare_insert(table: Table, keys: tuple[str, ...], dialect: Dialect) -> _Insert | None:
    if any(key not in table.c for key in keys):
        return None
    given = [table.c[key] for key in keys]
    fixed: list[tuple[Any, Any]] = []
    made: list[tuple[Any, Callable[[Any], Any]]] = []
    for column in table.c:
        if column.key in keys or column.default is None:
            continue
        default: Any = column.default
        if default.is_sequence or default.is_clause_element:
            return None
        if default.is_callable:
            made.append((column, default.arg))
        else:
            fixed.append((column, default.arg))
    columns = given + [c for c, _ in fixed] + [c for c, _ in made]
    preparer = dialect.identifier_preparer
    sql = (
        f"INSERT INTO {preparer.format_table(table)} "
        f"({', '.join(preparer.format_column(c) for c in columns)}) "
        f"VALUES ({', '.join('?' for _ in columns)})"
    )
    converters = tuple(bind_converter(c.type, dialect) for c in given)
    defaults = []
    for column, value in fixed:
        convert = bind_converter(column.type, dialect)
        defaults.append(convert(value) if convert else value)
    makers = tuple((make, bind_converter(column.type, dialect)) for column, make in made)
    return _Insert(sql, converters, tuple(defaults), makers)
