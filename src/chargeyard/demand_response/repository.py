"""All SQL of demand-response events, scoped to one organization."""

from chargeyard.demand_response.models import DemandResponseRow
from chargeyard.storage.repository import Page, PageResult, ScopedRepository


class DemandResponseRepository(ScopedRepository[DemandResponseRow]):
    model = DemandResponseRow
    noun = "Demand-response event"

    async def search(self, page: Page) -> PageResult[DemandResponseRow]:
        order = [DemandResponseRow.starts_at, DemandResponseRow.id]
        return await self.page(self.query(), page, order_by=order)
