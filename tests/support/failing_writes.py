"""Make a real database refuse writes to some tables, and accept them again.

A trigger that raises on INSERT and UPDATE: the server's own statements fail inside the database,
as they would on a full disk or a read-only file, with no mock deciding the outcome. Works on
SQLite and PostgreSQL.
"""

from sqlalchemy import text

from chargeyard.storage.database import Database

_PG_FUNCTION = """
CREATE OR REPLACE FUNCTION chargeyard_test_refuse() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN RAISE EXCEPTION 'no space left on device (test)'; END $$
"""


async def refuse_writes(database_url: str, tables: list[str]) -> None:
    db = Database(database_url)
    try:
        async with db.writing() as uow:
            if not db.is_sqlite:
                await uow.session.execute(text(_PG_FUNCTION))
            for table in tables:
                for operation in ("INSERT", "UPDATE"):
                    name = f"refuse_{operation.lower()}_{table}"
                    if db.is_sqlite:
                        statement = (
                            f"CREATE TRIGGER {name} BEFORE {operation} ON {table} "
                            "BEGIN SELECT RAISE(ABORT, 'no space left on device (test)'); END"
                        )
                    else:
                        statement = (
                            f"CREATE TRIGGER {name} BEFORE {operation} ON {table} "
                            "FOR EACH ROW EXECUTE FUNCTION chargeyard_test_refuse()"
                        )
                    await uow.session.execute(text(statement))
            await uow.commit()
    finally:
        await db.dispose()


async def allow_writes(database_url: str, tables: list[str]) -> None:
    db = Database(database_url)
    try:
        async with db.writing() as uow:
            for table in tables:
                for operation in ("insert", "update"):
                    on = "" if db.is_sqlite else f" ON {table}"
                    await uow.session.execute(text(f"DROP TRIGGER refuse_{operation}_{table}{on}"))
            await uow.commit()
    finally:
        await db.dispose()
