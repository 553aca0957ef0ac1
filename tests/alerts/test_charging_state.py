"""Meter progress of OCPP 2.0.1 sessions, judged on the transaction's chargingState: a 2.0.1
connector reports Occupied whether the car draws power or not, so the simulated 2.0.1 station
(on a hand-moved clock, so its register moves only when the test says) is what proves it."""

from chargeyard.simulator.battery import MID_SIZE_EV, EVBattery
from chargeyard.simulator.clock import ManualClock
from chargeyard.simulator.connector import StopReason
from chargeyard.simulator.station_v201 import SimulatedStationV201
from tests.alerts.conftest import wait_for_alert
from tests.alerts.test_event_rules import named
from tests.alerts.test_swept_rules import set_rule
from tests.conftest import Tenant
from tests.support.ocpp_client import PASSWORD


async def test_a_201_session_charging_without_energy_progress(tenant: Tenant) -> None:
    await set_rule(tenant, "meter-stalled", threshold_s=1)
    station_id, tag = tenant.unique("SIM"), tenant.unique("TAG")
    created = await tenant.api.post("/stations", json={"id": station_id, "password": PASSWORD})
    assert created.status_code == 201, created.text
    assert (await tenant.api.post("/id-tags", json={"value": tag})).status_code == 201
    clock = ManualClock()
    station = SimulatedStationV201(
        tenant.server.ocpp_url, station_id, password=PASSWORD, connectors=1, clock=clock
    )
    try:
        assert await station.ensure_online()
        await station.plug_in(1)
        assert await station.begin_transaction(1, tag, EVBattery(MID_SIZE_EV, 0.2))
        clock.advance(60)
        await station.report_meter(1)  # chargingState Charging, the register at 11 kW * 60 s
        # The station's clock stands still: it keeps reporting Charging at the same register.
        await station.report_meter(1)
        stalled = await wait_for_alert(
            tenant, named("meter-stalled", "Triggered"), station_id=station_id
        )
        detail = (await tenant.api.get(f"/stations/{station_id}")).json()
        assert detail["protocol"] == "ocpp2.0.1"
        [connector] = detail["evses"][0]["connectors"]
        assert connector["ocpp_status"] == "Occupied"  # what the station says, not Charging
        [tx] = (await tenant.api.get("/transactions", params={"station_id": station_id})).json()[
            "items"
        ]
        assert (stalled["transaction_id"], stalled["evse_id"]) == (tx["id"], 1)
        assert stalled["detail"]["last_meter_wh"] == 183  # 11 kW for a minute

        clock.advance(60)
        await station.report_meter(1)  # the register moves: that stall is over
        resolved = await wait_for_alert(
            tenant,
            lambda a: a["id"] == stalled["id"] and a["status"] == "Resolved",
            station_id=station_id,
        )
        assert resolved["resolved_by"] == "system"

        again = await wait_for_alert(
            tenant,
            lambda a: named("meter-stalled", "Triggered")(a) and a["id"] != stalled["id"],
            station_id=station_id,
        )
        await station.end_transaction(1, StopReason.EV_DISCONNECTED)
        await wait_for_alert(
            tenant,
            lambda a: a["id"] == again["id"] and a["status"] == "Resolved",
            station_id=station_id,
        )
    finally:
        await station.close()
