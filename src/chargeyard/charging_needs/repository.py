"""All SQL about EV charging needs and schedules."""

from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from chargeyard.charging_needs.models import ChargingNeedRow, EvChargingScheduleRow
from chargeyard.storage.repository import Page, PageResult, owned_by, paginate


class ChargingNeedRepository:
    def __init__(self, session: AsyncSession, organization_id: str) -> None:
        self.session = session
        self.organization_id = organization_id

    def add(self, row: ChargingNeedRow | EvChargingScheduleRow) -> None:
        self.session.add(row)

    async def needs(
        self, station_id: str, evse_id: int | None, page: Page
    ) -> PageResult[ChargingNeedRow]:
        result: PageResult[ChargingNeedRow] = await self._list(
            ChargingNeedRow, station_id, evse_id, page
        )
        return result

    async def schedules(
        self, station_id: str, evse_id: int | None, page: Page
    ) -> PageResult[EvChargingScheduleRow]:
        result: PageResult[EvChargingScheduleRow] = await self._list(
            EvChargingScheduleRow, station_id, evse_id, page
        )
        return result

    async def _list(self, model: Any, station_id: str, evse_id: int | None, page: Page) -> Any:
        statement = select(model).where(
            owned_by(model, self.organization_id), model.station_id == station_id
        )
        if evse_id is not None:
            statement = statement.where(model.evse_id == evse_id)
        order = [model.reported_at.desc(), model.id.desc()]
        return await paginate(self.session, statement, page, order_by=order)
