"""TriggerMessage on a simulated 2.x station: which message each request sends, and sending it
after the TriggerMessage answer, as OCPP requires."""

from __future__ import annotations

from typing import TYPE_CHECKING

from chargeyard.simulator.v201_handler import FollowUp

if TYPE_CHECKING:
    from chargeyard.simulator.station_v201 import SimulatedStationV201


def send_triggered(
    station: SimulatedStationV201, message: str, evse_id: int | None
) -> FollowUp | None:
    """The follow-up sending `message` (for one EVSE or all), or None if it is not supported."""
    targets = station.connector_ids if evse_id is None else (evse_id,)

    async def statuses() -> None:
        for target in targets:
            await station.status(target, station.connector(target).status)

    async def meter_values() -> None:
        for target in targets:
            await station.report_meter(target)

    async def transaction_events() -> None:
        for target in targets:
            connector = station.connector(target)
            if connector.transaction is not None:
                station.charger.advance(connector)
                await station.transaction_event("Updated", connector, "Trigger")

    async def boot() -> None:
        await station.boot("Triggered")

    async def heartbeat() -> None:
        await station.heartbeat()

    async def firmware() -> None:
        await station.firmware_status_notification(
            station.firmware_status, station.firmware_request_id
        )

    async def log() -> None:
        await station.log_status_notification(station.log_status, station.log_request_id)

    senders: dict[str, FollowUp] = {
        "BootNotification": boot,
        "Heartbeat": heartbeat,
        "StatusNotification": statuses,
        "MeterValues": meter_values,
        "TransactionEvent": transaction_events,
        "FirmwareStatusNotification": firmware,
        "LogStatusNotification": log,
    }
    return senders.get(message)
