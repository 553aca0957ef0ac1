"""All SQL about CDRs."""

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select

from chargeyard.cdrs.models import Cdr
from chargeyard.storage.repository import (
    Page,
    PageResult,
    ScopedRepository,
    matching,
    owned_by,
    within,
)


@dataclass(frozen=True)
class CdrFilter:
    transaction_id: int | None = None
    station_id: str | None = None
    id_tag: str | None = None
    driver_id: str | None = None
    credit: bool | None = None
    since: datetime | None = None
    until: datetime | None = None


class CdrRepository(ScopedRepository[Cdr]):
    model = Cdr
    noun = "CDR"

    async def search(self, where: CdrFilter, page: Page) -> PageResult[Cdr]:
        statement = matching(
            self.query(),
            (Cdr.transaction_id, where.transaction_id),
            (Cdr.station_id, where.station_id),
            (Cdr.id_tag, where.id_tag),
            (Cdr.driver_id, where.driver_id),
            (Cdr.credit, where.credit),
        )
        statement = within(statement, Cdr.stopped_at, where.since, where.until)
        return await self.page(statement, page, order_by=[Cdr.created_at.desc(), Cdr.id])

    async def for_transaction(self, transaction_id: int) -> Cdr | None:
        result = await self.session.execute(
            self.query().where(Cdr.transaction_id == transaction_id, Cdr.credit.is_(False))
        )
        return result.scalars().first()

    async def credit_of(self, cdr_id: str) -> Cdr | None:
        result = await self.session.execute(
            select(Cdr).where(
                owned_by(Cdr, self.organization_id), Cdr.credit_reference_id == cdr_id
            )
        )
        return result.scalars().first()
