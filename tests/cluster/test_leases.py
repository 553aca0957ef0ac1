"""`LeaseKeeper` on a real database: one holder at a time, handed over on release and on expiry."""

import asyncio
import time
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import select

from chargeyard.cluster import repository
from chargeyard.cluster.leases import LeaseKeeper
from chargeyard.cluster.models import LeaseRow
from chargeyard.storage.database import Database
from chargeyard.storage.migrate import upgrade_async
from tests.support.databases import fresh_database

NAME = "test.job"


@pytest.fixture
async def url(tmp: Path) -> AsyncIterator[str]:
    async with fresh_database(tmp) as made:
        await upgrade_async(made)
        yield made


async def workers(url: str, count: int, ttl_s: float = 60.0) -> list[LeaseKeeper]:
    """Keepers that each have their own database handle, as separate processes would."""
    return [LeaseKeeper(Database(url), f"node-{n}:1", ttl_s) for n in range(count)]


async def dispose(keepers: list[LeaseKeeper]) -> None:
    for keeper in keepers:
        await keeper.db.dispose()


async def row(url: str) -> LeaseRow | None:
    db = Database(url)
    try:
        async with db.reading() as uow:
            return (await uow.session.execute(select(LeaseRow))).scalars().first()
    finally:
        await db.dispose()


async def test_of_many_workers_asking_at_once_exactly_one_wins(url: str) -> None:
    keepers = await workers(url, 6)
    try:
        won = await asyncio.gather(*(k.acquire(NAME) for k in keepers))
        assert won.count(True) == 1
        winner = keepers[won.index(True)]
        assert [k.holds(NAME) for k in keepers] == won
        found = await row(url)
        assert found is not None and found.holder == winner.holder
        assert await winner.acquire(NAME)  # asking again while holding it: still held
    finally:
        await dispose(keepers)


async def test_a_stopped_worker_hands_its_leases_over_at_once(url: str) -> None:
    first, second = await workers(url, 2)
    try:
        assert await first.acquire(NAME)
        assert not await second.acquire(NAME)
        assert not await second.acquire(NAME)  # asking again at once: no (and no write)
        await first.stop()
        assert not first.holds(NAME)
        await second.renew()  # the keeper's next round asks again, and the lease is free
        assert second.holds(NAME)
    finally:
        await dispose([first, second])


async def test_an_expired_lease_passes_to_another_and_its_old_holder_learns_it(url: str) -> None:
    first, second = await workers(url, 2)
    try:
        assert await first.acquire(NAME)
        db = Database(url)
        try:
            async with db.writing() as uow:  # as if the holder had died and stopped renewing
                await repository.expire(uow.session, NAME, datetime.now(UTC))
                await uow.commit()
        finally:
            await db.dispose()
        assert await second.acquire(NAME)
        await first.renew()
        assert not first.holds(NAME)
        assert not await first.acquire(NAME)
        assert second.holds(NAME)
    finally:
        await dispose([first, second])


async def test_a_holder_that_cannot_renew_stops_trusting_its_lease_before_it_expires(
    url: str,
) -> None:
    (keeper,) = await workers(url, 1, ttl_s=2.0)
    try:
        assert await keeper.acquire(NAME)
        deadline = time.monotonic() + 10
        while keeper.holds(NAME):  # nobody renews it (no keeper task is running)
            assert time.monotonic() < deadline
            await asyncio.sleep(0.01)
        stopped_trusting = datetime.now(UTC)
        found = await row(url)
        assert found is not None and found.expires_at > stopped_trusting
    finally:
        await dispose([keeper])


async def test_renewal_keeps_a_lease_and_retries_one_that_was_taken(url: str) -> None:
    first, second = await workers(url, 2, ttl_s=60.0)
    try:
        assert await first.acquire(NAME)
        before = await row(url)
        await first.renew()
        after = await row(url)
        assert before is not None and after is not None and after.expires_at > before.expires_at
        assert not await second.acquire(NAME)
        await first.release(NAME)
        await second.renew()  # second still wants it: renewal asks again, and now wins
        assert second.holds(NAME)
    finally:
        await dispose([first, second])
