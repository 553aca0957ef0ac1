"""aiosqlite with one thread hop per statement, for SQLite database files.

aiosqlite runs every call on the connection's own thread and awaits the result, and SQLAlchemy's
adapter makes four such calls for a SELECT (open a cursor, execute, fetch the rows, close the
cursor) and three for a write. Each hop waits for the event loop to come round again, and on the
group-commit path (`group_commit.py`) the single writer is held across every hop of a unit of
work, so under load the hops, not SQLite, set how many OCPP messages a node commits per second.

Here a statement is one hop: `execute` fetches the rows in the same call on the connection's
thread, and opening or closing a cursor happens on the loop (a Python object; no SQL, no I/O).
Every statement, commit and rollback still runs on the connection's thread, so the event loop
never waits for the disk. Transactions and durability are untouched.
"""

import sqlite3
from collections import deque
from collections.abc import Callable, Iterable
from functools import partial
from typing import Any, TypeVar

import aiosqlite
from aiosqlite.context import contextmanager

T = TypeVar("T")


class OneHopCursor(aiosqlite.Cursor):
    def __init__(self, conn: aiosqlite.Connection, cursor: sqlite3.Cursor) -> None:
        super().__init__(conn, cursor)
        self._rows: deque[Any] = deque()

    async def execute(self, sql: str, parameters: Iterable[Any] | None = None) -> "OneHopCursor":
        self._rows = deque(await self._hop(_execute_and_fetch, self._cursor, sql, parameters or ()))
        return self

    async def executemany(self, sql: str, parameters: Iterable[Iterable[Any]]) -> "OneHopCursor":
        self._rows.clear()
        await self._hop(self._cursor.executemany, sql, parameters)
        return self

    async def _hop(self, function: Callable[..., T], *args: Any) -> T:
        """Run `function` on the connection's thread."""
        result: T = await self._execute(function, *args)  # type: ignore[no-untyped-call]  # aiosqlite is untyped
        return result

    async def fetchone(self) -> Any:
        return self._rows.popleft() if self._rows else None

    async def fetchmany(self, size: int | None = None) -> list[Any]:
        count = min(self.arraysize if size is None else size, len(self._rows))
        return [self._rows.popleft() for _ in range(count)]

    async def fetchall(self) -> list[Any]:
        rows = list(self._rows)
        self._rows.clear()
        return rows

    async def close(self) -> None:
        self._rows.clear()
        self._cursor.close()  # the statement has run to completion: nothing left to wait for


class OneHopConnection(aiosqlite.Connection):
    @contextmanager
    async def cursor(self) -> aiosqlite.Cursor:
        return OneHopCursor(self, self._conn.cursor())


def _execute_and_fetch(cursor: sqlite3.Cursor, sql: str, parameters: Any) -> list[Any]:
    cursor.execute(sql, parameters)
    return cursor.fetchall() if cursor.description is not None else []


def one_hop_connector(path: str, **kwargs: Any) -> Callable[[], OneHopConnection]:
    """An `async_creator` for `create_async_engine`: connections to the database file `path`.

    The sqlite3 connection must allow use from the loop's thread (`check_same_thread=False`):
    cursors are opened and closed there, never while the connection's thread runs a statement,
    because SQLAlchemy awaits each call before the next.
    """

    def connect() -> OneHopConnection:
        connection = OneHopConnection(
            partial(sqlite3.connect, path, **kwargs | {"check_same_thread": False}),
            iter_chunk_size=64,
        )
        connection._thread.daemon = True  # as SQLAlchemy does for aiosqlite: never block exit
        return connection

    return connect
