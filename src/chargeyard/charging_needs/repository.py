"""All SQL about EV charging needs and schedules."""

from datetime import datetime
from typing import Any

from sqlalchemy import select

from chargeyard.charging_needs.models import ChargingNeedRow, EvChargingScheduleRow
from chargeyard.storage.repository import Page, PageResult, ScopedRepository, owned_by, paginate


class ChargingNeedRepository(ScopedRepository[ChargingNeedRow]):
    """A station's reported charging needs (the scoped base's rows) and the EV charging
    schedules reported with them (read through `owned_by`)."""

    model = ChargingNeedRow
    noun = "charging need"

    def add_schedule(self, row: EvChargingScheduleRow) -> EvChargingScheduleRow:
        self.session.add(row)
        return row

    async def latest_since(
        self, station_id: str, evse_id: int, since: datetime
    ) -> ChargingNeedRow | None:
        """The EVSE's newest NotifyEVChargingNeeds reported at or after `since`."""
        statement = (
            self.query()
            .where(
                ChargingNeedRow.station_id == station_id,
                ChargingNeedRow.evse_id == evse_id,
                ChargingNeedRow.reported_at >= since,
            )
            .order_by(ChargingNeedRow.reported_at.desc())
            .limit(1)
        )
        row: ChargingNeedRow | None = await self.session.scalar(statement)
        return row

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
