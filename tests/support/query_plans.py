"""How SQLite answers the SELECTs a piece of code runs: the statements captured on an engine as
they go out, then explained (`EXPLAIN QUERY PLAN`) on the database file. For the tests that
hold a lookup to its index: a plan says whether a query's cost grows with the history, which no
timing on a test's small tables can."""

import contextlib
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from sqlalchemy import event
from sqlalchemy.ext.asyncio import AsyncEngine

Statement = tuple[str, Any]
"""A statement's SQL and its parameters, as the driver got them."""


@contextlib.contextmanager
def selects_from(engine: AsyncEngine, table: str) -> Iterator[list[Statement]]:
    """The SELECTs naming `table` that `engine` runs inside the block, in order."""
    run: list[Statement] = []

    def record(_conn: Any, _cursor: Any, sql: str, parameters: Any, *_: Any) -> None:
        if sql.lstrip().upper().startswith("SELECT") and table in sql:
            run.append((sql, parameters))

    event.listen(engine.sync_engine, "before_cursor_execute", record)
    try:
        yield run
    finally:
        event.remove(engine.sync_engine, "before_cursor_execute", record)


def query_plans(database: Path, statements: list[Statement]) -> list[str]:
    """Every step of SQLite's plan for each statement, on the database file `database`."""
    with contextlib.closing(sqlite3.connect(database)) as connection:
        return [
            str(row[3])
            for sql, parameters in statements
            for row in connection.execute(f"EXPLAIN QUERY PLAN {sql}", parameters)
        ]
