"""OCPP 2.x handlers for what a station reports about itself: its device model, monitors,
device events, charging limits and EV needs, and listings it sends in answer to requests."""

from typing import Any

from ocpp.v201.enums import Action

from chargeyard.charging_limits.domain import ChargingLimit
from chargeyard.charging_limits.service import ChargingLimitService
from chargeyard.charging_needs.domain import EvChargingSchedule
from chargeyard.charging_needs.service import ChargingNeedService
from chargeyard.device_model.service import DeviceModelService
from chargeyard.events.payloads import (
    ChargingProfilesDetails,
    CustomerInformationDetails,
    DisplayMessagesDetails,
    PublishFirmwareDetails,
)
from chargeyard.protocol.convert import parse_timestamp
from chargeyard.protocol.router import on
from chargeyard.protocol.v201 import translate
from chargeyard.protocol.v201.base import V2Session
from chargeyard.station_reports.domain import ReportKind, StationReport

# NotifyEVChargingNeeds: the needs are stored for smart charging, which answers with a
# profile when it has one; "Processing" tells the station a schedule may follow.
EV_NEEDS_STATUS = "Processing"


class ReportHandlers(V2Session):
    def _org(self) -> tuple[str, Any]:
        return self.identity.organization_id, self.ctx.clock

    @on(Action.notify_report)
    async def on_notify_report(
        self,
        request_id: int,
        generated_at: str,
        seq_no: int,
        report_data: list[dict[str, Any]] | None = None,
        tbc: bool | None = None,
        **_: Any,
    ) -> Any:
        reports = translate.variable_reports(report_data)
        async with self._unit() as uow:
            service = DeviceModelService(uow, *self._org())
            await service.store_report(
                self.identity.station_id, request_id, parse_timestamp(generated_at), reports
            )
            await uow.commit()
        return self.result_types.NotifyReport()

    @on(Action.notify_monitoring_report)
    async def on_notify_monitoring_report(
        self,
        request_id: int,
        seq_no: int,
        generated_at: str,
        monitor: list[dict[str, Any]] | None = None,
        tbc: bool | None = None,
        **_: Any,
    ) -> Any:
        monitors = translate.monitor_reports(monitor)
        async with self._unit() as uow:
            service = DeviceModelService(uow, *self._org())
            await service.store_monitors(
                self.identity.station_id,
                request_id,
                parse_timestamp(generated_at),
                monitors,
                last=not tbc,
            )
            await uow.commit()
        return self.result_types.NotifyMonitoringReport()

    @on(Action.notify_event)
    async def on_notify_event(
        self,
        generated_at: str,
        seq_no: int,
        event_data: list[dict[str, Any]],
        tbc: bool | None = None,
        **_: Any,
    ) -> Any:
        """One report per event: each names its own component, variable and time."""
        reports = [
            StationReport(
                ReportKind.DEVICE_EVENT,
                parse_timestamp(event["timestamp"]),
                data=translate.device_event(event),
                seq_no=seq_no,
                tbc=bool(tbc),
                evse_id=(event["component"].get("evse") or {}).get("id"),
                status=event["trigger"],
            )
            for event in event_data
        ]
        await self._record(*reports)
        return self.result_types.NotifyEvent()

    @on(Action.notify_charging_limit)
    async def on_notify_charging_limit(
        self,
        charging_limit: dict[str, Any],
        charging_schedule: list[dict[str, Any]] | None = None,
        evse_id: int | None = None,
        **_: Any,
    ) -> Any:
        limit = ChargingLimit(
            source=charging_limit["charging_limit_source"],
            evse_id=evse_id,
            grid_critical=charging_limit.get("is_grid_critical"),
            schedules=tuple(charging_schedule or ()),
        )
        async with self._unit() as uow:
            ChargingLimitService(uow, *self._org()).record(self.identity.station_id, limit)
            await uow.commit()
        return self.result_types.NotifyChargingLimit()

    @on(Action.cleared_charging_limit)
    async def on_cleared_charging_limit(
        self, charging_limit_source: str, evse_id: int | None = None, **_: Any
    ) -> Any:
        async with self._unit() as uow:
            service = ChargingLimitService(uow, *self._org())
            await service.clear(self.identity.station_id, charging_limit_source, evse_id)
            await uow.commit()
        return self.result_types.ClearedChargingLimit()

    @on(Action.notify_ev_charging_needs)
    async def on_notify_ev_charging_needs(
        self,
        charging_needs: dict[str, Any],
        evse_id: int,
        max_schedule_tuples: int | None = None,
        **_: Any,
    ) -> Any:
        need = translate.charging_need(evse_id, charging_needs, max_schedule_tuples)
        async with self._unit() as uow:
            ChargingNeedService(uow, *self._org()).record_need(self.identity.station_id, need)
            await uow.commit()
        return self.result_types.NotifyEVChargingNeeds(status=EV_NEEDS_STATUS)

    @on(Action.notify_ev_charging_schedule)
    async def on_notify_ev_charging_schedule(
        self, time_base: str, charging_schedule: dict[str, Any], evse_id: int, **_: Any
    ) -> Any:
        schedule = EvChargingSchedule(evse_id, parse_timestamp(time_base), charging_schedule)
        async with self._unit() as uow:
            service = ChargingNeedService(uow, *self._org())
            service.record_schedule(self.identity.station_id, schedule)
            await uow.commit()
        return self.result_types.NotifyEVChargingSchedule(status="Accepted")

    @on(Action.report_charging_profiles)
    async def on_report_charging_profiles(
        self,
        request_id: int,
        charging_limit_source: str,
        charging_profile: list[dict[str, Any]],
        evse_id: int,
        tbc: bool | None = None,
        **_: Any,
    ) -> Any:
        data = ChargingProfilesDetails(
            charging_limit_source=charging_limit_source, profiles=charging_profile
        )
        report = StationReport(
            ReportKind.CHARGING_PROFILES,
            self.ctx.clock(),
            data=data,
            request_id=request_id,
            tbc=bool(tbc),
            evse_id=evse_id,
        )
        async with self._unit() as uow:
            self._reports(uow).record(self.identity.station_id, report)
            # The answer to a read of the station's external constraints (smart charging's
            # `load_management/external_constraints.py`) is also what limits the plan.
            await ChargingLimitService(uow, *self._org()).record_read(
                self.identity.station_id,
                request_id,
                evse_id,
                charging_limit_source,
                charging_profile,
            )
            await uow.commit()
        return self.result_types.ReportChargingProfiles()

    @on(Action.notify_customer_information)
    async def on_notify_customer_information(
        self,
        data: str,
        seq_no: int,
        generated_at: str,
        request_id: int,
        tbc: bool | None = None,
        **_: Any,
    ) -> Any:
        report = StationReport(
            ReportKind.CUSTOMER_INFORMATION,
            parse_timestamp(generated_at),
            data=CustomerInformationDetails(data=data),
            request_id=request_id,
            seq_no=seq_no,
            tbc=bool(tbc),
        )
        await self._record(report)
        return self.result_types.NotifyCustomerInformation()

    @on(Action.notify_display_messages)
    async def on_notify_display_messages(
        self,
        request_id: int,
        message_info: list[dict[str, Any]] | None = None,
        tbc: bool | None = None,
        **_: Any,
    ) -> Any:
        report = StationReport(
            ReportKind.DISPLAY_MESSAGES,
            self.ctx.clock(),
            data=DisplayMessagesDetails(messages=message_info or []),
            request_id=request_id,
            tbc=bool(tbc),
        )
        await self._record(report)
        return self.result_types.NotifyDisplayMessages()

    @on(Action.publish_firmware_status_notification)
    async def on_publish_firmware_status_notification(
        self,
        status: str,
        location: list[str] | None = None,
        request_id: int | None = None,
        **_: Any,
    ) -> Any:
        report = StationReport(
            ReportKind.PUBLISH_FIRMWARE_STATUS,
            self.ctx.clock(),
            data=PublishFirmwareDetails(locations=location or []),
            request_id=request_id,
            status=status,
        )
        await self._record(report)
        return self.result_types.PublishFirmwareStatusNotification()
