"""The OCPP 1.6J session: each handler translates one station message into domain calls."""

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from ocpp.routing import on
from ocpp.v16 import call, call_result
from ocpp.v16.enums import Action, DataTransferStatus

from chargeyard.id_tags.service import IdTagService
from chargeyard.protocol.convert import format_timestamp, parse_timestamp
from chargeyard.protocol.session import StationSession
from chargeyard.protocol.v16.translate import CONNECTOR_STATUS, id_tag_info, meter_readings
from chargeyard.stations.domain import BootInfo, RegistrationStatus, StatusReport
from chargeyard.stations.models import Station
from chargeyard.stations.service import StationService
from chargeyard.storage.unit_of_work import UnitOfWork
from chargeyard.transactions.domain import StartRequest, StopRequest
from chargeyard.transactions.service import TransactionService


class V16Session(StationSession):
    subprotocol = "ocpp1.6"
    _ocpp_version = "1.6"
    _call = call
    _call_result = call_result
    known_actions = frozenset(action.value for action in Action)

    @asynccontextmanager
    async def _unit(self) -> AsyncIterator[UnitOfWork]:
        async with self.ctx.db.writing() as uow:
            yield uow

    def _stations(self, uow: UnitOfWork) -> StationService:
        return StationService(uow, self.identity.organization_id, self.ctx.clock)

    def _transactions(self, uow: UnitOfWork) -> TransactionService:
        return TransactionService(uow, self.identity.organization_id, self.ctx.clock)

    async def _station(self, service: StationService) -> Station:
        return await service.get(self.identity.station_id)

    @on(Action.boot_notification)
    async def on_boot_notification(
        self, charge_point_vendor: str, charge_point_model: str, **optional: str
    ) -> call_result.BootNotification:
        info = BootInfo(vendor=charge_point_vendor, model=charge_point_model, **optional)
        async with self._unit() as uow:
            service = self._stations(uow)
            decision = await service.boot(await self._station(service), info)
            await uow.commit()
        self.boot_accepted = decision.status is RegistrationStatus.ACCEPTED
        return call_result.BootNotification(
            current_time=format_timestamp(self.ctx.clock()),
            interval=decision.interval_s,
            status=decision.status.value,
        )

    @on(Action.heartbeat)
    async def on_heartbeat(self) -> call_result.Heartbeat:
        return call_result.Heartbeat(current_time=format_timestamp(self.ctx.clock()))

    @on(Action.status_notification)
    async def on_status_notification(
        self,
        connector_id: int,
        error_code: str,
        status: str,
        timestamp: str | None = None,
        **optional: str,
    ) -> call_result.StatusNotification:
        report = StatusReport(
            status=CONNECTOR_STATUS[status],
            ocpp_status=status,
            timestamp=parse_timestamp(timestamp) if timestamp else self.ctx.clock(),
            evse_id=connector_id or None,
            connector_id=1 if connector_id else None,
            error_code=error_code,
            **optional,
        )
        async with self._unit() as uow:
            service = self._stations(uow)
            await service.report_status(await self._station(service), report)
            await uow.commit()
        return call_result.StatusNotification()

    @on(Action.authorize)
    async def on_authorize(self, id_tag: str) -> call_result.Authorize:
        async with self.ctx.db.reading() as uow:
            service = IdTagService(uow, self.identity.organization_id, self.ctx.clock)
            authorization = await service.authorize(id_tag)
        return call_result.Authorize(id_tag_info=id_tag_info(authorization))

    @on(Action.start_transaction)
    async def on_start_transaction(
        self,
        connector_id: int,
        id_tag: str,
        meter_start: int,
        timestamp: str,
        reservation_id: int | None = None,
    ) -> call_result.StartTransaction:
        request = StartRequest(
            evse_id=connector_id,
            connector_id=1,
            id_tag=id_tag,
            meter_start_wh=meter_start,
            timestamp=parse_timestamp(timestamp),
            reservation_id=reservation_id,
        )
        async with self._unit() as uow:
            outcome = await self._transactions(uow).start(self.identity.station_id, request)
            await uow.commit()
        return call_result.StartTransaction(
            transaction_id=outcome.transaction.id,
            id_tag_info=id_tag_info(outcome.authorization),
        )

    @on(Action.stop_transaction)
    async def on_stop_transaction(
        self,
        meter_stop: int,
        timestamp: str,
        transaction_id: int,
        reason: str | None = None,
        id_tag: str | None = None,
        transaction_data: list[dict[str, Any]] | None = None,
    ) -> call_result.StopTransaction:
        request = StopRequest(
            meter_stop_wh=meter_stop,
            timestamp=parse_timestamp(timestamp),
            reason=reason or "Local",
            id_tag=id_tag,
            readings=meter_readings(transaction_data or []),
        )
        async with self._unit() as uow:
            service = self._transactions(uow)
            tx = await service.find(self.identity.station_id, str(transaction_id))
            if tx is None:
                authorization = None
                if id_tag is not None:
                    authorization = await service.id_tags.authorize(id_tag)
            else:
                authorization = await service.stop(tx, request)
            await uow.commit()
        return call_result.StopTransaction(
            id_tag_info=None if authorization is None else id_tag_info(authorization)
        )

    @on(Action.meter_values)
    async def on_meter_values(
        self,
        connector_id: int,
        meter_value: list[dict[str, Any]],
        transaction_id: int | None = None,
    ) -> call_result.MeterValues:
        readings = meter_readings(meter_value)
        async with self._unit() as uow:
            service = self._transactions(uow)
            tx = None
            if transaction_id is not None:
                tx = await service.find(self.identity.station_id, str(transaction_id))
            await service.record_meter_values(
                self.identity.station_id, connector_id, 1 if connector_id else 0, tx, readings
            )
            await uow.commit()
        return call_result.MeterValues()

    @on(Action.data_transfer)
    async def on_data_transfer(
        self, vendor_id: str, message_id: str | None = None, data: str | None = None
    ) -> call_result.DataTransfer:
        async with self._unit() as uow:
            service = self._stations(uow)
            service.record_data_transfer(await self._station(service), vendor_id, message_id, data)
            await uow.commit()
        return call_result.DataTransfer(status=DataTransferStatus.accepted)

    @on(Action.diagnostics_status_notification)
    async def on_diagnostics_status_notification(
        self, status: str
    ) -> call_result.DiagnosticsStatusNotification:
        async with self._unit() as uow:
            service = self._stations(uow)
            service.report_upload_status(await self._station(service), status, None)
            await uow.commit()
        return call_result.DiagnosticsStatusNotification()

    @on(Action.firmware_status_notification)
    async def on_firmware_status_notification(
        self, status: str
    ) -> call_result.FirmwareStatusNotification:
        async with self._unit() as uow:
            service = self._stations(uow)
            service.report_firmware_status(await self._station(service), status, None)
            await uow.commit()
        return call_result.FirmwareStatusNotification()
