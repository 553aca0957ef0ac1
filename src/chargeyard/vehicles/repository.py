"""All SQL of the fleet's vehicles, scoped to one organization."""

from datetime import datetime

from chargeyard.storage.repository import Page, PageResult, ScopedRepository, matching
from chargeyard.vehicles.models import VehicleRow


class VehicleRepository(ScopedRepository[VehicleRow]):
    """The fleet's vehicles: a list with `updated_since`, and each one read or locked by id."""

    model = VehicleRow
    noun = "Vehicle"

    async def search(
        self, page: Page, updated_since: datetime | None, group_id: str | None = None
    ) -> PageResult[VehicleRow]:
        order = [VehicleRow.name, VehicleRow.id]
        statement = matching(self.query(), (VehicleRow.group_id, group_id))
        return await self.page(statement, page, order_by=order, updated_since=updated_since)

    async def by_vin(self, vin: str) -> VehicleRow | None:
        found = await self.session.execute(self.query().where(VehicleRow.vin == vin))
        return found.scalars().first()
