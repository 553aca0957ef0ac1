"""The API against the project's simulated 1.6 charge point, accepting and rejecting."""

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from chargeyard.simulator.behaviour import Behaviour
from chargeyard.simulator.v16 import SimulatedStation
from tests.commands.conftest import command, register
from tests.conftest import Tenant
from tests.support.ocpp_client import PASSWORD

PROFILE = {
    "id": 4,
    "purpose": "TxDefaultProfile",
    "kind": "Relative",
    "schedule": {"unit": "A", "periods": [{"start_offset_s": 0, "limit": 16}]},
}


def body_for(name: str) -> dict[str, Any]:
    expiry = (datetime.now(UTC) + timedelta(hours=1)).isoformat()
    return {
        "unlock-connector": {"evse_id": 1},
        "change-availability": {"evse_id": 1, "operative": False},
        "trigger-message": {"message": "Heartbeat"},
        "change-configuration": {"key": "HeartbeatInterval", "value": "120"},
        "clear-cache": {},
        "data-transfer": {"vendor_id": "Chargeyard", "data": "ping"},
        "reserve-now": {"evse_id": 2, "id_tag": "SIM", "expires_at": expiry},
        "send-local-list": {"update_type": "full", "id_tags": [], "version": 5},
        "set-charging-profile": {"evse_id": 1, "charging_profile": PROFILE},
        "get-composite-schedule": {"evse_id": 1, "duration": 600, "charging_rate_unit": "A"},
    }[name]


ACTIONS = {
    "unlock-connector": "UnlockConnector",
    "change-availability": "ChangeAvailability",
    "trigger-message": "TriggerMessage",
    "change-configuration": "ChangeConfiguration",
    "clear-cache": "ClearCache",
    "data-transfer": "DataTransfer",
    "reserve-now": "ReserveNow",
    "send-local-list": "SendLocalList",
    "set-charging-profile": "SetChargingProfile",
    "get-composite-schedule": "GetCompositeSchedule",
}


@asynccontextmanager
async def simulated(tenant: Tenant, behaviour: Behaviour) -> AsyncIterator[str]:
    station_id = await register(tenant)
    station = SimulatedStation(
        tenant.server.ocpp_url, station_id, password=PASSWORD, behaviour=behaviour
    )
    async with station:
        assert (await station.boot()).value == "Accepted"
        yield station_id


@pytest.mark.parametrize("name", list(ACTIONS))
async def test_simulated_station_accepts_and_rejects(tenant: Tenant, name: str) -> None:
    async with simulated(tenant, Behaviour()) as station_id:
        accepted = await command(tenant, station_id, name, body_for(name))
    async with simulated(tenant, Behaviour.rejecting(ACTIONS[name])) as station_id:
        rejected = await command(tenant, station_id, name, body_for(name))
    assert accepted.status_code == rejected.status_code == 200, (accepted.text, rejected.text)
    assert accepted.json()["status"] in ("Accepted", "Unlocked")
    assert rejected.json()["status"] not in ("Accepted", "Unlocked")


async def test_clearing_what_the_simulator_holds(tenant: Tenant) -> None:
    async with simulated(tenant, Behaviour()) as station_id:
        unknown = await command(tenant, station_id, "clear-charging-profile", {"id": 4})
        body = body_for("set-charging-profile")
        assert (await command(tenant, station_id, "set-charging-profile", body)).status_code == 200
        cleared = await command(tenant, station_id, "clear-charging-profile", {"id": 4})
    assert (unknown.json()["status"], cleared.json()["status"]) == ("Unknown", "Accepted")


async def test_a_feature_the_charger_lacks_is_502(tenant: Tenant) -> None:
    async with simulated(tenant, Behaviour(unsupported=frozenset({"ClearCache"}))) as station_id:
        response = await command(tenant, station_id, "clear-cache", {})
    assert response.status_code == 502
    assert "NotImplemented" in response.json()["detail"]


async def test_remote_start_starts_a_session_on_the_simulator(tenant: Tenant) -> None:
    await tenant.api.post("/id-tags", json={"value": "SIMTAG", "status": "Accepted"})
    async with simulated(tenant, Behaviour()) as station_id:
        response = await command(
            tenant, station_id, "remote-start", {"id_tag": "SIMTAG", "evse_id": 1}
        )
        assert response.json()["status"] == "Accepted"
        for _ in range(300):
            listing = (
                await tenant.api.get("/transactions", params={"station_id": station_id})
            ).json()
            if listing["total"]:
                break
            await asyncio.sleep(0.1)
        assert listing["total"] == 1
        tx = listing["items"][0]["id"]
        stop = await command(tenant, station_id, "remote-stop", {"transaction_id": tx})
        assert stop.json()["status"] == "Accepted"
