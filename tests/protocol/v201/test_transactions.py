"""2.0.1 TransactionEvent: the lifecycle, replays, out-of-order and offline events."""

from typing import Any

from tests.conftest import Tenant
from tests.protocol.conftest import events_of
from tests.protocol.v201.conftest import V2Stations, meter, sampled, tx_event
from tests.support.ocpp_client import RawStation

EVSE = {"id": 1, "connectorId": 1}


async def _tx(tenant: Tenant, station_id: str) -> dict[str, Any]:
    listing = (await tenant.api.get("/transactions", params={"station_id": station_id})).json()
    assert listing["total"] == 1, listing
    return dict(listing["items"][0])


async def _events(tenant: Tenant, tx_id: int) -> list[dict[str, Any]]:
    response = await tenant.api.get(f"/transactions/{tx_id}/events")
    assert response.status_code == 200, response.text
    return list(response.json()["items"])


async def _session(station: RawStation, tx_id: str, tag: str) -> list[dict[str, Any]]:
    token = {"idToken": tag, "type": "ISO14443"}
    return [
        await station.ok(
            "TransactionEvent",
            tx_event(
                "Started",
                tx_id,
                0,
                "2026-02-01T08:00:00Z",
                evse=EVSE,
                idToken=token,
                meterValue=meter("2026-02-01T08:00:00Z", sampled(1200, "Transaction.Begin")),
            ),
        ),
        await station.ok(
            "TransactionEvent",
            tx_event(
                "Updated",
                tx_id,
                1,
                "2026-02-01T08:30:00Z",
                trigger="MeterValuePeriodic",
                info={"chargingState": "Charging"},
                meterValue=meter(
                    "2026-02-01T08:30:00Z", sampled(4.2, unitOfMeasure={"unit": "kWh"})
                ),
            ),
        ),
        await station.ok(
            "TransactionEvent",
            tx_event(
                "Ended",
                tx_id,
                2,
                "2026-02-01T09:00:00Z",
                trigger="EVCommunicationLost",
                info={"stoppedReason": "EVDisconnected"},
                meterValue=meter(
                    "2026-02-01T09:00:00Z",
                    sampled(7.7, "Transaction.End", unitOfMeasure={"unit": "Wh", "multiplier": 3}),
                ),
            ),
        ),
    ]


async def test_lifecycle_is_recorded(tenant: Tenant, v2: V2Stations, subprotocol: str) -> None:
    tag = tenant.unique("TAG")
    assert (await tenant.api.post("/id-tags", json={"value": tag})).status_code == 201
    async with v2.booted_v2(subprotocol=subprotocol) as station:
        answers = await _session(station, "tx-life-1", tag)
        station_id = station.station_id  # type: ignore[attr-defined]
    assert answers[0] == {"idTokenInfo": {"status": "Accepted"}}
    assert answers[1] == {} and answers[2] == {}
    tx = await _tx(tenant, station_id)
    assert tx["ocpp_transaction_id"] == "tx-life-1" and isinstance(tx["id"], int)
    assert (tx["id_tag"], tx["auth_status"], tx["evse_id"], tx["connector_id"]) == (
        tag,
        "Accepted",
        1,
        1,
    )
    assert (tx["meter_start_wh"], tx["meter_stop_wh"], tx["energy_wh"]) == (1200, 7700, 6500)
    assert tx["started_at"] == "2026-02-01T08:00:00Z" and tx["stopped_at"] == "2026-02-01T09:00:00Z"
    assert tx["stop_reason"] == "EVDisconnected"
    values = (await tenant.api.get(f"/transactions/{tx['id']}/meter-values")).json()["items"]
    assert [(v["value"], v["unit"], v["context"]) for v in values] == [
        ("1200", "Wh", "Transaction.Begin"),
        ("4.2", "kWh", "Sample.Periodic"),
        ("7700", "Wh", "Transaction.End"),
    ]
    events = await _events(tenant, tx["id"])
    assert [(e["seq_no"], e["event_type"], e["applied"]) for e in events] == [
        (0, "Started", True),
        (1, "Updated", True),
        (2, "Ended", True),
    ]
    assert events[1]["charging_state"] == "Charging"
    assert [e["id"] for e in await events_of(tenant.server, station_id, "session.started")] == [
        tx["id"]
    ]
    # Its chargingState came months after its timestamp: announced for the KPIs' rollup.
    late = await events_of(tenant.server, station_id, "transaction_event.late")
    assert late == [
        {"seq_no": 1, "event_type": "Updated", "charging_state": "Charging", "offline": False}
    ]


