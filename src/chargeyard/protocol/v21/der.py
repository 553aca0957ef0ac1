"""OCPP 2.1 distributed energy resource (DER) messages: alarms, controls starting and stopping,
and the control listings a station sends in answer to GetDERControl. Kept as station reports."""

from typing import Any

from ocpp.v21.enums import Action

from chargeyard.events.payloads import DerAlarmDetails, DerControlsDetails, DerStartStopDetails
from chargeyard.protocol.convert import parse_timestamp
from chargeyard.protocol.router import on
from chargeyard.protocol.v201.base import V2Session
from chargeyard.station_reports.domain import ReportKind, StationReport


class DerHandlers(V2Session):
    @on(Action.notify_der_alarm)
    async def on_notify_der_alarm(
        self,
        control_type: str,
        timestamp: str,
        grid_event_fault: str | None = None,
        alarm_ended: bool | None = None,
        extra_info: str | None = None,
        **_: Any,
    ) -> Any:
        data: DerAlarmDetails = {
            "control_type": control_type,
            "grid_event_fault": grid_event_fault,
            "alarm_ended": bool(alarm_ended),
            "extra_info": extra_info,
        }
        report = StationReport(
            ReportKind.DER_ALARM,
            parse_timestamp(timestamp),
            data=data,
            status="Ended" if alarm_ended else "Raised",
        )
        await self._record(report)
        return self.result_types.NotifyDERAlarm()

    @on(Action.notify_der_start_stop)
    async def on_notify_der_start_stop(
        self,
        control_id: str,
        started: bool,
        timestamp: str,
        superseded_ids: list[str] | None = None,
        **_: Any,
    ) -> Any:
        data: DerStartStopDetails = {
            "control_id": control_id,
            "superseded_ids": superseded_ids or [],
        }
        report = StationReport(
            ReportKind.DER_START_STOP,
            parse_timestamp(timestamp),
            data=data,
            status="Started" if started else "Stopped",
        )
        await self._record(report)
        return self.result_types.NotifyDERStartStop()

    @on(Action.report_der_control)
    async def on_report_der_control(
        self, request_id: int, tbc: bool | None = None, custom_data: Any = None, **controls: Any
    ) -> Any:
        """`controls`: the lists by control type (curve, enter_service, fixed_var, ...)."""
        report = StationReport(
            ReportKind.DER_CONTROLS,
            self.ctx.clock(),
            data=DerControlsDetails(controls=controls),
            request_id=request_id,
            tbc=bool(tbc),
        )
        await self._record(report)
        return self.result_types.ReportDERControl()
