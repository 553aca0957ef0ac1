"""The two writes a password change through the station makes to the station (each raises its
revision), each made to meet a REST change of the same station on purpose:

- staging: the station accepts the new password, and the command's outcome stages it
  (`commands/station_passwords.py: _stage`);
- promotion: the station's first connection with the new password retires the old one
  (`stations/access.py: _promote`).

Both read the station locked, as a change guarded by If-Match does, so each takes turns with the
change. Without the lock, on PostgreSQL (CHARGEYARD_TEST_POSTGRES_URL), each wrote the revision
it had computed before the change, and two versions of the station shared one ETag."""

import asyncio
from dataclasses import dataclass, field
from typing import Any

import pytest

import chargeyard.stations.access as access
from tests.commands.conftest import command, register
from tests.commands.station import scripted_station
from tests.conftest import Tenant
from tests.stations.test_boot_races import revision
from tests.stations.test_credentials import NEW, admitted
from tests.support.contention import DEADLINE_S, held_writes
from tests.support.ocpp_client import PASSWORD


@dataclass
class WriteSeen:
    """Set as the station's write begins (before its unit of work) and as it ends."""

    started: asyncio.Event = field(default_factory=asyncio.Event)
    finished: asyncio.Event = field(default_factory=asyncio.Event)


def watch_promotions(monkeypatch: pytest.MonkeyPatch) -> WriteSeen:
    seen = WriteSeen()
    promote = access._promote

    async def watched(*args: Any) -> None:
        seen.started.set()
        try:
            await promote(*args)
        finally:
            seen.finished.set()

    monkeypatch.setattr(access, "_promote", watched)
    return seen


async def test_a_station_back_with_its_new_password_during_a_change_waits_for_it(
    tenant: Tenant, monkeypatch: pytest.MonkeyPatch
) -> None:
    station_id = await register(tenant)
    async with scripted_station(tenant.server.ocpp_url, station_id):
        staged = await command(
            tenant, station_id, "change-configuration", {"key": "AuthorizationKey", "value": NEW}
        )
        assert staged.status_code == 200 and staged.json()["status"] == "Accepted"
    path = f"/stations/{station_id}"
    etag = (await tenant.api.get(path)).headers["ETag"]
    seen = watch_promotions(monkeypatch)
    async with held_writes(tenant.server) as gate:
        change = asyncio.ensure_future(
            tenant.api.patch(path, json={"name": "Bay 1"}, headers={"If-Match": etag})
        )
        await gate.holding_first()
        back = asyncio.ensure_future(admitted(tenant, station_id, NEW))
        await gate.other_waiting(seen.started, seen.finished)
        gate.release_first()
        async with asyncio.timeout(DEADLINE_S):
            changed, came_back = await change, await back

    assert changed.status_code == 200, changed.text
    assert came_back and not await admitted(tenant, station_id, PASSWORD)
    after = await tenant.api.get(path)
    assert after.json()["name"] == "Bay 1"
    # Each raised the revision once, in turn: the change's ETag names only its own version.
    assert revision(changed.headers["ETag"]) == revision(etag) + 1
    assert revision(after.headers["ETag"]) == revision(etag) + 2
    stale = await tenant.api.patch(
        path, json={"name": "Bay 2"}, headers={"If-Match": changed.headers["ETag"]}
    )
    assert stale.status_code == 412, stale.text


async def test_a_password_staged_during_a_change_waits_for_it(tenant: Tenant) -> None:
    station_id = await register(tenant)
    path = f"/stations/{station_id}"
    async with scripted_station(tenant.server.ocpp_url, station_id):
        etag = (await tenant.api.get(path)).headers["ETag"]
        async with held_writes(tenant.server) as gate:
            change = asyncio.ensure_future(
                tenant.api.patch(path, json={"name": "Bay 1"}, headers={"If-Match": etag})
            )
            await gate.holding_first()
            # The command's course (build, send, stage) is the other write: on SQLite it queues
            # behind the change at once, on PostgreSQL the staging waits on the station's row.
            seen = WriteSeen()
            seen.started.set()
            staging = asyncio.ensure_future(
                command(
                    tenant,
                    station_id,
                    "change-configuration",
                    {"key": "AuthorizationKey", "value": NEW},
                )
            )
            staging.add_done_callback(lambda _: seen.finished.set())
            await gate.other_waiting(seen.started, seen.finished)
            gate.release_first()
            async with asyncio.timeout(DEADLINE_S):
                changed, staged = await change, await staging

    assert changed.status_code == 200, changed.text
    assert staged.status_code == 200 and staged.json()["status"] == "Accepted", staged.text
    after = await tenant.api.get(path)
    assert after.json()["name"] == "Bay 1"
    assert revision(changed.headers["ETag"]) == revision(etag) + 1
    assert revision(after.headers["ETag"]) == revision(etag) + 2
    stale = await tenant.api.patch(
        path, json={"name": "Bay 2"}, headers={"If-Match": changed.headers["ETag"]}
    )
    assert stale.status_code == 412, stale.text
    # The staged password admits the station (and its first use retires the old one).
    assert await admitted(tenant, station_id, NEW)
    assert not await admitted(tenant, station_id, PASSWORD)
