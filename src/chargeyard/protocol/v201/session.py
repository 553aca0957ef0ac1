"""The OCPP 2.0.1 session: each handler translates one station message into domain calls.

Core messages live here (provisioning, authorization, transactions, status, firmware and log
progress); the reports a station sends about itself are in `reports.py`, certificate and
security messages in `security.py`. The 2.1 session extends this one.
"""

import json
from typing import Any

from ocpp.v201 import call, call_result
from ocpp.v201.enums import Action

from chargeyard.events.payloads import ReservationStatusDetails
from chargeyard.id_tags.domain import Authorization, AuthorizationStatus
from chargeyard.protocol.convert import format_timestamp, parse_timestamp
from chargeyard.protocol.router import on
from chargeyard.protocol.v201 import translate
from chargeyard.protocol.v201.reports import ReportHandlers
from chargeyard.protocol.v201.security import SecurityHandlers
from chargeyard.protocol.v201.tariff_lines import TariffLines
from chargeyard.station_reports.domain import ReportKind, StationReport
from chargeyard.stations.domain import ConnectorStatus, StatusReport
from chargeyard.storage.group_commit import GuardMissed
from chargeyard.transaction_events.service import (
    EventOutcome,
    TransactionEventService,
    apply_from_memory,
)
from chargeyard.transactions.domain import TransactionEventReport
from chargeyard.transactions.metering import Metering


class V201Session(ReportHandlers, SecurityHandlers, TariffLines):
    subprotocol = "ocpp2.0.1"
    ocpp_version = "2.0.1"
    call_types = call
    result_types = call_result
    known_actions = frozenset(action.value for action in Action)

    @on(Action.boot_notification)
    async def on_boot_notification(
        self, charging_station: dict[str, Any], reason: str, **_: Any
    ) -> Any:
        info = translate.boot_info(charging_station, reason)
        decision = await self._boot(info)
        return self.result_types.BootNotification(
            current_time=format_timestamp(self.ctx.clock()),
            interval=decision.interval_s,
            status=decision.status.value,
        )

    @on(Action.heartbeat)
    async def on_heartbeat(self, **_: Any) -> Any:
        return self.result_types.Heartbeat(current_time=format_timestamp(self.ctx.clock()))

    @on(Action.status_notification)
    async def on_status_notification(
        self, timestamp: str, connector_status: str, evse_id: int, connector_id: int, **_: Any
    ) -> Any:
        report = StatusReport(
            status=ConnectorStatus(connector_status),
            ocpp_status=connector_status,
            timestamp=parse_timestamp(timestamp),
            evse_id=evse_id or None,
            connector_id=connector_id if evse_id else None,
        )
        await self._report_status(report)
        return self.result_types.StatusNotification()

    @on(Action.authorize)
    async def on_authorize(self, id_token: dict[str, Any], **_: Any) -> Any:
        value = translate.id_tag(id_token)
        if value is None:
            authorization = Authorization(AuthorizationStatus.ACCEPTED)
        else:
            authorization = await self._authorize(value)
        message = await self._tariff_line(value, authorization)
        return self.result_types.Authorize(
            id_token_info=translate.id_token_info(authorization, message)
        )

    @on(Action.transaction_event)
    async def on_transaction_event(self, **fields: Any) -> Any:
        report = translate.transaction_report(fields)
        outcome = await self._event_from_memory(report)
        if outcome is None:
            outcome = await self._apply_event(report)
        authorization = outcome.authorization
        line, updated = await self._event_lines(report.event_type, outcome)
        return self.result_types.TransactionEvent(
            id_token_info=None
            if authorization is None
            else translate.id_token_info(authorization, line),
            total_cost=translate.total_cost(outcome.transaction, report.event_type),
            updated_personal_message=None
            if updated is None
            else translate.personal_message(updated),
        )

    async def _event_from_memory(self, report: TransactionEventReport) -> EventOutcome | None:
        """The commonest event (an Updated reading of a held session) from the connection's
        memory, in a deferred unit; None when the full path must decide (also when its guarded
        write finds the session changed elsewhere: then nothing of it was stored)."""
        async with self.ctx.db.deferred() as unit:
            metering = Metering(
                unit, self.identity.organization_id, self.ctx.clock, self.watermark, self.held
            )
            outcome = apply_from_memory(unit, metering, self.held, report)
            if outcome is None:
                return None
            try:
                await unit.commit()
            except GuardMissed:
                return None
            return outcome

    async def _apply_event(self, report: TransactionEventReport) -> EventOutcome:
        async with self._unit() as uow:
            service = TransactionEventService(
                uow, self.identity.organization_id, self.ctx.clock, self.watermark, self.held
            )
            outcome = await service.apply(self.identity.station_id, report)
            if report.reservation_id is not None and not outcome.duplicate:
                await self._reservations(uow).used(
                    self.identity.station_id, report.reservation_id, outcome.transaction.id
                )
            await uow.commit()
        return outcome

    @on(Action.meter_values)
    async def on_meter_values(
        self, evse_id: int, meter_value: list[dict[str, Any]], **_: Any
    ) -> Any:
        readings = translate.meter_readings(meter_value)
        await self._meter(evse_id, 1 if evse_id else 0, None, readings)
        return self.result_types.MeterValues()

    @on(Action.data_transfer)
    async def on_data_transfer(
        self, vendor_id: str, message_id: str | None = None, data: Any = None, **_: Any
    ) -> Any:
        text = data if data is None or isinstance(data, str) else json.dumps(data)
        async with self._unit() as uow:
            service = self._stations(uow)
            service.record_data_transfer(await self._station(service), vendor_id, message_id, text)
            await uow.commit()
        return self.result_types.DataTransfer(status="Accepted")

    @on(Action.firmware_status_notification)
    async def on_firmware_status_notification(
        self, status: str, request_id: int | None = None, **_: Any
    ) -> Any:
        async with self._unit() as uow:
            service = self._stations(uow)
            service.report_firmware_status(await self._station(service), status, request_id)
            await uow.commit()
        return self.result_types.FirmwareStatusNotification()

    @on(Action.log_status_notification)
    async def on_log_status_notification(
        self, status: str, request_id: int | None = None, **_: Any
    ) -> Any:
        report = StationReport(
            ReportKind.LOG_STATUS, self.ctx.clock(), request_id=request_id, status=status
        )
        async with self._unit() as uow:
            service = self._stations(uow)
            service.report_upload_status(await self._station(service), status, request_id)
            self._reports(uow).record(self.identity.station_id, report)
            await uow.commit()
        return self.result_types.LogStatusNotification()

    @on(Action.reservation_status_update)
    async def on_reservation_status_update(
        self, reservation_id: int, reservation_update_status: str, **_: Any
    ) -> Any:
        """Expired or Removed: the station no longer holds the reservation."""
        report = StationReport(
            ReportKind.RESERVATION_STATUS,
            self.ctx.clock(),
            data=ReservationStatusDetails(reservation_id=reservation_id),
            status=reservation_update_status,
        )
        async with self._unit() as uow:
            service = self._reservations(uow)
            reservation = await service.reservations.on_station(
                self.identity.station_id, reservation_id
            )
            if reservation is not None and reservation_update_status == "Expired":
                service.expired(reservation)
            elif reservation is not None:
                service.cancelled(reservation)
            self._reports(uow).record(self.identity.station_id, report)
            await uow.commit()
        return self.result_types.ReservationStatusUpdate()
