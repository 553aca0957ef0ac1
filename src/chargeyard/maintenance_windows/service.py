"""Maintenance window use cases: plan, move and cancel windows. Never commits."""

from datetime import datetime
from typing import Any

from chargeyard.clock import Clock, as_utc
from chargeyard.errors import Invalid
from chargeyard.events.payloads import (
    MAINTENANCE_WINDOW_CREATED,
    MAINTENANCE_WINDOW_DELETED,
    MAINTENANCE_WINDOW_UPDATED,
    EventKind,
    MaintenanceWindowChanged,
)
from chargeyard.events.recorder import record_event
from chargeyard.locations.repository import LocationRepository
from chargeyard.maintenance_windows.domain import check_window
from chargeyard.maintenance_windows.models import MaintenanceWindow
from chargeyard.maintenance_windows.repository import MaintenanceWindowRepository
from chargeyard.stations.repository import StationRepository
from chargeyard.storage.base import new_id
from chargeyard.storage.unit_of_work import UnitOfWork


class MaintenanceWindowService:
    def __init__(self, uow: UnitOfWork, organization_id: str, clock: Clock) -> None:
        self.uow = uow
        self.organization_id = organization_id
        self.clock = clock
        self.windows = MaintenanceWindowRepository(uow.session, organization_id)

    async def create(
        self,
        station_id: str | None,
        location_id: str | None,
        starts_at: datetime,
        ends_at: datetime,
        reason: str | None,
        actor: str,
    ) -> MaintenanceWindow:
        starts_at, ends_at = as_utc(starts_at), as_utc(ends_at)
        check_window(station_id, location_id, starts_at, ends_at)
        if station_id is not None:
            stations = StationRepository(self.uow.session, self.organization_id)
            if await stations.find(station_id) is None:
                raise Invalid(f"station_id: station {station_id!r} does not exist")
        if location_id is not None:
            locations = LocationRepository(self.uow.session, self.organization_id)
            if await locations.find(location_id) is None:
                raise Invalid(f"location_id: location {location_id!r} does not exist")
        window = MaintenanceWindow(
            id=new_id(),
            organization_id=self.organization_id,
            station_id=station_id,
            location_id=location_id,
            starts_at=starts_at,
            ends_at=ends_at,
            reason=reason,
            created_by=actor,
            revision=1,
        )
        self.windows.add(window)
        self._event(MAINTENANCE_WINDOW_CREATED, window)
        return window

    async def update(self, window: MaintenanceWindow, changes: dict[str, Any]) -> MaintenanceWindow:
        starts_at = as_utc(changes.get("starts_at") or window.starts_at)
        ends_at = as_utc(changes.get("ends_at") or window.ends_at)
        check_window(window.station_id, window.location_id, starts_at, ends_at)
        window.starts_at, window.ends_at = starts_at, ends_at
        if "reason" in changes:
            window.reason = changes["reason"]
        window.touch()
        self._event(MAINTENANCE_WINDOW_UPDATED, window)
        return window

    async def delete(self, window: MaintenanceWindow) -> None:
        await self.windows.delete(window)
        self._event(MAINTENANCE_WINDOW_DELETED, window)

    def _event(self, kind: EventKind[MaintenanceWindowChanged], window: MaintenanceWindow) -> None:
        record_event(
            self.uow,
            organization_id=self.organization_id,
            kind=kind,
            occurred_at=self.clock(),
            station_id=window.station_id,
            data=MaintenanceWindowChanged(
                {
                    "maintenance_window_id": window.id,
                    "station_id": window.station_id,
                    "location_id": window.location_id,
                    "starts_at": as_utc(window.starts_at).isoformat(),
                    "ends_at": as_utc(window.ends_at).isoformat(),
                    "reason": window.reason,
                }
            ),
        )
