"""Group commit: units share commits, stay durable, and fail alone."""

import asyncio
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import bindparam, event, func, select, update

from chargeyard.organizations.models import Organization
from chargeyard.storage.database import Database
from chargeyard.storage.group_commit import GuardedWrite, GuardMissed
from chargeyard.storage.migrate import upgrade_async


@pytest.fixture
async def db(tmp_path: Path) -> Any:
    url = f"sqlite+aiosqlite:///{tmp_path / 'group.db'}"
    await upgrade_async(url)
    database = Database(url)
    yield database
    await database.dispose()


def count_commits(db: Database) -> list[int]:
    commits = [0]

    def on_commit(_connection: Any) -> None:
        commits[0] += 1

    event.listen(db.engine.sync_engine, "commit", on_commit)
    return commits


async def names(db: Database) -> set[str]:
    async with db.reading() as uow:
        return set((await uow.session.scalars(select(Organization.name))).all())


async def test_concurrent_units_share_commits_and_are_all_durable(db: Database) -> None:
    commits = count_commits(db)

    async def add(name: str) -> None:
        async with db.batched() as uow:
            uow.session.add(Organization(name=name, revision=1))
            await uow.commit()

    await asyncio.gather(*(add(f"org-{i}") for i in range(50)))
    assert await names(db) == {f"org-{i}" for i in range(50)}
    assert 1 <= commits[0] < 50


async def test_a_failing_unit_rolls_back_alone(db: Database) -> None:
    async def add(name: str, fail: bool) -> None:
        async with db.batched() as uow:
            uow.session.add(Organization(name=name, revision=1))
            await uow.session.flush()
            if fail:
                raise RuntimeError("handler bug")
            await uow.commit()

    results = await asyncio.gather(
        *(add(f"unit-{i}", fail=i % 3 == 0) for i in range(12)), return_exceptions=True
    )
    assert [isinstance(r, RuntimeError) for r in results] == [i % 3 == 0 for i in range(12)]
    assert await names(db) == {f"unit-{i}" for i in range(12) if i % 3}


async def test_a_constraint_violation_fails_only_its_unit(db: Database) -> None:
    async def add(name: str) -> None:
        async with db.batched() as uow:
            uow.session.add(Organization(name=name, revision=1))
            await uow.commit()

    await add("taken")
    results = await asyncio.gather(
        add("taken"), add("free-1"), add("free-2"), return_exceptions=True
    )
    assert isinstance(results[0], Exception) and results[1:] == [None, None]
    assert await names(db) == {"taken", "free-1", "free-2"}


async def test_events_are_announced_only_after_the_commit(db: Database) -> None:
    seen: list[tuple[str, int]] = []

    async def committed_count() -> int:
        async with db.reading() as uow:
            return int(await uow.session.scalar(select(func.count(Organization.id))) or 0)

    def listener(rows: Any) -> None:
        seen.extend((row.name, -1) for row in rows)

    db.commit_listeners.append(listener)
    async with db.batched() as uow:
        row = Organization(name="announced", revision=1)
        uow.publish(row, row)
        assert seen == []
        await uow.commit()
    assert seen == [("announced", -1)]
    assert await committed_count() == 1


async def test_a_unit_left_without_commit_is_rolled_back(db: Database) -> None:
    async with db.batched() as uow:
        uow.session.add(Organization(name="abandoned", revision=1))
    async with db.batched() as uow:
        uow.session.add(Organization(name="kept", revision=1))
        await uow.commit()
    assert await names(db) == {"kept"}


async def test_writers_outside_the_group_still_get_their_turn(db: Database) -> None:
    async def batched(name: str) -> None:
        async with db.batched() as uow:
            uow.session.add(Organization(name=name, revision=1))
            await uow.commit()

    async def exclusive() -> None:
        async with db.writing() as uow:
            uow.session.add(Organization(name="exclusive", revision=1))
            await uow.commit()

    await asyncio.wait_for(
        asyncio.gather(*(batched(f"b-{i}") for i in range(20)), exclusive()), timeout=10
    )
    assert "exclusive" in await names(db) and len(await names(db)) == 21


