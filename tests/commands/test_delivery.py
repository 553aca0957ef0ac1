"""How a command travels: offline, timeouts, background delivery, bulk, tenancy, events."""

import asyncio
from typing import Any

from sqlalchemy import select

from chargeyard.events.models import Event
from chargeyard.storage.database import Database
from tests.commands.conftest import Online, command, register
from tests.conftest import Tenant
from tests.support.payloads import fits


async def events_of(tenant: Tenant, command_id: str) -> list[tuple[str, dict[str, Any]]]:
    db = Database(tenant.server.settings.database_url)
    try:
        async with db.reading() as uow:
            rows = await uow.session.execute(
                select(Event).where(Event.organization_id == tenant.organization_id)
            )
            found = [
                (e.type, e.data) for e in rows.scalars() if e.data.get("command_id") == command_id
            ]
    finally:
        await db.dispose()
    for type, data in found:
        fits(type, data)
    return found


async def test_offline_station_is_409_and_audited(tenant: Tenant) -> None:
    station_id = await register(tenant)
    response = await command(tenant, station_id, "reset", {"type": "soft"})
    assert response.status_code == 409
    problem = response.json()
    assert problem["title"] == "Station offline"
    record = (await tenant.api.get(f"/commands/{problem['command_id']}")).json()
    assert (record["state"], record["status"], record["http_status"]) == (
        "failed",
        "StationOffline",
        409,
    )
    assert record["ocpp_action"] is None
    types = [t for t, _ in await events_of(tenant, record["id"])]
    assert types == ["command.failed"]


async def test_silent_station_is_504_after_the_requested_timeout(
    tenant: Tenant, online: Online
) -> None:
    async with online() as (station_id, station):
        station.silent.add("Reset")
        started = asyncio.get_running_loop().time()
        response = await command(tenant, station_id, "reset", {}, timeout=0.3)
        elapsed = asyncio.get_running_loop().time() - started
        assert response.status_code == 504
        assert 0.3 <= elapsed < 3
        assert station.calls("Reset") == [{"type": "Soft"}]
        # The lock is free again: the next command goes through.
        station.silent.clear()
        assert (await command(tenant, station_id, "clear-cache", {})).status_code == 200
    record = (await tenant.api.get(f"/commands/{response.json()['command_id']}")).json()
    assert (record["status"], record["ocpp_action"]) == ("StationTimeout", "Reset")
    types = [t for t, _ in await events_of(tenant, record["id"])]
    assert sorted(types) == ["command.failed", "command.sent"]


async def test_timeout_beyond_the_server_limit_is_422(tenant: Tenant, online: Online) -> None:
    async with online() as (station_id, station):
        response = await command(tenant, station_id, "reset", {}, timeout=3600)
        assert response.status_code == 422
        assert station.calls("Reset") == []


async def test_wait_false_answers_202_and_the_command_can_be_polled(
    tenant: Tenant, online: Online
) -> None:
    async with online() as (station_id, station):
        station.silent.add("Reset")
        response = await command(
            tenant, station_id, "reset", {"type": "hard"}, wait="false", timeout=0.5
        )
        assert response.status_code == 202
        pending = response.json()
        assert (pending["state"], pending["command"]) == ("pending", "reset")
        await station.wait_for("Reset")
        polled = (await tenant.api.get(f"/commands/{pending['id']}")).json()
        assert polled["state"] == "pending"
        station.silent.clear()
        response = await command(
            tenant, station_id, "unlock-connector", {"evse_id": 1}, wait="false"
        )
        for _ in range(600):
            polled = (await tenant.api.get(f"/commands/{response.json()['id']}")).json()
            if polled["state"] != "pending":
                break
            await asyncio.sleep(0.05)
        assert (polled["state"], polled["status"]) == ("answered", "Unlocked")
        assert polled["response"] == {"status": "Unlocked"}
        types = sorted(t for t, _ in await events_of(tenant, polled["id"]))
        assert types == ["command.answered", "command.sent"]


async def test_bulk_reports_each_station(tenant: Tenant, online: Online) -> None:
    offline = await register(tenant)
    async with online() as (first, one), online() as (second, two):
        two.answers["ChangeAvailability"] = {"status": "Scheduled"}
        response = await tenant.api.post(
            "/commands/change-availability",
            json={"station_ids": [first, second, offline, "nope"], "evse_id": 1, "operative": True},
        )
        assert response.status_code == 200, response.text
        results = {r["station_id"]: r for r in response.json()["results"]}
        assert one.calls("ChangeAvailability") == [{"connectorId": 1, "type": "Operative"}]
        assert two.calls("ChangeAvailability") == [{"connectorId": 1, "type": "Operative"}]
    assert (results[first]["http_status"], results[first]["status"]) == (200, "Accepted")
    assert results[second]["status"] == "Scheduled"
    assert results[offline]["http_status"] == 409
    assert results[offline]["command_id"] is not None
    assert (results["nope"]["http_status"], results["nope"]["command_id"]) == (404, None)


async def test_another_tenants_station_is_404_and_nothing_is_sent(
    tenant: Tenant, other_tenant: Tenant, online: Online
) -> None:
    async with online() as (station_id, station):
        response = await command(other_tenant, station_id, "reset", {})
        assert response.status_code == 404
        assert station.calls("Reset") == []
        listing = (
            await other_tenant.api.get("/commands", params={"station_id": station_id})
        ).json()
        assert listing["total"] == 0


async def test_audit_log_filters(tenant: Tenant, online: Online) -> None:
    async with online() as (first, _one), online() as (second, _two):
        await command(tenant, first, "reset", {})
        await command(tenant, first, "clear-cache", {})
        await command(tenant, second, "reset", {})
        everything = (await tenant.api.get("/commands")).json()
        assert everything["total"] == 3
        newest = everything["items"][0]
        assert newest["station_id"] == second and newest["command"] == "reset"
        actor = newest["actor"]
        assert actor.startswith("token:")

        async def total(**params: Any) -> int:
            return int((await tenant.api.get("/commands", params=params)).json()["total"])

        assert await total(station_id=first) == 2
        assert await total(command="reset") == 2
        assert await total(station_id=first, command="reset") == 1
        assert await total(actor=actor) == 3
        assert await total(actor="user:someone-else") == 0
        middle = everything["items"][1]["requested_at"]
        assert await total(since=middle) == 2
        assert await total(until=middle) == 1
        assert newest["duration_ms"] >= 0 and newest["finished_at"] is not None
