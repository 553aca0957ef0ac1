"""All SQL of energy prices, scoped to one organization."""

from chargeyard.energy_prices.models import PriceRow
from chargeyard.storage.repository import Page, PageResult, ScopedRepository


class PriceRepository(ScopedRepository[PriceRow]):
    model = PriceRow
    noun = "Energy price"

    async def search(self, page: Page) -> PageResult[PriceRow]:
        return await self.page(self.query(), page, order_by=[PriceRow.starts_at, PriceRow.id])