async def test_replayed_events_change_nothing(tenant: Tenant, v2: V2Stations) -> None:
    async with v2.booted_v2() as station:
        await _session(station, "tx-dup", tenant.unique("T"))
        again = await _session(station, "tx-dup", "SOMEONE-ELSE")
        station_id = station.station_id  # type: ignore[attr-defined]
    assert again[0]["idTokenInfo"]["status"] == "Invalid"  # the token is answered, not applied
    tx = await _tx(tenant, station_id)
    assert tx["energy_wh"] == 6500 and tx["id_tag"] != "SOMEONE-ELSE"
    assert len(await _events(tenant, tx["id"])) == 3
    values = (await tenant.api.get(f"/transactions/{tx['id']}/meter-values")).json()
    assert values["total"] == 3
    assert len(await events_of(tenant.server, station_id, "session.stopped")) == 1


async def test_out_of_order_offline_events(tenant: Tenant, v2: V2Stations) -> None:
    """Replayed from an offline queue, Ended first: the transaction still ends up right."""
    async with v2.booted_v2() as station:
        await station.ok(
            "TransactionEvent",
            tx_event(
                "Ended",
                "tx-ooo",
                2,
                "2026-03-01T11:00:00Z",
                offline=True,
                info={"stoppedReason": "Local"},
                meterValue=meter("2026-03-01T11:00:00Z", sampled(9000, "Transaction.End")),
            ),
        )
        await station.ok(
            "TransactionEvent",
            tx_event(
                "Started",
                "tx-ooo",
                0,
                "2026-03-01T10:00:00Z",
                offline=True,
                evse={"id": 2, "connectorId": 1},
                meterValue=meter("2026-03-01T10:00:00Z", sampled(1000, "Transaction.Begin")),
            ),
        )
        await station.ok(
            "TransactionEvent",
            tx_event(
                "Updated",
                "tx-ooo",
                1,
                "2026-03-01T10:30:00Z",
                offline=True,
                trigger="MeterValuePeriodic",
                meterValue=meter("2026-03-01T10:30:00Z", sampled(5000)),
            ),
        )
        station_id = station.station_id  # type: ignore[attr-defined]
    tx = await _tx(tenant, station_id)
    assert tx["started_at"] == "2026-03-01T10:00:00Z" and tx["stopped_at"] == "2026-03-01T11:00:00Z"
    assert (tx["meter_start_wh"], tx["meter_stop_wh"], tx["energy_wh"]) == (1000, 9000, 8000)
    events = await _events(tenant, tx["id"])
    assert [e["seq_no"] for e in events] == [0, 1, 2]
    assert all(e["offline"] for e in events)
    # Ended is terminal: the late Updated event is stored but did not reopen the session.
    assert [e["applied"] for e in events] == [False, False, True]
    assert tx["stop_reason"] == "Local"


async def test_offline_start_does_not_supersede_a_live_session(
    tenant: Tenant, v2: V2Stations
) -> None:
    async with v2.booted_v2() as station:
        await station.ok(
            "TransactionEvent", tx_event("Started", "live", 0, "2026-04-01T12:00:00Z", evse=EVSE)
        )
        await station.ok(
            "TransactionEvent",
            tx_event("Started", "queued", 0, "2026-04-01T09:00:00Z", evse=EVSE, offline=True),
        )
        station_id = station.station_id  # type: ignore[attr-defined]
    listing = (
        await tenant.api.get("/transactions", params={"station_id": station_id, "active": True})
    ).json()
    assert sorted(t["ocpp_transaction_id"] for t in listing["items"]) == ["live", "queued"]


async def test_meter_values_message_is_stored(tenant: Tenant, v2: V2Stations) -> None:
    async with v2.booted_v2() as station:
        await station.ok(
            "MeterValues",
            {
                "evseId": 1,
                "meterValue": meter(
                    "2026-05-01T10:00:00Z",
                    sampled(321),
                    {
                        "value": 7.4,
                        "measurand": "Power.Active.Import",
                        "unitOfMeasure": {"unit": "kW"},
                    },
                ),
            },
        )
        station_id = station.station_id  # type: ignore[attr-defined]
    items = (await tenant.api.get("/meter-values", params={"station_id": station_id})).json()[
        "items"
    ]
    assert sorted((i["measurand"], i["value"], i["unit"], i["evse_id"]) for i in items) == [
        ("Energy.Active.Import.Register", "321", "Wh", 1),
        ("Power.Active.Import", "7.4", "kW", 1),
    ]
