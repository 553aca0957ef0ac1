"""All SQL about telematics readings."""

from collections.abc import Collection, Sequence
from datetime import datetime

from sqlalchemy import func, select

from chargeyard.storage.repository import (
    Page,
    PageResult,
    ScopedRepository,
    owned_by,
    paginate,
    within,
)
from chargeyard.telematics.models import TelematicsReadingRow

Row = TelematicsReadingRow


class TelematicsRepository(ScopedRepository[Row]):
    model = Row
    noun = "telematics reading"

    async def at(self, vehicle_id: str, instants: Sequence[datetime]) -> dict[datetime, Row]:
        """The readings already held for these instants, by instant."""
        found = await self.session.execute(
            select(Row).where(
                owned_by(Row, self.organization_id),
                Row.vehicle_id == vehicle_id,
                Row.measured_at.in_(list(instants)),
            )
        )
        return {row.measured_at: row for row in found.scalars()}

    async def search(
        self, vehicle_id: str, page: Page, since: datetime | None, until: datetime | None
    ) -> PageResult[Row]:
        statement = within(
            select(Row).where(owned_by(Row, self.organization_id), Row.vehicle_id == vehicle_id),
            Row.measured_at,
            since,
            until,
        )
        return await paginate(self.session, statement, page, order_by=[Row.measured_at])

    async def latest_soc(self, vehicle_ids: Collection[str]) -> dict[str, Row]:
        """Per vehicle, its last reading with a state of charge (one statement for a site's
        vehicles: the control step reads them every step)."""
        if not vehicle_ids:
            return {}
        last = (
            select(Row.vehicle_id, func.max(Row.measured_at).label("at"))
            .where(
                owned_by(Row, self.organization_id),
                Row.vehicle_id.in_(list(vehicle_ids)),
                Row.soc_percent.is_not(None),
            )
            .group_by(Row.vehicle_id)
            .subquery()
        )
        found = await self.session.execute(
            select(Row).join(
                last, (Row.vehicle_id == last.c.vehicle_id) & (Row.measured_at == last.c.at)
            )
        )
        return {row.vehicle_id: row for row in found.scalars()}
