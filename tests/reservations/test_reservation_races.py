"""A reservation used while it expires: a StartTransaction naming it, held inside its unit of
work once it has moved the reservation to Used, while the expiry sweep finds the reservation
due. Every writer of a reservation reads it locked (`reservations/repository.py: locked`), so
the sweep waits for the session's start (on SQLite behind the single writer, on PostgreSQL
(CHARGEYARD_TEST_POSTGRES_URL) on the reservation's row, seen in `pg_stat_activity`) and then
finds it no longer active. Without the lock, on PostgreSQL, the sweep expired it from what it
had read before, over the start's Used: a reservation its session had used, recorded as
expired."""

import asyncio
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import pytest

import chargeyard.reservations.expiry as expiry
from chargeyard.cluster.leases import LeaseKeeper
from chargeyard.reservations.models import Reservation
from chargeyard.reservations.service import ReservationService
from chargeyard.storage.session import AsyncSession
from chargeyard.storage.unit_of_work import UnitOfWork
from tests.commands.conftest import Online
from tests.conftest import Tenant
from tests.reservations.test_reservations import later, reservation, reserve
from tests.stations.test_boot_races import revision
from tests.support.contention import DEADLINE_S, HeldWrites


@dataclass
class Held:
    """The session's start, held once it has moved the reservation, until let go; the sweep
    rounds that found the reservation due (`due`) and that wrote (`swept`)."""

    reservation_id: int
    holding: asyncio.Event = field(default_factory=asyncio.Event)
    released: asyncio.Event = field(default_factory=asyncio.Event)
    due: asyncio.Event = field(default_factory=asyncio.Event)
    swept: asyncio.Event = field(default_factory=asyncio.Event)


def hold(monkeypatch: pytest.MonkeyPatch, reservation_id: int) -> Held:
    held = Held(reservation_id)
    used = ReservationService.used
    due_reservations = expiry.due_reservations
    expire_due = expiry.expire_due

    async def holding(service: ReservationService, *args: Any) -> None:
        await used(service, *args)
        held.holding.set()
        async with asyncio.timeout(DEADLINE_S):
            await held.released.wait()

    async def watched_due(session: AsyncSession, now: datetime) -> Sequence[Reservation]:
        found = await due_reservations(session, now)
        if any(r.id == held.reservation_id for r in found):
            held.due.set()
        return found

    async def watched_expiry(uow: UnitOfWork, clock: Any) -> int:
        try:
            return await expire_due(uow, clock)
        finally:
            if held.due.is_set():
                held.swept.set()

    acquire = LeaseKeeper.acquire

    async def leased(keeper: LeaseKeeper, name: str) -> bool:
        # The sweep's lease: renewing it is a write, which on SQLite waits behind the start
        # held here. Had its trusted part lapsed meanwhile, the sweep would queue for the lease
        # and never read the reservation due, until the deadline (seen on a loaded machine).
        return True if name == expiry.LEASE else await acquire(keeper, name)

    monkeypatch.setattr(LeaseKeeper, "acquire", leased)
    monkeypatch.setattr(ReservationService, "used", holding)
    monkeypatch.setattr(expiry, "due_reservations", watched_due)
    monkeypatch.setattr(expiry, "expire_due", watched_expiry)
    return held


async def test_a_reservation_used_as_it_expires_stays_used(
    tenant: Tenant, online: Online, monkeypatch: pytest.MonkeyPatch
) -> None:
    async with online() as (station_id, station):
        # 5 s ahead: long enough for the reservation to be made on a loaded machine first.
        _, made = await reserve(tenant, station_id, expires_at=later(5))
        assert made["status"] == "Accepted"
        before = (await tenant.api.get(f"/reservations/{made['id']}")).headers["ETag"]
        held = hold(monkeypatch, made["id"])
        start = asyncio.ensure_future(
            station.ok(
                "StartTransaction",
                {
                    "connectorId": 1,
                    "idTag": "TAG1",
                    "meterStart": 0,
                    "timestamp": "2026-01-01T10:00:00Z",
                    "reservationId": made["id"],
                },
            )
        )
        async with asyncio.timeout(DEADLINE_S):
            await held.holding.wait()
        # The sweep finds it due once its time is up, and waits for the start to commit.
        await HeldWrites(tenant.server).other_waiting(held.due, held.swept)
        held.released.set()
        async with asyncio.timeout(DEADLINE_S):
            started = await start
            await held.swept.wait()

    used = await reservation(tenant, made["id"])
    assert (used["status"], used["transaction_id"]) == ("Used", started["transactionId"])
    events = await tenant.api.get("/events", params={"type": "reservation.updated"})
    moves = [e["data"]["status"] for e in events.json()["items"] if e["data"]["id"] == made["id"]]
    assert "Expired" not in moves and moves.count("Used") == 1
    after = (await tenant.api.get(f"/reservations/{made['id']}")).headers["ETag"]
    assert revision(after) == revision(before) + 1  # moved once: to Used
