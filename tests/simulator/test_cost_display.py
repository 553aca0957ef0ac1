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
from tests.protocol.conftest import events_of, eventually
from tests.protocol.test_v16_authorize import add_tag
from tests.support.billing import create_tariff
from tests.support.ocpp_client import PASSWORD
from tests.tariffs.test_station_defaults import enabled_report, until_held


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


def tariff(tariff_id: str, currency: str = "EUR") -> dict[str, object]:
    return {"tariff_id": tariff_id, "currency": currency}


def test_a_driver_tariff_prices_the_tags_next_session_only_and_goes_with_it() -> None:
    display = CostDisplay("CP-1")
    display.tariff(0, tariff("D-v1"))
    display.driver_tariff("STAFF", tariff("S-v1"))
    assert display.assignments(0)[-1] == {
        "tariff_id": "S-v1",
        "tariff_kind": "DriverTariff",
        "id_tokens": ["STAFF"],
    }
    assert display.session_started("TX-1", "STAFF", 2) == "S-v1"
    assert display.driver_tariffs == {}  # it is the session's now
    assert display.assignments(2) == [
        {
            "tariff_id": "S-v1",
            "tariff_kind": "DriverTariff",
            "id_tokens": ["STAFF"],
            "evse_ids": [2],
        }
    ]
    assert display.assignments(1) == []  # EVSE 2's session is not EVSE 1's
    # The tag's next session, not authorized again, uses the default.
    assert display.session_started("TX-2", "STAFF", 1) == "D-v1"
    display.session_ended("TX-1")
    assert display.transaction_tariffs == {} and set(display.sessions) == {"TX-2"}
    assert [a["tariff_kind"] for a in display.assignments(0)] == ["DefaultTariff"]


def test_change_transaction_tariff_keeps_the_sessions_currency() -> None:
    display = CostDisplay("CP-1")
    display.tariff(0, tariff("D-v1"))
    display.session_started("TX-1", "T", 1)
    assert display.transaction_tariff("TX-1", tariff("G-v1", "GBP")) == "NoCurrencyChange"
    assert display.transaction_tariffs == {}
    assert display.transaction_tariff("TX-1", tariff("G-v1")) == "Accepted"
    assert display.transaction_tariffs["TX-1"]["tariff_id"] == "G-v1"
    # A session started without any tariff takes one in any currency.
    display.session_started("TX-2", "U", 2)  # EVSE 2 holds the station's EUR default
    display.clear_tariffs(None, None)
    display.session_started("TX-3", "V", 1)
    assert display.transaction_tariff("TX-3", tariff("G-v1", "GBP")) == "Accepted"


def test_clear_tariffs_answers_per_tariff_and_leaves_the_sessions_own() -> None:
    display = CostDisplay("CP-1")
    display.tariff(0, tariff("D-v1"))
    display.tariff(2, tariff("E-v1"))
    display.driver_tariff("STAFF", tariff("S-v1"))
    display.session_started("TX-1", "STAFF", 1)
    assert display.clear_tariffs(["E-v1", "X-v1"], None) == [
        ("E-v1", "Accepted"),
        ("X-v1", "NoTariff"),
    ]
    assert display.clear_tariffs(["D-v1"], 2) == [("D-v1", "NoTariff")]  # EVSE 2 held E-v1 only
    assert display.clear_tariffs(None, None) == [("D-v1", "Accepted")]
    assert display.clear_tariffs(None, None) == [(None, "NoTariff")]
    assert display.transaction_tariffs["TX-1"]["tariff_id"] == "S-v1"


async def test_a_2_1_simulators_driver_tariff_lasts_one_session(tenant: Tenant) -> None:
    """Given at Authorize, the staff tariff prices the session that follows, is listed as that
    session's driver tariff while it runs, and goes with it; the tag's next session, started
    without asking, uses the default, and Chargeyard gives it its tariff again."""
    public = await create_tariff(tenant, name="Public")
    staff_tariff = await create_tariff(tenant, name="Staff")
    staff = await add_tag(tenant)
    group = {
        "name": tenant.unique("G"),
        "tariff_id": staff_tariff,
        "id_tags": [staff],
        "places": [{"kind": "organization"}],
    }
    assert (await tenant.api.post("/tariff-groups", json=group)).status_code == 201
    station_id = await register(tenant)
    assert (
        await tenant.api.patch(f"/stations/{station_id}", json={"tariff_id": public})
    ).is_success
    sim = SimulatedStationV21(tenant.server.ocpp_url, station_id, password=PASSWORD)
    battery = EVBattery(MID_SIZE_EV, 0.2)
    async with sim:
        assert await sim.boot() == "Accepted"
        await sim.notify_report(report=enabled_report("true"))
        await until_held(sim, {0: {f"{public}-v1"}})
        assert await sim.begin_transaction(1, staff, battery)
        first = sim.connector(1).transaction
        assert first is not None
        listed = await command(tenant, station_id, "get-tariffs", {"evse_id": 1})
        await sim.end_transaction(1, StopReason.LOCAL)
        after = await command(tenant, station_id, "get-tariffs", {"evse_id": 1})
        assert await sim.begin_transaction(1, staff, battery, authorize=False)
        second = sim.connector(1).transaction
        assert second is not None
        second_id = str(second.transaction_id)

        async def given() -> bool:
            return second_id in sim.display.transaction_tariffs

        await eventually(given)
    assert listed.json()["response"]["tariff_assignments"] == [
        {
            "tariff_id": f"{staff_tariff}-v1",
            "tariff_kind": "DriverTariff",
            "evse_ids": [1],
            "id_tokens": [staff],
        }
    ]
    assert after.json()["status"] == "NoTariff"  # EVSE 1 holds no tariff of its own
    assert str(first.transaction_id) not in sim.display.transaction_tariffs
    noted = await events_of(tenant.server, station_id, "session.tariff_differs")
    assert [n["station_tariff_id"] for n in noted] == [f"{public}-v1"]
    assert sim.display.transaction_tariffs[second_id]["tariff_id"] == f"{staff_tariff}-v1"
