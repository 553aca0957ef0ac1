"""SQLite files go through the one-hop aiosqlite driver: same results, one thread hop a statement."""

from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select, text

from chargeyard.organizations.models import Organization
from chargeyard.storage.database import Database
from chargeyard.storage.migrate import upgrade_async
from chargeyard.storage.sqlite_driver import OneHopConnection


@pytest.fixture
async def db(tmp_path: Path) -> Any:
    url = f"sqlite+aiosqlite:///{tmp_path / 'driver.db'}"
    await upgrade_async(url)
    database = Database(url)
    yield database
    await database.dispose()


def count_hops(
    monkeypatch: pytest.MonkeyPatch, only: Any = None, by: list[Any] | None = None
) -> list[str]:
    """Hops made through `only` (a connection), or through every connection when None (then
    `by` receives the connection of each hop, in step with the list returned).

    The suite's server runs in this process, and its background tasks (the webhook dispatcher,
    the message log) make hops of their own on other connections at any moment.
    """
    hops: list[str] = []
    original = OneHopConnection._execute

    async def counted(self: OneHopConnection, fn: Any, *args: Any, **kwargs: Any) -> Any:
        if only is None or self is only:
            name = getattr(fn, "__name__", repr(fn))
            hops.append(f"{name} {args[1]}" if name == "_execute_and_fetch" else name)
            if by is not None:
                by.append(self)
        return await original(self, fn, *args, **kwargs)  # type: ignore[no-untyped-call]  # aiosqlite is untyped

    monkeypatch.setattr(OneHopConnection, "_execute", counted)
    return hops


async def own_connection(session: Any) -> OneHopConnection:
    """The aiosqlite connection under a unit of work's session."""
    connection = await session.connection()
    raw = await connection.get_raw_connection()
    driver = raw.driver_connection
    assert isinstance(driver, OneHopConnection)
    return driver


async def test_rows_come_back_whole_in_one_hop_per_statement(
    db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    async with db.writing() as uow:
        uow.session.add_all([Organization(name=f"org-{i}", revision=1) for i in range(150)])
        await uow.commit()
    async with db.reading() as uow:
        await uow.session.execute(text("SELECT 1"))  # the connection is open and begun
        hops = count_hops(monkeypatch, only=await own_connection(uow.session))
        names = (await uow.session.scalars(select(Organization.name))).all()
        count = await uow.session.scalar(select(func.count()).select_from(Organization))
        statements = list(hops)
    assert sorted(names) == sorted(f"org-{i}" for i in range(150))  # more than one fetch size
    assert count == 150
    assert [hop.split()[0] for hop in statements] == ["_execute_and_fetch"] * 2


async def test_writes_and_generated_keys_work_as_with_aiosqlite(db: Database) -> None:
    async with db.batched() as uow:
        organization = Organization(name="one", revision=1)
        uow.session.add(organization)
        await uow.session.flush()
        assert organization.id  # the primary key came back
        await uow.commit()
    async with db.reading() as uow:
        found = await uow.session.scalar(select(Organization).where(Organization.name == "one"))
    assert found is not None and found.id == organization.id


async def test_a_batched_unit_runs_its_statements_on_the_loop_and_commits_on_the_thread(
    db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    connections: list[Any] = []
    every_hop = count_hops(monkeypatch, by=connections)
    async with db.batched() as uow:
        uow.session.add_all([Organization(name=f"inline-{i}", revision=1) for i in range(3)])
        await uow.session.flush()
        await uow.session.scalar(select(func.count()).select_from(Organization))
        ours = await own_connection(uow.session)
        in_unit = [hop for hop, by in zip(every_hop, connections, strict=True) if by is ours]
        await uow.commit()
    hops = [hop for hop, by in zip(every_hop, connections, strict=True) if by is ours]
    statements = [hop.split(" ", 1)[1] for hop in in_unit if hop.startswith("_execute_and_fetch")]
    # Opening the connection and BEGIN IMMEDIATE (which may wait for another process's lock)
    # hop; the savepoint, the INSERTs and the SELECT ran on the loop.
    assert statements[-1] == "BEGIN IMMEDIATE"
    assert all(sql.startswith("PRAGMA") for sql in statements[:-1])
    assert "commit" in hops[len(in_unit) :]  # the fsync did not run on the loop
    async with db.reading() as uow:
        count = await uow.session.scalar(
            select(func.count()).where(Organization.name.like("inline-%"))
        )
    assert count == 3


async def test_outside_a_batched_unit_every_statement_hops(
    db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    async with db.writing() as uow:
        await uow.session.execute(text("SELECT 1"))
        hops = count_hops(monkeypatch, only=await own_connection(uow.session))
        uow.session.add(Organization(name="hopping", revision=1))
        await uow.session.flush()
        statements = list(hops)
        await uow.commit()
    assert len(statements) == 1 and statements[0].startswith("_execute_and_fetch INSERT")
