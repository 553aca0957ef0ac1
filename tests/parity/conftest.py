"""The parity suite's scripts: one charging session, written once per protocol version."""

from typing import Any

from sqlalchemy import select

from chargeyard.events.models import Event
from chargeyard.storage.database import Database
from tests.support.ocpp_client import RawStation
from tests.support.server import RunningServer

T0, T1, T2, T3 = (f"2026-06-01T{h}:00:00Z" for h in ("10", "11", "12", "13"))
BEGIN_WH, MID_WH, END_WH = 1000, 3500, 6000


def _mv(timestamp: str, value: int, context: str) -> dict[str, Any]:
    return {
        "timestamp": timestamp,
        "sampledValue": [
            {
                "value": str(value),
                "context": context,
                "measurand": "Energy.Active.Import.Register",
                "unit": "Wh",
            }
        ],
    }


async def session_v16(station: RawStation, tag: str) -> None:
    await station.ok(
        "BootNotification", {"chargePointVendor": "Acme", "chargePointModel": "Parity"}
    )
    await station.ok(
        "StatusNotification",
        {"connectorId": 1, "errorCode": "NoError", "status": "Preparing", "timestamp": T0},
    )
    start = await station.ok(
        "StartTransaction",
        {"connectorId": 1, "idTag": tag, "meterStart": BEGIN_WH, "timestamp": T0},
    )
    tx_id = start["transactionId"]
    await station.ok(
        "MeterValues",
        {
            "connectorId": 1,
            "transactionId": tx_id,
            "meterValue": [_mv(T1, MID_WH, "Sample.Periodic")],
        },
    )
    await station.ok(
        "StopTransaction",
        {
            "transactionId": tx_id,
            "meterStop": END_WH,
            "timestamp": T2,
            "reason": "EVDisconnected",
            "transactionData": [
                _mv(T0, BEGIN_WH, "Transaction.Begin"),
                _mv(T2, END_WH, "Transaction.End"),
            ],
        },
    )
    await station.ok(
        "StatusNotification",
        {"connectorId": 1, "errorCode": "NoError", "status": "Available", "timestamp": T3},
    )


def _mv2(timestamp: str, value: int, context: str) -> list[dict[str, Any]]:
    return [
        {
            "timestamp": timestamp,
            "sampledValue": [
                {"value": value, "context": context, "measurand": "Energy.Active.Import.Register"}
            ],
        }
    ]


def _event(kind: str, seq_no: int, timestamp: str, trigger: str, **fields: Any) -> dict[str, Any]:
    info = {"transactionId": "parity-tx-1"} | fields.pop("info", {})
    return {
        "eventType": kind,
        "timestamp": timestamp,
        "triggerReason": trigger,
        "seqNo": seq_no,
        "transactionInfo": info,
    } | fields


async def session_v2(station: RawStation, tag: str) -> None:
    await station.ok(
        "BootNotification",
        {"chargingStation": {"vendorName": "Acme", "model": "Parity"}, "reason": "PowerUp"},
    )
    await station.ok(
        "StatusNotification",
        {"timestamp": T0, "connectorStatus": "Occupied", "evseId": 1, "connectorId": 1},
    )
    await station.ok(
        "TransactionEvent",
        _event(
            "Started",
            0,
            T0,
            "Authorized",
            evse={"id": 1, "connectorId": 1},
            idToken={"idToken": tag, "type": "ISO14443"},
            meterValue=_mv2(T0, BEGIN_WH, "Transaction.Begin"),
        ),
    )
    await station.ok(
        "TransactionEvent",
        _event(
            "Updated", 1, T1, "MeterValuePeriodic", meterValue=_mv2(T1, MID_WH, "Sample.Periodic")
        ),
    )
    await station.ok(
        "TransactionEvent",
        _event(
            "Ended",
            2,
            T2,
            "EVCommunicationLost",
            info={"stoppedReason": "EVDisconnected"},
            meterValue=_mv2(T2, END_WH, "Transaction.End"),
        ),
    )
    await station.ok(
        "StatusNotification",
        {"timestamp": T3, "connectorStatus": "Available", "evseId": 1, "connectorId": 1},
    )


async def event_types(server: RunningServer, station_id: str) -> set[str]:
    """The types of the events recorded about the station's session. Alerts are left out: the
    evaluator raises them from its own sweep, whenever it comes round (these scenarios replay
    January timestamps, which a clock-drift rule may flag in one run and not yet in another)."""
    db = Database(server.settings.database_url)
    try:
        async with db.reading() as uow:
            rows = await uow.session.scalars(
                select(Event.type).where(Event.station_id == station_id)
            )
            return {kind for kind in rows if not kind.startswith("alert.")}
    finally:
        await db.dispose()
