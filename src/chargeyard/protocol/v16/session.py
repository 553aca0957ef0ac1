"""The OCPP 1.6J session: each handler translates one station message into domain calls."""

from typing import Any

from ocpp.v16 import call, call_result
from ocpp.v16.enums import Action, DataTransferStatus, GenericStatus

from chargeyard.certificates.domain import CertificateUse, CsrReview
from chargeyard.certificates.service import CertificateService, deliver_certificate
from chargeyard.protocol.convert import format_timestamp, parse_timestamp
from chargeyard.protocol.domain_session import DomainSession
from chargeyard.protocol.router import on
from chargeyard.protocol.v16.translate import (
    CONNECTOR_STATUS,
    bounded,
    evse_id,
    id_tag_info,
    meter_readings,
)
from chargeyard.security_events.domain import SecurityEventReport
from chargeyard.security_events.service import SecurityEventService
from chargeyard.stations.domain import BootInfo, StatusReport
from chargeyard.transactions.domain import StartRequest, StopRequest


class V16Session(DomainSession):
    subprotocol = "ocpp1.6"
    ocpp_version = "1.6"
    call_types = call
    result_types = call_result
    known_actions = frozenset(action.value for action in Action)

    @on(Action.boot_notification)
    async def on_boot_notification(
        self,
        charge_point_vendor: str,
        charge_point_model: str,
        charge_point_serial_number: str | None = None,
        **optional: str,
    ) -> call_result.BootNotification:
        info = BootInfo(
            vendor=charge_point_vendor,
            model=charge_point_model,
            serial_number=charge_point_serial_number,
            **optional,
        )
        decision = await self._boot(info)
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
            evse_id=evse_id(connector_id, station_allowed=True) or None,
            connector_id=1 if connector_id else None,
            error_code=error_code,
            **optional,
        )
        await self._report_status(report)
        return call_result.StatusNotification()

    @on(Action.authorize)
    async def on_authorize(self, id_tag: str) -> call_result.Authorize:
        # 1.6 reserves ConcurrentTx for StartTransaction (7.4): a tag already charging elsewhere
        # is valid here, and its second start is what may be refused.
        authorization = await self._authorize(id_tag, concurrent_allowed=True)
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
            evse_id=evse_id(connector_id, station_allowed=False),
            connector_id=1,
            id_tag=id_tag,
            meter_start_wh=bounded(meter_start, "meterStart"),
            timestamp=parse_timestamp(timestamp),
            reservation_id=bounded(reservation_id, "reservationId"),
        )
        async with self._unit() as uow:
            outcome = await self._transactions(uow).start(
                self.identity.station_id, request, close_refused=True
            )
            if request.reservation_id is not None:
                await self._reservations(uow).used(
                    self.identity.station_id, request.reservation_id, outcome.transaction.id
                )
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
            meter_stop_wh=bounded(meter_stop, "meterStop"),
            timestamp=parse_timestamp(timestamp),
            reason=reason or "Local",
            id_tag=id_tag,
            readings=meter_readings(transaction_data or []),
        )
        async with self._unit() as uow:
            service = self._transactions(uow)
            if await service.stop_held(str(transaction_id), request):
                authorization = await service.authorize_stop(id_tag, transaction_id)
            elif (tx := await service.find(self.identity.station_id, str(transaction_id))) is None:
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
        evse = evse_id(connector_id, station_allowed=True)
        readings = meter_readings(meter_value)
        ocpp_transaction_id = None if transaction_id is None else str(transaction_id)
        await self._meter(evse, 1 if evse else 0, ocpp_transaction_id, readings)
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

    # The 1.6 security extension (OCPP 1.6 Security Whitepaper, edition 3).

    @on(Action.security_event_notification)
    async def on_security_event_notification(
        self, type: str, timestamp: str, tech_info: str | None = None
    ) -> call_result.SecurityEventNotification:
        report = SecurityEventReport(type, parse_timestamp(timestamp), tech_info)
        async with self._unit() as uow:
            service = SecurityEventService(uow, self.identity.organization_id, self.ctx.clock)
            service.report(self.identity.station_id, report, self.ocpp_version)
            await uow.commit()
        return call_result.SecurityEventNotification()

    @on(Action.sign_certificate)
    async def on_sign_certificate(self, csr: str) -> call_result.SignCertificate:
        async with self._unit() as uow:
            service = CertificateService(
                uow, self.identity.organization_id, self.ctx.clock, self.ctx.settings
            )
            review = service.review(self.identity.station_id, csr, CertificateUse.CHARGING_STATION)
            await uow.commit()
        if not review.accepted:
            return call_result.SignCertificate(status=GenericStatus.rejected)
        self.spawn(self._deliver_certificate(review))
        return call_result.SignCertificate(status=GenericStatus.accepted)

    async def _deliver_certificate(self, review: CsrReview) -> None:
        async def send(chain: str) -> str:
            answer = await self.call(call.CertificateSigned(certificate_chain=chain))
            return "NoAnswer" if answer is None else str(answer.status)

        ctx = self.ctx
        await deliver_certificate(
            ctx.db, ctx.settings, ctx.clock, self.identity.organization_id, review, send
        )

    @on(Action.log_status_notification)
    async def on_log_status_notification(
        self, status: str, request_id: int | None = None
    ) -> call_result.LogStatusNotification:
        async with self._unit() as uow:
            service = self._stations(uow)
            service.report_upload_status(await self._station(service), status, request_id)
            await uow.commit()
        return call_result.LogStatusNotification()

    @on(Action.signed_firmware_status_notification)
    async def on_signed_firmware_status_notification(
        self, status: str, request_id: int | None = None
    ) -> call_result.SignedFirmwareStatusNotification:
        async with self._unit() as uow:
            service = self._stations(uow)
            service.report_firmware_status(await self._station(service), status, request_id)
            await uow.commit()
        return call_result.SignedFirmwareStatusNotification()