async def test_deferred_units_store_their_rows_and_a_missed_guard_drops_only_its_own(
    db: Database,
) -> None:
    """Deferred units (no session, no savepoint) beside ordinary ones: each guarded write runs
    at the batch's commit; one that matches no row fails its unit alone, with nothing of it
    stored and its miss handler called, and its events never announced."""
    async with db.writing() as uow:
        uow.session.add(Organization(name="target", revision=1))
        await uow.commit()
    announced: list[str] = []
    db.commit_listeners.append(lambda rows: announced.extend(row.name for row in rows))
    missed: list[str] = []
    table = Organization.__table__

    def bump(name: str, revision: int) -> GuardedWrite:
        statement = (
            update(table)
            .where(table.c.name == bindparam("n"), table.c.revision == bindparam("r"))
            .values(revision=table.c.revision + 1)
        )
        return GuardedWrite(
            statement,
            {"n": name, "r": revision},
            lambda: missed.append(name),
            row=("organizations", name),
        )

    async def deferred(name: str, guard: GuardedWrite | None) -> None:
        async with db.deferred() as unit:
            row = Organization(name=name, revision=1)
            unit.publish(row, row)
            if guard is not None:
                unit.defer(guard)
            await unit.commit()

    async def ordinary(name: str) -> None:
        async with db.batched() as uow:
            uow.session.add(Organization(name=name, revision=1))
            await uow.commit()

    results = await asyncio.gather(
        deferred("d-plain", None),
        deferred("d-match", bump("target", 1)),
        deferred("d-miss", bump("target", 7)),
        ordinary("o-1"),
        return_exceptions=True,
    )
    assert results[:2] == [None, None] and results[3] is None
    assert isinstance(results[2], GuardMissed)
    assert missed == ["target"]
    assert await names(db) == {"target", "d-plain", "d-match", "o-1"}
    assert sorted(announced) == ["d-match", "d-plain"]
    async with db.reading() as uow:
        revision = await uow.session.scalar(
            select(Organization.revision).where(Organization.name == "target")
        )
    assert revision == 2


async def test_a_batch_of_deferred_units_alone_opens_its_own_transaction(db: Database) -> None:
    async def deferred(name: str) -> None:
        async with db.deferred() as unit:
            unit.append(Organization(name=name, revision=1))
            await unit.commit()

    await asyncio.gather(*(deferred(f"alone-{i}") for i in range(5)))
    assert await names(db) == {f"alone-{i}" for i in range(5)}
    async with db.deferred() as unit:
        await unit.commit()  # nothing to store: answered at once
    async with db.deferred() as unit:
        unit.append(Organization(name="left", revision=1))  # no commit: nothing stored
    assert "left" not in await names(db)


async def test_a_batch_runs_its_guarded_writes_in_row_order(db: Database) -> None:
    """Whatever order units join in, the guarded writes run ordered by the row each locks,
    and units on one row in the order they joined: two workers' batches on PostgreSQL then
    lock rows in one order and cannot deadlock. (Each write here matches nothing; its miss
    handler tells when it ran.)"""
    table = Organization.__table__
    ran: list[str] = []

    def write(label: str, row: str) -> GuardedWrite:
        statement = update(table).where(table.c.name == bindparam("n")).values(revision=1)
        return GuardedWrite(
            statement, {"n": f"absent-{label}"}, lambda: ran.append(label), row=("t", row)
        )

    async def deferred(label: str, row: str) -> None:
        async with db.deferred() as unit:
            unit.defer(write(label, row))
            with pytest.raises(GuardMissed):
                await unit.commit()

    commits = count_commits(db)
    await asyncio.gather(
        deferred("b-first", "b"),
        deferred("c", "c"),
        deferred("a", "a"),
        deferred("b-second", "b"),
    )
    assert commits == [1]
    assert ran == ["a", "b-first", "b-second", "c"]
