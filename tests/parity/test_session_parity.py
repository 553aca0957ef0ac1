"""One charging session under OCPP 1.6 and under 2.0.1 / 2.1: the same records, the same events.

The protocols differ on the wire (StartTransaction vs TransactionEvent, nine connector states
vs five); what Chargeyard records of the session must not.
"""

from typing import Any

import pytest

from tests.conftest import Tenant
from tests.parity.conftest import event_types, session_v2, session_v16
from tests.protocol.conftest import Stations, eventually
from tests.support.ocpp_client import raw_station

TX_FIELDS = (
    "id_tag",
    "auth_status",
    "evse_id",
    "connector_id",
    "meter_start_wh",
    "meter_stop_wh",
    "energy_wh",
    "started_at",
    "stopped_at",
    "stop_reason",
    "reservation_id",
)
METER_FIELDS = (
    "timestamp",
    "measurand",
    "value",
    "unit",
    "context",
    "location",
    "phase",
    "format",
    "evse_id",
    "connector_id",
)
STATUS_FIELDS = ("evse_id", "connector_id", "status", "occurred_at")


async def _run(tenant: Tenant, subprotocol: str, tag: str) -> str:
    station_id = await Stations(tenant).register()
    script = session_v16 if subprotocol == "ocpp1.6" else session_v2
    async with raw_station(tenant.server.ocpp_url, station_id, subprotocol=subprotocol) as station:
        await script(station, tag)

    async def offline() -> bool:
        return not (await tenant.api.get(f"/stations/{station_id}")).json()["connected"]

    await eventually(offline)
    return station_id


async def _records(tenant: Tenant, station_id: str) -> dict[str, Any]:
    txs = (await tenant.api.get("/transactions", params={"station_id": station_id})).json()["items"]
    assert len(txs) == 1
    [tx] = txs
    values = (await tenant.api.get(f"/transactions/{tx['id']}/meter-values")).json()["items"]
    statuses = (await tenant.api.get(f"/stations/{station_id}/status-history")).json()["items"]
    return {
        "transaction": {name: tx[name] for name in TX_FIELDS},
        "meter_values": sorted(tuple(v[f] for f in METER_FIELDS) for v in values),
        "statuses": sorted(tuple(s[f] for f in STATUS_FIELDS) for s in statuses),
        "events": await event_types(tenant.server, station_id),
    }


@pytest.mark.parametrize("subprotocol", ["ocpp2.0.1", "ocpp2.1"])
async def test_same_session_same_records(tenant: Tenant, subprotocol: str) -> None:
    tag = tenant.unique("TAG")
    assert (await tenant.api.post("/id-tags", json={"value": tag})).status_code == 201
    v16 = await _records(tenant, await _run(tenant, "ocpp1.6", tag))
    v2 = await _records(tenant, await _run(tenant, subprotocol, tag))
    assert v16["transaction"] == v2["transaction"]
    assert v16["transaction"]["energy_wh"] == 5000 and v16["transaction"]["id_tag"] == tag
    assert v16["meter_values"] == v2["meter_values"] and len(v16["meter_values"]) == 3
    assert v16["statuses"] == v2["statuses"] and len(v16["statuses"]) == 2
    assert v16["events"] == v2["events"]
    assert {
        "session.started",
        "session.stopped",
        "meter_values.received",
        "connector.status_changed",
    } <= v2["events"]


@pytest.mark.parametrize("subprotocol", ["ocpp2.0.1"])
async def test_same_session_same_cost_and_cdr(tenant: Tenant, subprotocol: str) -> None:
    """Under the organization's default tariff (0.30/kWh, 1.00/h charging in 15-minute steps),
    the 5 kWh, two-hour session costs 1.50 + 2.00 under either protocol."""
    tariff = {
        "name": "Default",
        "currency": "EUR",
        "is_default": True,
        "elements": [
            {
                "price_components": [
                    {"type": "ENERGY", "price": "0.30"},
                    {"type": "TIME", "price": "1.00", "step_size": 900},
                ]
            }
        ],
    }
    assert (await tenant.api.post("/tariffs", json=tariff)).status_code == 201
    tag = tenant.unique("TAG")
    assert (await tenant.api.post("/id-tags", json={"value": tag})).status_code == 201
    billed = []
    for protocol in ("ocpp1.6", subprotocol):
        station_id = await _run(tenant, protocol, tag)
        [tx] = (await tenant.api.get("/transactions", params={"station_id": station_id})).json()[
            "items"
        ]
        [cdr] = (await tenant.api.get("/cdrs", params={"transaction_id": tx["id"]})).json()["items"]
        document = cdr["document"]
        billed.append(
            (
                {k: v for k, v in tx["cost"].items() if k != "tariff_id"},
                {k: document[k] for k in ("total_cost", "total_energy", "total_time")},
                [p["dimensions"] for p in document["charging_periods"]],
                await event_types(tenant.server, station_id),
            )
        )
    assert billed[0] == billed[1]
    assert billed[0][0]["excl_tax"] == "3.50"
    assert {"session.cost_updated", "cdr.created"} <= billed[0][3]
