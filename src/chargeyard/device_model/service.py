"""Storing what a station reports of its device model. Never commits.

A report replaces what was known of each attribute it names (reports are the station's current
truth) and leaves the others alone: a GetReport for one component must not erase the rest.
Monitors follow the same rule, with one exception: the parts of a read that asked for every
monitor (`domain.MonitorRead`), once the last has arrived, replace the station's whole set, so a
monitor the station no longer has is forgotten.
"""

from dataclasses import replace
from datetime import datetime

from chargeyard.clock import Clock
from chargeyard.device_model.domain import (
    MonitorRead,
    MonitorReport,
    VariableReport,
    after_part,
    answer_abandons,
    answer_finishes,
    answered_by,
    attribute_key,
    connector_types,
    monitors_gone,
    topology,
)
from chargeyard.device_model.models import DeviceMonitor, DeviceMonitorRead, DeviceVariable
from chargeyard.device_model.repository import DeviceModelRepository, MonitorReadRepository
from chargeyard.events.payloads import (
    DEVICE_MODEL_MONITORS_READ,
    DEVICE_MODEL_MONITORS_REPORTED,
    DEVICE_MODEL_REPORTED,
    DeviceModelReported,
    DeviceMonitorsRead,
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
        self.reads = MonitorReadRepository(uow.session, organization_id)
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

    async def start_monitor_read(self, station_id: str, request_id: int, whole: bool) -> None:
        """A GetMonitoringReport goes out as `request_id` (stored before it is sent: the
        station's reports may arrive before its answer is recorded). Only its parts can finish a
        read; an older read's late parts merely update the monitors they list."""
        row = await self.reads.of_station(station_id)
        if row is None:
            row = DeviceMonitorRead(organization_id=self.organization_id, station_id=station_id)
            self.reads.add(row)
        row.request_id, row.whole, row.awaiting = request_id, whole, True
        row.listed, row.requested_at = [], self.clock()

    async def monitor_read_answered(
        self, station_id: str, request_id: int, status: str | None, sent: bool
    ) -> None:
        """The station's answer to the read: EmptyResultSet finishes it with nothing listed (a
        whole read then forgets every stored monitor); a refusal, or a CALL that never went
        out, leaves nothing to await. Accepted, or silence after sending, awaits the parts."""
        row = await self.reads.of_station(station_id)
        if row is None or not answered_by(_read(row), request_id):
            return
        if answer_finishes(status):
            await self._finish_read(row, station_id, _read(row), self.clock())
        elif answer_abandons(status, sent):
            row.awaiting = False

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
        last: bool = True,
    ) -> None:
        """One NotifyMonitoringReport part (`last`: its tbc was false): upsert what it lists,
        and if it belongs to the read awaited, count it towards that read."""
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
            _describe(row, monitor)
            row.report_request_id = request_id
            row.reported_at = generated_at
        self._event(
            station_id, DEVICE_MODEL_MONITORS_REPORTED, generated_at, request_id, len(monitors)
        )
        read_row = await self.reads.of_station(station_id)
        if read_row is not None and answered_by(_read(read_row), request_id):
            read = after_part(_read(read_row), (m.monitor_id for m in monitors), last)
            read_row.listed = sorted(read.listed)
            if not read.awaiting:
                await self._finish_read(read_row, station_id, read, generated_at)

    async def _finish_read(
        self, row: DeviceMonitorRead, station_id: str, read: MonitorRead, at: datetime
    ) -> None:
        gone = monitors_gone(
            replace(read, awaiting=False), await self.models.monitor_ids(station_id)
        )
        if gone:
            await self.models.delete_monitors(station_id, set(gone))
        row.awaiting, row.finished_at, row.finished_whole = False, self.clock(), read.whole
        record_event(
            self.uow,
            organization_id=self.organization_id,
            kind=DEVICE_MODEL_MONITORS_READ,
            occurred_at=at,
            station_id=station_id,
            data=DeviceMonitorsRead(
                station_id=station_id,
                request_id=read.request_id,
                whole=read.whole,
                listed=len(read.listed),
                removed=len(gone),
            ),
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


def _read(row: DeviceMonitorRead) -> MonitorRead:
    return MonitorRead(row.request_id, row.whole, row.awaiting, frozenset(row.listed))


def _describe(row: DeviceMonitor, monitor: MonitorReport) -> None:
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
