"""All SQL about settlements."""

from dataclasses import dataclass

from chargeyard.settlements.models import SettlementRow
from chargeyard.storage.repository import Page, PageResult, ScopedRepository, matching


@dataclass(frozen=True)
class SettlementFilter:
    station_id: str | None = None
    transaction_id: int | None = None
    status: str | None = None
    psp_ref: str | None = None


class SettlementRepository(ScopedRepository[SettlementRow]):
    model = SettlementRow
    noun = "Settlement"

    async def search(self, where: SettlementFilter, page: Page) -> PageResult[SettlementRow]:
        statement = matching(
            self.query(),
            (SettlementRow.station_id, where.station_id),
            (SettlementRow.transaction_id, where.transaction_id),
            (SettlementRow.status, where.status),
            (SettlementRow.psp_ref, where.psp_ref),
        )
        order = [SettlementRow.settled_at.desc(), SettlementRow.id.desc()]
        return await self.page(statement, page, order_by=order)
