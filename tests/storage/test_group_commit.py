"""Group commit: units share commits, stay durable, and fail alone."""

import asyncio
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import event, func, select

from chargeyard.organizations.models import Organization
from chargeyard.storage.database import Database
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
        uow.publish(Organization(name="announced", revision=1))
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
