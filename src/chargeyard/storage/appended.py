"""Bulk INSERT of appended rows: ORM objects written with one multi-row statement per table.

The ORM flushes each new object with its own INSERT (and a round trip to fetch its generated
key); for rows nothing reads back before the commit (the event outbox, status history) that is
most of what an OCPP message costs the database layer. Here the objects' column values are read
once and sent as one executemany per table and column set, in the order they were appended (so
event sequence numbers follow commit order).
"""

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, cast

from sqlalchemy import Table, insert, inspect
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Mapper

from chargeyard.storage.sqlite_statements import defaults_context, driver_of, insert_rows

_COLUMNS: dict[type, list[tuple[str, str]]] = {}


@dataclass(frozen=True, slots=True)
class Values:
    """A row given as its column values, for a table whose rows are many and small (meter
    samples): building an ORM object for each would cost more than inserting it."""

    model: type
    values: dict[str, Any]


async def insert_appended(session: AsyncSession, rows: Sequence[Any]) -> None:
    if not rows:
        return
    # Rows may reference objects the session still holds unflushed (a station created in the
    # same transaction): the ORM writes those first.
    await session.flush()
    groups: dict[tuple[type, tuple[str, ...]], list[dict[str, Any]]] = {}
    for row in rows:
        if isinstance(row, Values):
            model, values = row.model, row.values
        else:
            model, values = type(row), _values(row)
        groups.setdefault((model, tuple(values)), []).append(values)
    connection = await session.connection()
    driver = await driver_of(connection)
    context = defaults_context(connection)
    for (cls, keys), batch in groups.items():
        table = cast(Table, inspect(cls).local_table)
        if driver is not None and await insert_rows(
            driver, connection.dialect, table, keys, batch, context
        ):
            continue
        # Core, not the ORM bulk insert: the rows are plain column values already.
        await session.execute(insert(table), batch)


def _values(row: Any) -> dict[str, Any]:
    """The row's set column values, keyed by attribute name (defaults fill the rest)."""
    columns = _COLUMNS.get(type(row))
    if columns is None:
        mapper: Mapper[Any] = inspect(type(row))
        columns = [(attribute.key, attribute.key) for attribute in mapper.column_attrs]
        _COLUMNS[type(row)] = columns
    state = row.__dict__
    return {column: state[key] for key, column in columns if key in state}
