"""Storing what a station reports of its device model. Never commits.

A report replaces what was known of each attribute it names (reports are the station's current
truth) and leaves the others alone: a GetReport for one component must not erase the rest.
"""

from datetime import datetime

from chargeyard.clock import Clock
from chargeyard.device_model.domain import (
    MonitorReport,
    VariableReport,
    attribute_key,
    connector_types,
    topology,
)
from chargeyard.device_model.models import DeviceMonitor, DeviceVariable
from chargeyard.device_model.repository import DeviceModelRepository
from chargeyard.events.payloads import (
    DEVICE_MODEL_MONITORS_REPORTED,
    DEVICE_MODEL_REPORTED,
    DeviceModelReported,
    EventKind,
)
from chargeyard.events.recorder import record_event
from chargeyard.security.station_secrets import MASK, is_station_secret
from chargeyard.stations.layout import LayoutService
from chargeyard.stations.service import StationService
from chargeyard.storage.unit_of_work import UnitOfWork


class DeviceModelService:
    def __init__(self, uow: UnitOfWork, organization_id: str, clock: Clock) -> None:
        self.uow = uow
        self.organization_id = organization_id
        self.clock = clock
        self.models = DeviceModelRepository(uow.session, organization_id)
        self.stations = StationService(uow, organization_id, clock)

    async def store_report(
        self,
        station_id: str,
        request_id: int | None,
        generated_at: datetime,
        reports: tuple[VariableReport, ...],
    ) -> int:
        """Upsert every reported attribute; returns how many attributes were stored."""
        names = {r.component.name for r in reports}
        known = {
            (
                row.component_name,
                row.component_instance,
                row.evse_id,
                row.connector_id,
                row.variable_name,
                row.variable_instance,
                row.attribute_type,
            ): row
            for row in await self.models.variables_named(station_id, names)
        }
        stored = 0
        for report in reports:
            for attribute in report.attributes:
                key = attribute_key(report.component, report.variable, attribute.type)
                row = known.get(key)
                if row is None:
                    row = known[key] = self._new_variable(station_id, report, attribute.type)
                    self.models.add(row)
                row.value = _stored_value(report, attribute.value)
                row.mutability = attribute.mutability
                row.persistent = attribute.persistent
                row.constant = attribute.constant
                for name, value in vars(report.characteristics).items():
                    setattr(row, name, value)
                row.report_request_id = request_id
                row.reported_at = generated_at
                stored += 1
        await self._learn_topology(station_id, reports)
        self._event(station_id, DEVICE_MODEL_REPORTED, generated_at, request_id, stored)
        return stored

    async def forget_monitors(self, station_id: str, monitor_ids: set[int]) -> None:
        """The monitors a station cleared (ClearVariableMonitoring answered Accepted for them)
        are no longer listed: a report would no longer name them."""
        await self.models.delete_monitors(station_id, monitor_ids)

    async def store_monitors(
        self,
        station_id: str,
        request_id: int | None,
        generated_at: datetime,
        monitors: tuple[MonitorReport, ...],
    ) -> None:
        known = {
            row.monitor_id: row
            for row in await self.models.monitors_by_id(
                station_id, {m.monitor_id for m in monitors}
            )
        }
        for monitor in monitors:
            row = known.get(monitor.monitor_id)
            if row is None:
                row = known[monitor.monitor_id] = DeviceMonitor(
                    organization_id=self.organization_id,
                    station_id=station_id,
                    monitor_id=monitor.monitor_id,
                )
                self.models.add_monitor(row)
            row.component_name = monitor.component.name
            row.component_instance = monitor.component.instance
            row.evse_id = monitor.component.evse_id
            row.connector_id = monitor.component.connector_id
            row.variable_name = monitor.variable.name
            row.variable_instance = monitor.variable.instance
            row.type = monitor.type
            row.value = monitor.value
            row.severity = monitor.severity
            row.transaction = monitor.transaction
            row.report_request_id = request_id
            row.reported_at = generated_at
        self._event(
            station_id, DEVICE_MODEL_MONITORS_REPORTED, generated_at, request_id, len(monitors)
        )

    def _new_variable(
        self, station_id: str, report: VariableReport, attribute_type: str
    ) -> DeviceVariable:
        return DeviceVariable(
            organization_id=self.organization_id,
            station_id=station_id,
            component_name=report.component.name,
            component_instance=report.component.instance,
            evse_id=report.component.evse_id,
            connector_id=report.component.connector_id,
            variable_name=report.variable.name,
            variable_instance=report.variable.instance,
            attribute_type=attribute_type,
        )

    async def _learn_topology(self, station_id: str, reports: tuple[VariableReport, ...]) -> None:
        pairs = topology(reports)
        if not pairs:
            return
        station = await self.stations.get(station_id)
        for evse_id, connector_id in sorted(pairs):
            self.stations.ensure_connector(station, evse_id, connector_id)
        layout = LayoutService(self.uow, self.organization_id, self.clock)
        for (evse_id, connector_id), reported in connector_types(reports).items():
            _, connector = self.stations.ensure_connector(station, evse_id, connector_id)
            layout.report_connector_type(station, connector, reported)

    def _event(
        self,
        station_id: str,
        kind: EventKind[DeviceModelReported],
        at: datetime,
        request_id: int | None,
        count: int,
    ) -> None:
        record_event(
            self.uow,
            organization_id=self.organization_id,
            kind=kind,
            occurred_at=at,
            station_id=station_id,
            data=DeviceModelReported(
                {"station_id": station_id, "request_id": request_id, "count": count}
            ),
        )


def _stored_value(report: VariableReport, value: str | None) -> str | None:
    """A station that reports a password variable (it should not: they are write-only) has
    its value masked like every other stored copy (`security/station_secrets.py`)."""
    if value is not None and is_station_secret(report.variable.name):
        return MASK
    return value
