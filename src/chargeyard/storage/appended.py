"""Bulk INSERT of appended rows: ORM objects written with one multi-row statement per table.

The ORM flushes each new object with its own INSERT (and a round trip to fetch its generated
key); for rows nothing reads back before the commit (the event outbox, status history) that is
most of what an OCPP message costs the database layer. Here the objects' column values are read
once and sent as one executemany per table and column set, in the order they were appended (so
event sequence numbers follow commit order).
"""

from collections.abc import Sequence
from typing import Any

from sqlalchemy import inspect, insert
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Mapper

_COLUMNS: dict[type, list[tuple[str, str]]] = {}


async def insert_appended(session: AsyncSession, rows: Sequence[Any]) -> None:
    if not rows:
        return
    # Rows may reference objects the session still holds unflushed (a station created in the
    # same transaction): the ORM writes those first.
    await session.flush()
    groups: dict[tuple[type, tuple[str, ...]], list[dict[str, Any]]] = {}
    for row in rows:
        values = _values(row)
        groups.setdefault((type(row), tuple(values)), []).append(values)
    for (cls, _keys), batch in groups.items():
        await session.execute(insert(cls), batch)


def _values(row: Any) -> dict[str, Any]:
    """The row's set column values, keyed by attribute name (defaults fill the rest)."""
    columns = _COLUMNS.get(type(row))
    if columns is None:
        mapper: Mapper[Any] = inspect(type(row))
        columns = [(attribute.key, attribute.key) for attribute in mapper.column_attrs]
        _COLUMNS[type(row)] = columns
    state = row.__dict__
    return {column: state[key] for key, column in columns if key in state}
