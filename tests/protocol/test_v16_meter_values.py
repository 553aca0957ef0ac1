"""MeterValues under 1.6: every measurand, phase, unit, context and location kept as sent, and
a resent message stored once."""

from typing import Any

from ocpp.messages import get_validator

from tests.conftest import Tenant
from tests.protocol.conftest import Stations, events_of


def schema_enums() -> dict[str, list[str]]:
    """The values the 1.6 schema allows for each SampledValue field (it knows `Celcius` too)."""
    schema = get_validator(2, "MeterValues", "1.6").schema
    sampled = schema["properties"]["meterValue"]["items"]["properties"]["sampledValue"]
    fields = sampled["items"]["properties"]
    return {name: list(field["enum"]) for name, field in fields.items() if "enum" in field}


ENUMS = schema_enums()


def every_kind_of_sample() -> list[dict[str, str]]:
    """One sample per measurand, cycling through every phase, unit, context and location."""
    return [
        {"value": f"{i}.5", "measurand": measurand, "format": "Raw"}
        | {
            name: ENUMS[name][i % len(ENUMS[name])]
            for name in ("phase", "unit", "context", "location")
        }
        for i, measurand in enumerate(ENUMS["measurand"])
    ]


def as_stored(row: dict[str, Any]) -> dict[str, Any]:
    keys = ("value", "measurand", "phase", "unit", "context", "location", "format")
    return {key: row[key] for key in keys}


async def test_every_measurand_phase_unit_and_context_is_stored(
    tenant: Tenant, stations: Stations
) -> None:
    samples = every_kind_of_sample()
    for name in ("unit", "phase", "context", "location"):
        assert {s[name] for s in samples} == set(ENUMS[name])
    station_id = await stations.register()
    message = {
        "connectorId": 2,
        "meterValue": [{"timestamp": "2026-05-01T10:00:00Z", "sampledValue": samples}],
    }
    async with stations.booted(station_id) as station:
        assert await station.ok("MeterValues", message) == {}
    stored = (
        await tenant.api.get("/meter-values", params={"station_id": station_id, "limit": 100})
    ).json()
    assert stored["total"] == len(samples) == 22
    assert sorted(map(as_stored, stored["items"]), key=str) == sorted(samples, key=str)
    row = stored["items"][0]
    assert (row["evse_id"], row["connector_id"], row["transaction_id"]) == (2, 1, None)
    assert row["timestamp"].startswith("2026-05-01T10:00:00")
    assert {r["numeric_value"] for r in stored["items"]} == {i + 0.5 for i in range(len(samples))}


async def test_defaults_of_a_bare_sample(tenant: Tenant, stations: Stations) -> None:
    station_id = await stations.register()
    bare = {"timestamp": "2026-05-01T10:00:00Z", "sampledValue": [{"value": "77"}]}
    async with stations.booted(station_id) as station:
        await station.ok("MeterValues", {"connectorId": 0, "meterValue": [bare]})
    [row] = (await tenant.api.get("/meter-values", params={"station_id": station_id})).json()[
        "items"
    ]
    assert row["measurand"] == "Energy.Active.Import.Register"
    assert (row["unit"], row["context"], row["location"], row["format"]) == (
        "Wh",
        "Sample.Periodic",
        "Outlet",
        "Raw",
    )
    assert (row["evse_id"], row["connector_id"]) == (0, 0)


