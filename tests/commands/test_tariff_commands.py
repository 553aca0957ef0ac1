"""OCPP 2.1's tariff commands over a real 2.1 connection: the station receives the tariff
version Chargeyard prices with, its answers come back through the API and the command log, and
stations of other versions are refused."""

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from tests.commands.conftest import command, register
from tests.commands.station import ScriptedStation
from tests.commands.v201.conftest import scripted_2x, start_transaction, transaction_id
from tests.conftest import Tenant
from tests.support.billing import create_tariff


@asynccontextmanager
async def online(
    tenant: Tenant, protocol: str = "ocpp2.1", tariff_id: str | None = None
) -> AsyncIterator[tuple[str, ScriptedStation]]:
    station_id = await register(tenant)
    if tariff_id is not None:
        patched = await tenant.api.patch(f"/stations/{station_id}", json={"tariff_id": tariff_id})
        assert patched.status_code == 200, patched.text
    async with scripted_2x(tenant.server.ocpp_url, station_id, protocol) as station:
        yield station_id, station


async def test_the_stations_tariff_becomes_its_default(tenant: Tenant) -> None:
    tariff_id = await create_tariff(tenant)
    async with online(tenant, tariff_id=tariff_id) as (station_id, station):
        response = await command(tenant, station_id, "set-default-tariff", {})
        assert response.status_code == 200, response.text
        [received] = station.calls("SetDefaultTariff")
    assert response.json()["status"] == "Accepted"
    tariff = received["tariff"]
    assert received["evseId"] == 0
    assert tariff["tariffId"] == f"{tariff_id}-v1"
    assert tariff["currency"] == "EUR"
    assert tariff["energy"] == {
        "prices": [{"priceKwh": 0.3}],
        "taxRates": [{"type": "VAT", "tax": 20.0}],
    }
    assert tariff["fixedFee"]["prices"] == [{"priceFixed": 1.0}]
    assert "0.36 EUR/kWh" in tariff["description"][0]["content"]
    record = (await tenant.api.get(f"/commands/{response.json()['command_id']}")).json()
    assert (record["command"], record["state"], record["ocpp_action"]) == (
        "set-default-tariff",
        "answered",
        "SetDefaultTariff",
    )
    assert record["ocpp_request"] == received


async def test_a_named_tariff_on_one_evse(tenant: Tenant) -> None:
    tariff_id = await create_tariff(tenant, name="Night")
    async with online(tenant) as (station_id, station):
        body = {"evse_id": 1, "tariff_id": tariff_id}
        response = await command(tenant, station_id, "set-default-tariff", body)
        assert response.status_code == 200, response.text
        [received] = station.calls("SetDefaultTariff")
    assert (received["evseId"], received["tariff"]["tariffId"]) == (1, f"{tariff_id}-v1")


async def test_without_a_tariff_there_is_nothing_to_send(tenant: Tenant) -> None:
    async with online(tenant) as (station_id, station):
        response = await command(tenant, station_id, "set-default-tariff", {})
        unknown = await command(tenant, station_id, "set-default-tariff", {"tariff_id": "nope"})
        assert station.calls("SetDefaultTariff") == []
    assert response.status_code == 422, response.text
    assert unknown.status_code == 422, unknown.text


async def test_reading_and_clearing_the_stations_tariffs(tenant: Tenant) -> None:
    async with online(tenant) as (station_id, station):
        station.answers["GetTariffs"] = {
            "status": "Accepted",
            "tariffAssignments": [
                {"tariffId": "T-v1", "tariffKind": "DefaultTariff", "evseIds": [0]}
            ],
        }
        listed = await command(tenant, station_id, "get-tariffs", {"evse_id": 0})
        cleared = await command(tenant, station_id, "clear-tariffs", {"tariff_ids": ["T-v1"]})
        station.answers["ClearTariffs"] = {"clearTariffsResult": [{"status": "NoTariff"}]}
        nothing = await command(tenant, station_id, "clear-tariffs", {})
        assert station.calls("GetTariffs") == [{"evseId": 0}]
        assert station.calls("ClearTariffs") == [{"tariffIds": ["T-v1"]}, {}]
    assert listed.status_code == 200, listed.text
    assert listed.json()["response"]["tariff_assignments"] == [
        {"tariff_id": "T-v1", "tariff_kind": "DefaultTariff", "evse_ids": [0]}
    ]
    assert cleared.json()["status"] == "Accepted"
    assert nothing.json()["status"] == "NoTariff"


async def test_a_running_session_gets_the_tariff_it_is_priced_with(tenant: Tenant) -> None:
    tariff_id = await create_tariff(tenant)
    async with online(tenant, tariff_id=tariff_id) as (station_id, station):
        await start_transaction(station, "V21TAG", ocpp_tx="TX-21")
        tx = await transaction_id(tenant, station_id)
        body = {"transaction_id": tx}
        response = await command(tenant, station_id, "change-transaction-tariff", body)
        assert response.status_code == 200, response.text
        [received] = station.calls("ChangeTransactionTariff")
    assert received["transactionId"] == "TX-21"
    assert received["tariff"]["tariffId"] == f"{tariff_id}-v1"


async def test_a_free_session_has_no_tariff_to_send(tenant: Tenant) -> None:
    async with online(tenant) as (station_id, station):
        await start_transaction(station, "V21TAG", ocpp_tx="TX-22")
        tx = await transaction_id(tenant, station_id)
        body = {"transaction_id": tx}
        response = await command(tenant, station_id, "change-transaction-tariff", body)
        assert station.calls("ChangeTransactionTariff") == []
    assert response.status_code == 409, response.text


async def test_only_2_1_stations_take_tariffs(tenant: Tenant) -> None:
    tariff_id = await create_tariff(tenant)
    async with online(tenant, "ocpp2.0.1", tariff_id=tariff_id) as (station_id, station):
        response = await command(tenant, station_id, "set-default-tariff", {})
        assert station.calls("SetDefaultTariff") == []
    assert response.status_code == 422, response.text
    assert "ocpp2.0.1" in response.json()["detail"]
