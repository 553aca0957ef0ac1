"""All SQL about planned routes."""

from collections.abc import Collection
from datetime import datetime

from chargeyard.errors import NotFound
from chargeyard.planned_routes.models import PlannedRouteRow
from chargeyard.storage.repository import Page, PageResult, ScopedRepository, within

Row = PlannedRouteRow


class PlannedRouteRepository(ScopedRepository[Row]):
    model = Row
    noun = "Planned route"

    async def of_vehicle(self, vehicle_id: str, route_id: str) -> Row:
        found = await self.find(route_id)
        if found is None or found.vehicle_id != vehicle_id:
            raise NotFound(f"Planned route {route_id!r} of vehicle {vehicle_id!r} does not exist")
        return found

    async def search(
        self, vehicle_id: str, page: Page, since: datetime | None, until: datetime | None
    ) -> PageResult[Row]:
        statement = within(
            self.query().where(Row.vehicle_id == vehicle_id), Row.departs_at, since, until
        )
        return await self.page(statement, page, order_by=[Row.departs_at, Row.id])

    async def next_after(self, vehicle_ids: Collection[str], after: datetime) -> dict[str, Row]:
        """Each vehicle's first route departing after `after` (one statement for a site's
        vehicles: the control step reads them every step)."""
        if not vehicle_ids:
            return {}
        found = await self.session.execute(
            self.query()
            .where(Row.vehicle_id.in_(list(vehicle_ids)), Row.departs_at > after)
            .order_by(Row.departs_at, Row.id)
        )
        first: dict[str, Row] = {}
        for row in found.scalars():
            first.setdefault(row.vehicle_id, row)
        return first
