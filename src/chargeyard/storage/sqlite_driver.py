"""aiosqlite with one thread hop per statement, for SQLite database files.

aiosqlite runs every call on the connection's own thread and awaits the result, and SQLAlchemy's
adapter makes four such calls for a SELECT (open a cursor, execute, fetch the rows, close the
cursor) and three for a write. Each hop waits for the event loop to come round again, and on the
group-commit path (`group_commit.py`) the single writer is held across every hop of a unit of
work, so under load the hops, not SQLite, set how many OCPP messages a node commits per second.

Here a statement is one hop: `execute` fetches the rows in the same call on the connection's
thread, and opening or closing a cursor happens on the loop (a Python object; no SQL, no I/O).
Every statement, commit and rollback runs on the connection's thread, so the event loop never
waits for the disk, except inside `inline_statements()`: there a statement runs on the event
loop at once. A hop costs the loop about 75 microseconds of CPU (a queue, a thread switch, a
future and a loop wake-up), more than an indexed SELECT or a one-row UPDATE costs SQLite, and
an OCPP message makes several. The group commit (`group_commit.py`) runs its units inline: they
are short by contract and hold the single writer, so no statement of theirs waits for a lock;
what can wait stays on the thread even there: `BEGIN IMMEDIATE` (another process may hold the
write lock), `COMMIT` (the fsync, and the WAL checkpoint) and `ROLLBACK`. Transactions and
durability are untouched.
"""

import sqlite3
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager as sync_contextmanager
from contextvars import ContextVar
from functools import partial
from typing import Any, TypeVar

import aiosqlite
from aiosqlite.context import contextmanager

T = TypeVar("T")

_INLINE: ContextVar[bool] = ContextVar("chargeyard_sqlite_inline", default=False)
# Statements that may wait (for another process's lock, for the disk) keep their hop.
_WAITING = ("BEGIN", "COMMIT", "END", "ROLLBACK", "PRAGMA", "VACUUM", "CHECKPOINT")


@sync_contextmanager
def inline_statements() -> Iterator[None]:
    """Statements run in this block (this task and what it awaits) run on the event loop,
    except those that may wait for a lock or the disk."""
    token = _INLINE.set(True)
    try:
        yield
    finally:
        _INLINE.reset(token)


def _runs_inline(sql: str) -> bool:
    if not _INLINE.get():
        return False
    head = sql.lstrip()[:10].upper()
    return not head.startswith(_WAITING) or head.startswith("ROLLBACK T")  # ROLLBACK TO savepoint


class OneHopCursor(aiosqlite.Cursor):
    def __init__(self, conn: aiosqlite.Connection, cursor: sqlite3.Cursor) -> None:
        super().__init__(conn, cursor)
        self._rows: deque[Any] = deque()

    async def execute(self, sql: str, parameters: Iterable[Any] | None = None) -> "OneHopCursor":
        if _runs_inline(sql):
            rows = _execute_and_fetch(self._cursor, sql, parameters or ())
        else:
            rows = await self._hop(_execute_and_fetch, self._cursor, sql, parameters or ())
        self._rows = deque(rows)
        return self

    async def executemany(self, sql: str, parameters: Iterable[Iterable[Any]]) -> "OneHopCursor":
        self._rows.clear()
        if _runs_inline(sql):
            self._cursor.executemany(sql, parameters)  # type: ignore[arg-type]  # as aiosqlite passes them
        else:
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

    def raw_connection(self) -> sqlite3.Connection:
        """The `sqlite3` connection, for statements run on the event loop where statements run
        inline (`sqlite_statements.py`)."""
        return self._conn

    async def executemany_now(self, sql: str, rows: list[tuple[Any, ...]]) -> None:
        """One executemany on the connection's thread (as a cursor's would hop), no cursor."""
        await self._execute(self._conn.executemany, sql, rows)  # type: ignore[no-untyped-call]  # aiosqlite is untyped

    def run_inline(self, sql: str) -> bool:
        """Run `sql`, a statement with no result (a savepoint's), on the event loop now if
        statements here run inline (`inline_statements`): True if it ran. It then skips
        SQLAlchemy's execution machinery as well, which costs more than SQLite's own work."""
        if not _runs_inline(sql):
            return False
        self._conn.execute(sql)
        return True


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
