"""A BootNotification and a REST change of the same station, made to meet on purpose (issue
#15): the boot reads the station locked (`StationRepository.booting`), as a change guarded by
If-Match does (`api/dependencies.py: to_change`), so the two take turns.

Either way round. A REST change held inside its unit of work, just before its commit, while the
simulated station boots (with new firmware, so the boot raises the station's revision): the
boot's unit waits for the change, on SQLite behind the single writer, on PostgreSQL
(CHARGEYARD_TEST_POSTGRES_URL) on the station's row lock, seen in `pg_stat_activity`; once the
change is let go, the boot reads what it left. And a boot held once it has read the station,
while a REST change is sent: the change waits for the boot the same way.

Without the lock, on PostgreSQL, the boot decided on what it had read before the change
(Accepted though the operator had just rejected the station) and wrote the revision it had
computed then, so two versions shared one ETag: a change with the ETag from before the boot
went through, and the change's ETag named the booted station too."""

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from typing import Any

import pytest

from chargeyard.protocol.domain_session import DomainSession
from chargeyard.simulator.behaviour import Behaviour
from chargeyard.simulator.v16 import SimulatedStation
from chargeyard.stations.domain import BootDecision, BootInfo
from chargeyard.stations.models import Station
from chargeyard.stations.service import StationService
from tests.conftest import Tenant
from tests.support.contention import DEADLINE_S, held_writes
from tests.support.ocpp_client import PASSWORD


@dataclass
class BootsSeen:
    """Set as a BootNotification's handling begins (before its unit of work) and ends."""

    started: asyncio.Event = field(default_factory=asyncio.Event)
    finished: asyncio.Event = field(default_factory=asyncio.Event)


def watch_boots(monkeypatch: pytest.MonkeyPatch) -> BootsSeen:
    seen = BootsSeen()
    handle = DomainSession._boot

    async def watched(session: DomainSession, info: BootInfo) -> BootDecision:
        seen.started.set()
        try:
            return await handle(session, info)
        finally:
            seen.finished.set()

    monkeypatch.setattr(DomainSession, "_boot", watched)
    return seen


@dataclass
class HeldBoot:
    """A boot held once it has read the station (`StationService.boot` begins), until let go."""

    holding: asyncio.Event = field(default_factory=asyncio.Event)
    released: asyncio.Event = field(default_factory=asyncio.Event)


def hold_boots(monkeypatch: pytest.MonkeyPatch) -> HeldBoot:
    held = HeldBoot()
    boot = StationService.boot

    async def holding(service: StationService, station: Station, *args: Any) -> BootDecision:
        held.holding.set()
        async with asyncio.timeout(DEADLINE_S):
            await held.released.wait()
        return await boot(service, station, *args)

    monkeypatch.setattr(StationService, "boot", holding)
    return held


@asynccontextmanager
async def booted(tenant: Tenant) -> AsyncIterator[tuple[SimulatedStation, str]]:
    """A registered station, connected and booted once; with its REST path."""
    station_id = tenant.unique("CP")
    made = await tenant.api.post("/stations", json={"id": station_id, "password": PASSWORD})
    assert made.status_code == 201, made.text
    simulated = SimulatedStation(
        tenant.server.ocpp_url, station_id, password=PASSWORD, behaviour=Behaviour()
    )
    async with simulated:
        assert (await simulated.boot()).value == "Accepted"
        yield simulated, f"/stations/{station_id}"


def revision(etag: str) -> int:
    return int(etag.strip('"').rsplit(".", 1)[1])


@pytest.mark.parametrize(
    ("name", "value", "answered"),
    [("name", "Bay 1", "Accepted"), ("registration_status", "Rejected", "Rejected")],
)
async def test_a_boot_during_a_station_change_waits_for_it_and_reads_what_it_left(
    name: str, value: str, answered: str, tenant: Tenant, monkeypatch: pytest.MonkeyPatch
) -> None:
    async with booted(tenant) as (simulated, path):
        etag = (await tenant.api.get(path)).headers["ETag"]
        seen = watch_boots(monkeypatch)
        simulated.firmware_version = "2.0.0"
        async with held_writes(tenant.server) as gate:
            change = asyncio.ensure_future(
                tenant.api.patch(path, json={name: value}, headers={"If-Match": etag})
            )
            await gate.holding_first()
            boot = asyncio.ensure_future(simulated.boot())
            await gate.other_waiting(seen.started, seen.finished)
            gate.release_first()
            async with asyncio.timeout(DEADLINE_S):
                changed, registration = await change, await boot

    assert changed.status_code == 200, changed.text
    assert registration.value == answered  # the boot read the change
    after = await tenant.api.get(path)
    assert after.json()[name] == value
    assert after.json()["firmware_version"] == "2.0.0"
    # Each raised the revision once, in turn: the change's ETag names only its own version.
    assert revision(changed.headers["ETag"]) == revision(etag) + 1
    assert revision(after.headers["ETag"]) == revision(etag) + 2
    stale = await tenant.api.patch(
        path, json={"name": "Bay 2"}, headers={"If-Match": changed.headers["ETag"]}
    )
    assert stale.status_code == 412, stale.text


@pytest.mark.parametrize("conditional", [True, False])
async def test_a_station_change_during_a_boot_waits_for_it(
    conditional: bool, tenant: Tenant, monkeypatch: pytest.MonkeyPatch
) -> None:
    async with booted(tenant) as (simulated, path):
        etag = (await tenant.api.get(path)).headers["ETag"]
        held = hold_boots(monkeypatch)
        simulated.firmware_version = "2.0.0"
        async with held_writes(tenant.server) as gate:
            gate.release_first()  # the boot is held, not the change
            boot = asyncio.ensure_future(simulated.boot())
            async with asyncio.timeout(DEADLINE_S):
                await held.holding.wait()
            headers = {"If-Match": etag} if conditional else {}
            change = asyncio.ensure_future(
                tenant.api.patch(path, json={"name": "Bay 1"}, headers=headers)
            )
            finished = asyncio.Event()
            change.add_done_callback(lambda _: finished.set())
            await gate.other_waiting(gate.first_started, finished)
            held.released.set()
            async with asyncio.timeout(DEADLINE_S):
                registration, changed = await boot, await change

    assert registration.value == "Accepted"
    after = await tenant.api.get(path)
    assert after.json()["firmware_version"] == "2.0.0"
    if conditional:  # named the version before the boot, which is no longer current
        assert changed.status_code == 412, changed.text
        assert after.headers["ETag"] in changed.json()["detail"]
        assert revision(after.headers["ETag"]) == revision(etag) + 1
        assert after.json()["name"] != "Bay 1"
    else:  # applied to what the boot left
        assert changed.status_code == 200, changed.text
        assert after.json()["name"] == "Bay 1"
        assert changed.headers["ETag"] == after.headers["ETag"]
        assert revision(after.headers["ETag"]) == revision(etag) + 2
