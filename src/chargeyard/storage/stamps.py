"""Row timestamps (`created_at`, `updated_at`, `received_at`...) from the injected clock of the
database that writes the row, never from the wall clock.

A `Database` is built with the process's clock (`create_app(settings, clock)` hands it the one
the server context holds) and binds its sessions to its engines with that clock as an execution
option (`with_clock`). Every statement run on those sessions carries it: an ORM flush, a Core
`insert()`/`update()` in a repository, the appended rows' bulk INSERT and the group commit's
guarded UPDATEs (`sqlite_statements.py` hands the same options to the defaults it runs itself).
So a column's Python default or `onupdate` (`stamp`) reads the time of the unit of work that
writes it, and `Tracked.touch` reads it through the session that holds the row (`row_clock`).

No schema change: these are Python-side defaults, which the database never sees. A statement
run outside a `Database` (a bare engine) has no clock to stamp from, and `stamp` says so rather
than fall back to the wall clock.
"""

from collections.abc import Mapping
from datetime import datetime
from typing import Any, Protocol

from sqlalchemy.ext.asyncio import AsyncEngine
from sqlalchemy.orm import object_session

from chargeyard.clock import Clock

CLOCK_OPTION = "chargeyard_clock"


class MissingClock(RuntimeError):
    """A row was stamped by a statement that did not come through a `Database`."""


class StatementContext(Protocol):
    """What a column default is called with: SQLAlchemy's execution context, or the prepared
    SQLite path's stand-in (`sqlite_statements.DefaultsContext`)."""

    @property
    def execution_options(self) -> Mapping[str, Any]: ...


def with_clock(engine: AsyncEngine, clock: Clock) -> AsyncEngine:
    """The same engine (pool, dialect, event listeners) whose connections carry `clock`."""
    return engine.execution_options(**{CLOCK_OPTION: clock})


def clock_in(options: Mapping[str, Any]) -> Clock:
    clock: Clock | None = options.get(CLOCK_OPTION)
    if clock is None:
        raise MissingClock(
            "a row timestamp needs a connection from a Database (it holds the clock)"
        )
    return clock


def stamp(context: StatementContext) -> datetime:
    """The column default and `onupdate` of every row timestamp: the writing unit's time."""
    return clock_in(context.execution_options)()


def row_clock(row: object) -> Clock:
    """The clock of the session that holds `row` (its database's)."""
    session = object_session(row)
    if session is None:
        raise MissingClock(f"{type(row).__name__} is in no session: nothing to take the time from")
    return clock_in(session.get_bind().get_execution_options())
