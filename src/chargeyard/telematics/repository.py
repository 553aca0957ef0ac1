"""All SQL about telematics readings."""

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import select

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

    async def latest_soc(self, vehicle_id: str, since: datetime) -> Row | None:
        """The last reading with a state of charge measured at or after `since`."""
        found = await self.session.execute(
            select(Row)
            .where(
                owned_by(Row, self.organization_id),
                Row.vehicle_id == vehicle_id,
                Row.measured_at >= since,
                Row.soc_percent.is_not(None),
            )
            .order_by(Row.measured_at.desc())
            .limit(1)
        )
        return found.scalars().first()
