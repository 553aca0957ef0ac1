"""The simulated station shows the prices and costs it is sent: 1.6's Open Charge Alliance cost
messages from a real Chargeyard during a real session, and 2.1's tariffs installed, listed and
cleared through the REST commands."""

import json
from decimal import Decimal
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from chargeyard.simulator.battery import MID_SIZE_EV, EVBattery
from chargeyard.simulator.connector import StopReason
from chargeyard.simulator.cost_display import CostDisplay
from chargeyard.simulator.station_v201 import SimulatedStationV21
from chargeyard.simulator.v16 import SimulatedStation
from chargeyard.tariffs.station_holdings import CLEAR, SET, Sent, held_at, holdings
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
    station_default = {"tariff_id": "D-v1", "tariff_kind": "DefaultTariff", "evse_ids": [0]}
    assert display.assignments(2) == [
        station_default,
        {
            "tariff_id": "S-v1",
            "tariff_kind": "DriverTariff",
            "id_tokens": ["STAFF"],
            "evse_ids": [2],
        },
    ]
    assert display.assignments(1) == [station_default]  # EVSE 2's session is not EVSE 1's
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
    assert display.clear_tariffs(["D-v1"], 2) == [("D-v1", "NoTariff")]  # EVSE 2 held E-v1 only
    assert display.clear_tariffs(["E-v1", "X-v1"], None) == [
        ("E-v1", "Accepted"),
        ("X-v1", "NoTariff"),
    ]
    assert display.assignments(2)[0]["tariff_id"] == "D-v1"  # the station's again
    # At one EVSE, the station's default goes there only, as the command log's books say.
    assert display.clear_tariffs(["D-v1"], 3) == [("D-v1", "Accepted")]
    assert display.session_started("TX-3", "T", 3) is None
    assert display.session_started("TX-4", "T", 2) == "D-v1"
    assert display.clear_tariffs(None, None) == [("D-v1", "Accepted")]
    assert display.clear_tariffs(None, None) == [(None, "NoTariff")]
    assert display.transaction_tariffs["TX-1"]["tariff_id"] == "S-v1"


def test_get_tariffs_for_one_evse_lists_the_defaults_that_apply_there() -> None:
    """The station-wide default (installed at EVSE 0) applies at every EVSE without a default
    of its own, so GetTariffs for such an EVSE lists it; an EVSE's own default replaces it
    there."""
    display = CostDisplay("CP-1")
    assert display.assignments(1) == []
    display.tariff(0, tariff("D-v1"))
    station_default = {"tariff_id": "D-v1", "tariff_kind": "DefaultTariff", "evse_ids": [0]}
    assert display.assignments(1) == display.assignments(2) == [station_default]
    display.tariff(2, tariff("E-v1"))
    own = {"tariff_id": "E-v1", "tariff_kind": "DefaultTariff", "evse_ids": [2]}
    assert display.assignments(2) == [own]
    assert display.assignments(1) == [station_default]
    assert display.assignments(0) == [station_default, own]


def test_clear_tariffs_without_ids_leaves_driver_tariffs_and_the_defaults_in_use() -> None:
    """ClearTariffs without ids clears every default tariff and no driver tariff (one waiting
    for its tag's session, or a session's own); a session calculated with a cleared default
    finishes with it, and GetTariffs lists that default while it does (TC_I_111)."""
    display = CostDisplay("CP-1")
    display.tariff(0, tariff("D-v1"))
    display.driver_tariff("STAFF", tariff("S-v1"))
    display.driver_tariff("GUEST", tariff("G-v1"))
    assert display.session_started("TX-1", "STAFF", 1) == "S-v1"
    assert display.session_started("TX-2", "PUBLIC", 2) == "D-v1"
    assert display.clear_tariffs(None, None) == [("D-v1", "Accepted")]
    assert display.clear_tariffs(None, None) == [(None, "NoTariff")]
    assert display.transaction_tariffs["TX-1"]["tariff_id"] == "S-v1"
    assert display.driver_tariffs["GUEST"]["tariff_id"] == "G-v1"
    in_use = {"tariff_id": "D-v1", "tariff_kind": "DefaultTariff", "evse_ids": [2]}
    assert display.assignments(2) == [in_use]
    assert [a["tariff_id"] for a in display.assignments(0)] == ["S-v1", "D-v1", "G-v1"]
    display.session_ended("TX-2")
    assert display.assignments(2) == []
    # The guest's next session is priced by its driver tariff, though no default is left.
    assert display.session_started("TX-3", "GUEST", 2) == "G-v1"


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
    # EVSE 1 has no default of its own: the station-wide one applies there, and is listed.
    station_default = {
        "tariff_id": f"{public}-v1",
        "tariff_kind": "DefaultTariff",
        "evse_ids": [0],
    }
    assert listed.json()["response"]["tariff_assignments"] == [
        station_default,
        {
            "tariff_id": f"{staff_tariff}-v1",
            "tariff_kind": "DriverTariff",
            "evse_ids": [1],
            "id_tokens": [staff],
        },
    ]
    assert after.json()["response"]["tariff_assignments"] == [station_default]
    assert str(first.transaction_id) not in sim.display.transaction_tariffs
    noted = await events_of(tenant.server, station_id, "session.tariff_differs")
    assert [n["station_tariff_id"] for n in noted] == [f"{public}-v1"]
    assert sim.display.transaction_tariffs[second_id]["tariff_id"] == f"{staff_tariff}-v1"


TARIFF_IDS = st.sampled_from(["A-v1", "B-v1", "C-v1"])
SET_OR_CLEAR = st.one_of(
    st.tuples(st.just("set"), st.integers(min_value=0, max_value=3), TARIFF_IDS),
    st.tuples(
        st.just("clear"),
        st.one_of(st.none(), st.integers(min_value=1, max_value=3)),
        st.one_of(st.none(), st.lists(TARIFF_IDS, min_size=1, max_size=2, unique=True)),
    ),
)


@given(st.lists(SET_OR_CLEAR, max_size=10))
def test_the_simulator_holds_what_the_command_log_says(messages: list[Any]) -> None:
    """Whatever SetDefaultTariff and ClearTariffs a 2.1 simulator answered, the tariff in force
    at each EVSE is the one Chargeyard's books (`tariffs/station_holdings.py`) read from the
    answers: the two agree on what a station holds after a clear."""
    display = CostDisplay("CP-1")
    log: list[Sent] = []
    for kind, evse_id, ids in messages:
        if kind == "set":
            status = display.tariff(evse_id, tariff(ids))
            request: dict[str, Any] = {"evseId": evse_id, "tariff": {"tariffId": ids}}
            log.append(Sent(SET, request, status))
            continue
        results = display.clear_tariffs(ids, evse_id)
        request = {}
        if ids is not None:
            request["tariffIds"] = ids
        if evse_id is not None:
            request["evseId"] = evse_id
        log.append(
            Sent(CLEAR, request, next((s for _, s in results if s != "Accepted"), "Accepted"))
        )
    held = holdings(log)
    for evse_id in (1, 2, 3):
        in_force = display.session_started(f"TX-{evse_id}", "T", evse_id)
        assert in_force == held_at(held, evse_id), (evse_id, held, display.tariffs)
