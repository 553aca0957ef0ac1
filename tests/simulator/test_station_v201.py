"""The 2.0.1 / 2.1 simulated station against the real Chargeyard server."""

import pytest

from chargeyard.simulator.battery import MID_SIZE_EV, EVBattery
from chargeyard.simulator.clock import ManualClock
from chargeyard.simulator.connector import StopReason
from chargeyard.simulator.station_v201 import SimulatedStationV21, SimulatedStationV201
from tests.conftest import Tenant
from tests.support.ocpp_client import PASSWORD

STATIONS = {"ocpp2.0.1": SimulatedStationV201, "ocpp2.1": SimulatedStationV21}


async def _setup(tenant: Tenant) -> tuple[str, str]:
    station_id, tag = tenant.unique("SIM"), tenant.unique("TAG")
    assert (
        await tenant.api.post("/stations", json={"id": station_id, "password": PASSWORD})
    ).status_code == 201
    assert (await tenant.api.post("/id-tags", json={"value": tag})).status_code == 201
    return station_id, tag


@pytest.mark.parametrize("protocol", sorted(STATIONS))
async def test_session_with_device_model_and_offline_replay(tenant: Tenant, protocol: str) -> None:
    station_id, tag = await _setup(tenant)
    clock = ManualClock()
    station = STATIONS[protocol](
        tenant.server.ocpp_url, station_id, password=PASSWORD, connectors=1, clock=clock
    )
    try:
        assert await station.ensure_online()
        await station.plug_in(1)
        assert await station.begin_transaction(1, tag, EVBattery(MID_SIZE_EV, 0.2))
        clock.advance(1800)
        await station.report_meter(1)
        await station._disconnect()  # the link drops: the next events are queued
        clock.advance(1800)
        await station.report_meter(1)
        await station.end_transaction(1, StopReason.EV_DISCONNECTED)
        assert len(station.queued) == 2
        assert await station.ensure_online()  # boot again and replay the queue
        assert station.queued == []
    finally:
        await station.close()
    detail = (await tenant.api.get(f"/stations/{station_id}")).json()
    assert detail["protocol"] == protocol and detail["model"] == "Simulator AC"
    model = (
        await tenant.api.get(f"/stations/{station_id}/device-model", params={"component": "EVSE"})
    ).json()
    assert [(v["variable_name"], v["value"]) for v in model["items"]] == [("Power", "22080")]
    [tx] = (await tenant.api.get("/transactions", params={"station_id": station_id})).json()[
        "items"
    ]
    assert tx["id_tag"] == tag and tx["stop_reason"] == "EVDisconnected"
    assert tx["started_at"] == "2025-01-06T08:00:00Z" and tx["stopped_at"] == "2025-01-06T09:00:00Z"
    assert tx["energy_wh"] == 11000  # an hour at the 11 kW the mid-size car takes
    events = (await tenant.api.get(f"/transactions/{tx['id']}/events")).json()["items"]
    assert [(e["event_type"], e["offline"]) for e in events] == [
        ("Started", False),
        ("Updated", False),
        ("Updated", True),
        ("Ended", True),
    ]