async def test_transaction_meter_values_and_resend(tenant: Tenant, stations: Stations) -> None:
    station_id = await stations.register()
    readings = [
        {
            "timestamp": f"2026-05-01T10:{minute:02d}:00Z",
            "sampledValue": [
                {
                    "value": str(1000 + minute * 100),
                    "measurand": "Energy.Active.Import.Register",
                    "unit": "Wh",
                },
                {"value": "7.4", "measurand": "Power.Active.Import", "unit": "kW"},
                {"value": "16.1", "measurand": "Current.Import", "phase": "L1", "unit": "A"},
                {"value": "16.3", "measurand": "Current.Import", "phase": "L2", "unit": "A"},
            ],
        }
        for minute in (5, 10)
    ]
    async with stations.booted(station_id) as station:
        start = await station.ok(
            "StartTransaction",
            {
                "connectorId": 1,
                "idTag": "X",
                "meterStart": 1000,
                "timestamp": "2026-05-01T10:00:00Z",
            },
        )
        tx_id = start["transactionId"]
        message = {"connectorId": 1, "transactionId": tx_id, "meterValue": readings}
        await station.ok("MeterValues", message)
        tx_before = (await tenant.api.get(f"/transactions/{tx_id}")).json()
        await station.ok("MeterValues", message)
        tx_after = (await tenant.api.get(f"/transactions/{tx_id}")).json()
    of_tx = (await tenant.api.get(f"/transactions/{tx_id}/meter-values")).json()
    assert of_tx["total"] == 8
    assert {v["transaction_id"] for v in of_tx["items"]} == {tx_id}
    energy = (
        await tenant.api.get(
            f"/transactions/{tx_id}/meter-values",
            params={"measurand": "Energy.Active.Import.Register"},
        )
    ).json()
    assert [v["value"] for v in energy["items"]] == ["1500", "2000"]
    assert tx_after == tx_before
    assert (tx_before["last_meter_wh"], tx_before["last_power_w"]) == (2000, 7400)
    assert len(await events_of(tenant.server, station_id, "meter_values.received")) == 1


async def test_signed_and_non_numeric_values_are_kept_as_text(
    tenant: Tenant, stations: Stations
) -> None:
    station_id = await stations.register()
    samples = [
        {"value": "AP5ZDg==", "format": "SignedData", "measurand": "Energy.Active.Import.Register"},
        {"value": "NaN", "measurand": "Temperature", "unit": "Celsius"},
        {"value": "Infinity", "measurand": "Voltage", "unit": "V"},
    ]
    reading = {"timestamp": "2026-05-01T11:00:00Z", "sampledValue": samples}
    async with stations.booted(station_id) as station:
        await station.ok("MeterValues", {"connectorId": 1, "meterValue": [reading]})
    response = await tenant.api.get("/meter-values", params={"station_id": station_id})
    assert response.status_code == 200
    rows = response.json()["items"]
    assert sorted((r["value"], r["numeric_value"]) for r in rows) == [
        ("AP5ZDg==", None),
        ("Infinity", None),
        ("NaN", None),
    ]


def energy_reading(minute: int) -> dict[str, Any]:
    return {
        "timestamp": f"2026-05-02T10:{minute:02d}:00Z",
        "sampledValue": [
            {"value": str(1000 + minute), "measurand": "Energy.Active.Import.Register"}
        ],
    }


async def test_resends_after_a_reconnect_and_out_of_order_are_stored_once(
    tenant: Tenant, stations: Stations
) -> None:
    """The connection's memory of its newest stored sample (transactions/watermark.py) spares
    new samples the duplicate check; it must never let a resend through: not one sent on an
    earlier connection (the answer was lost with it), not an older one sent after a newer."""
    station_id = await stations.register()

    async def send(station: Any, *minutes: int) -> None:
        readings = [energy_reading(minute) for minute in minutes]
        await station.ok("MeterValues", {"connectorId": 1, "meterValue": readings})

    async with stations.booted(station_id) as station:
        await send(station, 1)
        await send(station, 2, 3)
    async with stations.booted(station_id) as station:
        await send(station, 2)  # a resend: the first message of the new connection
        await send(station, 3)  # newer than the connection has stored, but stored before
        await send(station, 4)
        await send(station, 1, 5)  # an old sample beside a new one
        await send(station, 5)
    stored = (
        await tenant.api.get("/meter-values", params={"station_id": station_id, "limit": 100})
    ).json()
    assert sorted(item["value"] for item in stored["items"]) == [
        str(1000 + minute) for minute in (1, 2, 3, 4, 5)
    ]
