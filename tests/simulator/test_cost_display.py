"""The simulated station shows the prices and costs it is sent: 1.6's Open Charge Alliance cost
messages from a real Chargeyard during a real session, and 2.1's tariffs installed, listed and
cleared through the REST commands."""

import json
from decimal import Decimal

from chargeyard.simulator.battery import MID_SIZE_EV, EVBattery
from chargeyard.simulator.connector import StopReason
from chargeyard.simulator.cost_display import CostDisplay
from chargeyard.simulator.station_v201 import SimulatedStationV21
from chargeyard.simulator.v16 import SimulatedStation
from tests.commands.conftest import command, register
from tests.conftest import Tenant
from tests.protocol.conftest import eventually
from tests.support.billing import create_tariff
from tests.support.ocpp_client import PASSWORD


def test_the_display_reads_the_three_cost_messages() -> None:
    display = CostDisplay("CP-1")
    assert display.cost_message(
        "SetUserPrice", json.dumps({"idToken": "T", "priceText": "0.30/kWh"})
    )
    running = {"transactionId": 5, "cost": 1.2, "meterValue": 1000, "state": "Charging"}
    assert display.cost_message("RunningCost", json.dumps(running))
    final = {"transactionId": 5, "cost": 4.8, "priceText": "total 4.80"}
    assert display.cost_message("FinalCost", json.dumps(final))
    assert display.price_texts == {"T": "0.30/kWh"}
    assert display.running == {"5": Decimal("1.2")}
    assert (display.final, display.final_texts) == ({"5": Decimal("4.8")}, {"5": "total 4.80"})
    assert not display.cost_message("RunningCost", "{not json")
    assert not display.cost_message("ConnectorUnplugged", "{}")


async def test_a_1_6_simulator_shows_price_running_and_final_cost(tenant: Tenant) -> None:
    tariff_id = await create_tariff(tenant)  # 0.30/kWh + 1.00 per session, 20 % tax
    station_id = await register(tenant)
    body = {"tariff_id": tariff_id, "cost_messages": True}
    assert (await tenant.api.patch(f"/stations/{station_id}", json=body)).status_code == 200
    await tenant.api.post("/id-tags", json={"value": "SIMCOST", "status": "Accepted"})
    station = SimulatedStation(tenant.server.ocpp_url, station_id, password=PASSWORD)
    display = station.display
    async with station:
        assert (await station.boot()).value == "Accepted"
        await station.plug_in(1)
        assert await station.begin_transaction(1, "SIMCOST", EVBattery(MID_SIZE_EV, 0.2))
        tx = station.connector(1).transaction
        assert tx is not None
        tx_id = str(tx.transaction_id)

        async def running() -> bool:
            return tx_id in display.running and "SIMCOST" in display.price_texts

        await eventually(running)
        await station.end_transaction(1, StopReason.LOCAL)

        async def final() -> bool:
            return tx_id in display.final

        await eventually(final)
    assert display.price_texts["SIMCOST"].startswith("0.36 EUR/kWh, 1.20 EUR per session")
    assert display.running[tx_id] == Decimal("1.2")  # the flat fee, at the start
    assert display.final[tx_id] >= Decimal("1.2")
    assert display.final_texts[tx_id].endswith("EUR incl. tax")


async def test_a_2_1_simulator_holds_the_tariffs_it_is_given(tenant: Tenant) -> None:
    tariff_id = await create_tariff(tenant)
    station_id = await register(tenant)
    assert (
        await tenant.api.patch(f"/stations/{station_id}", json={"tariff_id": tariff_id})
    ).status_code == 200
    station = SimulatedStationV21(tenant.server.ocpp_url, station_id, password=PASSWORD)
    async with station:
        assert await station.boot() == "Accepted"
        installed = await command(tenant, station_id, "set-default-tariff", {})
        again = await command(tenant, station_id, "set-default-tariff", {})
        listed = await command(tenant, station_id, "get-tariffs", {})
        cleared = await command(tenant, station_id, "clear-tariffs", {})
        empty = await command(tenant, station_id, "get-tariffs", {})
    assert installed.json()["status"] == "Accepted", installed.text
    assert again.json()["status"] == "DuplicateTariffId"
    assert listed.json()["response"]["tariff_assignments"] == [
        {"tariff_id": f"{tariff_id}-v1", "tariff_kind": "DefaultTariff", "evse_ids": [0]}
    ]
    assert cleared.json()["status"] == "Accepted"
    assert empty.json()["status"] == "NoTariff"
