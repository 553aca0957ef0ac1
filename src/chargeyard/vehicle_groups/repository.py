"""All SQL about vehicle groups."""

from datetime import datetime

from sqlalchemy import func, select

from chargeyard.storage.repository import Page, PageResult, ScopedRepository, matching, owned_by
from chargeyard.vehicle_groups.models import VehicleGroupRow
from chargeyard.vehicles.models import VehicleRow


class VehicleGroupRepository(ScopedRepository[VehicleGroupRow]):
    model = VehicleGroupRow
    noun = "Vehicle group"

    async def by_name(self, name: str) -> VehicleGroupRow | None:
        result = await self.session.execute(self.query().where(VehicleGroupRow.name == name))
        return result.scalars().first()

    async def search(
        self, page: Page, *, name: str | None = None, updated_since: datetime | None = None
    ) -> PageResult[VehicleGroupRow]:
        statement = matching(self.query(), (VehicleGroupRow.name, name))
        order = [VehicleGroupRow.name, VehicleGroupRow.id]
        return await self.page(statement, page, order_by=order, updated_since=updated_since)

    async def all_by_name(self) -> list[VehicleGroupRow]:
        """Every group of the organization (a handful: the dashboard's choices)."""
        found = await self.session.scalars(self.query().order_by(VehicleGroupRow.name))
        return list(found)

    async def vehicle_count(self, group_id: str) -> int:
        """How many of the organization's vehicles are in the group."""
        counted = await self.session.execute(
            select(func.count())
            .select_from(VehicleRow)
            .where(owned_by(VehicleRow, self.organization_id), VehicleRow.group_id == group_id)
        )
        return int(counted.scalar_one())
