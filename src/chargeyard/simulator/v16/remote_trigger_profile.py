"""TriggerMessage (OCPP 1.6 Remote Trigger profile): send a message when the CSMS asks.

The triggered message goes out after the TriggerMessage answer, as OCPP requires.
"""

from __future__ import annotations

from typing import Any

from ocpp.v16 import call_result
from ocpp.v16.enums import Action, MessageTrigger, ReadingContext, TriggerMessageStatus

from chargeyard.simulator.v16.handler import ProfileHandlers, handles


class RemoteTriggerProfile(ProfileHandlers):
    @handles(Action.trigger_message)
    def on_trigger_message(
        self, requested_message: str, connector_id: int | None = None, **_: Any
    ) -> call_result.TriggerMessage:
        known = connector_id in (None, 0) or self.station.charger.has(connector_id or 0)
        if self.refuses(Action.trigger_message) or not known:
            return call_result.TriggerMessage(status=TriggerMessageStatus.rejected)
        trigger = MessageTrigger(requested_message)
        self.after_reply(lambda: self._send_triggered(trigger, connector_id))
        return call_result.TriggerMessage(status=TriggerMessageStatus.accepted)

    async def _send_triggered(self, trigger: MessageTrigger, connector_id: int | None) -> None:
        station = self.station
        targets = station.connector_ids if connector_id in (None, 0) else (connector_id or 0,)
        match trigger:
            case MessageTrigger.boot_notification:
                await station.boot()
            case MessageTrigger.heartbeat:
                await station.heartbeat()
            case MessageTrigger.firmware_status_notification:
                await station.firmware_status_notification(station.firmware_status)
            case MessageTrigger.diagnostics_status_notification:
                await station.diagnostics_status_notification(station.diagnostics_status)
            case MessageTrigger.status_notification:
                await self._send_statuses(connector_id)
            case MessageTrigger.meter_values:
                for target in targets:
                    connector = station.connector(target)
                    station.charger.advance(connector)
                    tx = connector.transaction
                    tx_id = None if tx is None else int(tx.transaction_id)
                    await station.send_meter_values(target, tx_id, context=ReadingContext.trigger)

    async def _send_statuses(self, connector_id: int | None) -> None:
        """Connector 0 reports the station; no connector id reports everything."""
        station = self.station
        if connector_id in (None, 0):
            await station.status(0, station.charger.status)
        if connector_id == 0:
            return
        targets = station.connector_ids if connector_id is None else (connector_id,)
        for target in targets:
            connector = station.connector(target)
            await station.status(target, connector.status, connector.error_code)
