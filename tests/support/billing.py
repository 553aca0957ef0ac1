"""Billing helpers for tests over real REST and a real 1.6 socket: a tariff, a station priced by
it, and a session with meter values and a parked stretch."""

from datetime import UTC, datetime, timedelta
from typing import Any

from tests.conftest import Tenant
from tests.protocol.conftest import Stations


def stamp(at: datetime) -> str:
    return at.isoformat().replace("+00:00", "Z")


def tariff_cost_ctrlr(instance: str, enabled: str) -> dict[str, Any]:
    """A 2.1 NotifyReport of TariffCostCtrlr.Enabled[`instance`] ("Tariff": the station takes
    tariffs; "Cost": it shows running costs)."""
    return {
        "requestId": 1,
        "generatedAt": stamp(datetime.now(UTC)),
        "seqNo": 0,
        "reportData": [
            {
                "component": {"name": "TariffCostCtrlr"},
                "variable": {"name": "Enabled", "instance": instance},
                "variableAttribute": [{"type": "Actual", "value": enabled}],
            }
        ],
    }


async def create_tariff(tenant: Tenant, **fields: Any) -> str:
    body = {
        "name": "Public AC",
        "currency": "EUR",
        "tax_rate": "20",
        "elements": [
            {
                "price_components": [
                    {"type": "ENERGY", "price": "0.30", "step_size": 1},
                    {"type": "FLAT", "price": "1.00", "step_size": 1},
                ]
            }
        ],
    } | fields
    response = await tenant.api.post("/tariffs", json=body)
    assert response.status_code == 201, response.text
    return str(response.json()["id"])


async def priced_station(tenant: Tenant, stations: Stations, tariff_id: str) -> str:
    station_id = await stations.register()
    response = await tenant.api.patch(f"/stations/{station_id}", json={"tariff_id": tariff_id})
    assert response.status_code == 200, response.text
    assert response.json()["tariff_id"] == tariff_id
    return station_id


async def run_session(
    stations: Stations, station_id: str, tag: str, start: datetime | None = None
) -> int:
    """30 minutes from `start` (default: an hour ago): 5 kWh by minute 10, 10 kWh by minute 20,
    then parked (SuspendedEV) for the last 10 minutes. Returns the transaction id."""
    start = start or datetime.now(UTC).replace(microsecond=0) - timedelta(hours=1)
    async with stations.booted(station_id) as station:
        started = await station.ok(
            "StartTransaction",
            {"connectorId": 1, "idTag": tag, "meterStart": 1000, "timestamp": stamp(start)},
        )
        tx_id = int(started["transactionId"])
        for minute, wh in ((10, 6000), (20, 11000)):
            await station.ok(
                "MeterValues",
                {
                    "connectorId": 1,
                    "transactionId": tx_id,
                    "meterValue": [
                        {
                            "timestamp": stamp(start + timedelta(minutes=minute)),
                            "sampledValue": [{"value": str(wh), "unit": "Wh"}],
                        }
                    ],
                },
            )
        await station.ok(
            "StatusNotification",
            {
                "connectorId": 1,
                "errorCode": "NoError",
                "status": "SuspendedEV",
                "timestamp": stamp(start + timedelta(minutes=20)),
            },
        )
        await station.ok(
            "StopTransaction",
            {
                "transactionId": tx_id,
                "meterStop": 11000,
                "timestamp": stamp(start + timedelta(minutes=30)),
                "idTag": tag,
            },
        )
    return tx_id
