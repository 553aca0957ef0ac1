"""Planned route use cases. Never commits.

The site reader asks for a session's vehicle's next route (`load_management/site_reader.py`):
its departure is the session's deadline and its target the state of charge to reach."""

from datetime import datetime
from typing import Any

from chargeyard.clock import Clock
from chargeyard.errors import Invalid
from chargeyard.events.payloads import (
    VEHICLE_ROUTE_PLANNED,
    VEHICLE_ROUTE_REMOVED,
    EventKind,
    RouteChanged,
)
from chargeyard.events.recorder import record_event
from chargeyard.planned_routes.models import PlannedRouteRow
from chargeyard.planned_routes.repository import PlannedRouteRepository
from chargeyard.storage.repository import Page, PageResult
from chargeyard.storage.unit_of_work import UnitOfWork
from chargeyard.vehicles.repository import VehicleRepository


class PlannedRouteService:
    def __init__(self, uow: UnitOfWork, organization_id: str, clock: Clock) -> None:
        self.uow = uow
        self.organization_id = organization_id
        self.clock = clock
        self.vehicles = VehicleRepository(uow.session, organization_id)
        self.routes = PlannedRouteRepository(uow.session, organization_id)

    async def plan(self, vehicle_id: str, fields: dict[str, Any]) -> PlannedRouteRow:
        await self.vehicles.get(vehicle_id)
        if fields["departs_at"] <= self.clock():
            raise Invalid("departs_at: a planned route departs in the future")
        row = PlannedRouteRow(organization_id=self.organization_id, vehicle_id=vehicle_id, **fields)
        self.routes.add(row)
        await self.uow.session.flush()
        self._event(VEHICLE_ROUTE_PLANNED, row)
        return row

    async def listed(
        self, vehicle_id: str, page: Page, since: datetime | None, until: datetime | None
    ) -> PageResult[PlannedRouteRow]:
        await self.vehicles.get(vehicle_id)
        return await self.routes.search(vehicle_id, page, since, until)

    async def remove(self, vehicle_id: str, route_id: str) -> None:
        await self.vehicles.get(vehicle_id)
        route = await self.routes.of_vehicle(vehicle_id, route_id)
        await self.routes.delete(route)
        self._event(VEHICLE_ROUTE_REMOVED, route)

    def _event(self, kind: EventKind[RouteChanged], route: PlannedRouteRow) -> None:
        """Also what wakes the smart charging controller (a `vehicle.` event)."""
        data: RouteChanged = {
            "vehicle_id": route.vehicle_id,
            "route_id": route.id,
            "departs_at": route.departs_at.isoformat(),
        }
        record_event(
            self.uow,
            organization_id=self.organization_id,
            kind=kind,
            occurred_at=self.clock(),
            data=data,
        )
