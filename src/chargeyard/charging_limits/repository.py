"""All SQL about reported charging limits."""

from collections.abc import Sequence

from sqlalchemy import Select, select

from chargeyard.charging_limits.models import ChargingLimitReadRow, ChargingLimitRow
from chargeyard.storage.repository import Page, PageResult, ScopedRepository, owned_by, paginate


class ChargingLimitRepository(ScopedRepository[ChargingLimitRow]):
    model = ChargingLimitRow
    noun = "charging limit"

    def _query(self, station_id: str) -> Select[ChargingLimitRow]:
        return self.query().where(ChargingLimitRow.station_id == station_id)

    async def active(
        self, station_id: str, source: str, evse_id: int | None
    ) -> Sequence[ChargingLimitRow]:
        """Uncleared limits of a source; without an EVSE, those of every EVSE."""
        statement = self._query(station_id).where(
            ChargingLimitRow.source == source, ChargingLimitRow.cleared_at.is_(None)
        )
        if evse_id is not None:
            statement = statement.where(ChargingLimitRow.evse_id == evse_id)
        return (await self.session.execute(statement)).scalars().all()

    async def read_back(self, station_id: str) -> Sequence[ChargingLimitRow]:
        """The uncleared limits a read of the station's external constraints found."""
        statement = self._query(station_id).where(
            ChargingLimitRow.profile_id.is_not(None), ChargingLimitRow.cleared_at.is_(None)
        )
        return (await self.session.execute(statement)).scalars().all()

    async def latest_read(self, station_id: str) -> ChargingLimitReadRow | None:
        """The station's latest read (one row per station)."""
        found = await self.session.scalars(
            select(ChargingLimitReadRow).where(
                owned_by(ChargingLimitReadRow, self.organization_id),
                ChargingLimitReadRow.station_id == station_id,
            )
        )
        return found.first()

    def new_read(self, station_id: str) -> ChargingLimitReadRow:
        """The station's first read: its row, added to the unit of work."""
        row = ChargingLimitReadRow(organization_id=self.organization_id, station_id=station_id)
        self.session.add(row)
        return row

    async def search(
        self, station_id: str, active: bool | None, page: Page
    ) -> PageResult[ChargingLimitRow]:
        statement = self._query(station_id)
        if active is not None:
            cleared = ChargingLimitRow.cleared_at
            statement = statement.where(cleared.is_(None) if active else cleared.is_not(None))
        order = [ChargingLimitRow.reported_at.desc(), ChargingLimitRow.id.desc()]
        return await paginate(self.session, statement, page, order_by=order)
