"""All SQL about external meters and their readings."""

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import ColumnElement, or_, select

from chargeyard.external_meters.models import ExternalMeterReadingRow, ExternalMeterRow
from chargeyard.storage.repository import (
    Page,
    PageResult,
    ScopedRepository,
    matching,
    owned_by,
    paginate,
    within,
)

Reading = ExternalMeterReadingRow


class ExternalMeterRepository(ScopedRepository[ExternalMeterRow]):
    model = ExternalMeterRow
    noun = "External meter"

    async def search(
        self,
        page: Page,
        *,
        circuit_id: str | None = None,
        location_id: str | None = None,
        updated_since: datetime | None = None,
    ) -> PageResult[ExternalMeterRow]:
        statement = matching(
            self.query(),
            (ExternalMeterRow.circuit_id, circuit_id),
            (ExternalMeterRow.location_id, location_id),
        )
        order = [ExternalMeterRow.name, ExternalMeterRow.id]
        return await self.page(statement, page, order_by=order, updated_since=updated_since)

    async def of_site(
        self, circuit_ids: Sequence[str], location_id: str | None
    ) -> Sequence[ExternalMeterRow]:
        """The meters on any of the circuits, or on the location."""
        placed: ColumnElement[bool] = ExternalMeterRow.circuit_id.in_(list(circuit_ids))
        if location_id is not None:
            placed = or_(placed, ExternalMeterRow.location_id == location_id)
        found = await self.session.scalars(self.query().where(placed))
        return found.all()

    def add_reading(self, row: Reading) -> None:
        self.session.add(row)

    async def readings_at(
        self, meter_id: str, instants: Sequence[datetime]
    ) -> dict[datetime, Reading]:
        found = await self.session.scalars(
            select(Reading).where(
                owned_by(Reading, self.organization_id),
                Reading.meter_id == meter_id,
                Reading.measured_at.in_(list(instants)),
            )
        )
        return {row.measured_at: row for row in found}

    async def readings(
        self, meter_id: str, page: Page, since: datetime | None, until: datetime | None
    ) -> PageResult[Reading]:
        statement = within(
            select(Reading).where(
                owned_by(Reading, self.organization_id), Reading.meter_id == meter_id
            ),
            Reading.measured_at,
            since,
            until,
        )
        return await paginate(self.session, statement, page, order_by=[Reading.measured_at])

    async def window(
        self,
        meter_ids: Sequence[str],
        since: datetime,
        until: datetime,
        limit: int | None = None,
    ) -> Sequence[Reading]:
        """Each meter's readings in (since, until], with its last one at or before `since`
        (what the window starts from), oldest first; with `limit`, only the newest `limit` of
        those in the window (the last ones before it are always there)."""
        if not meter_ids:
            return []
        rows = list(
            await self.session.scalars(
                select(Reading)
                .where(
                    owned_by(Reading, self.organization_id),
                    Reading.meter_id.in_(list(meter_ids)),
                    Reading.measured_at > since,
                    Reading.measured_at <= until,
                )
                .order_by(Reading.measured_at.desc(), Reading.id.desc())
                .limit(limit)
            )
        )
        for meter_id in meter_ids:
            last = await self.session.scalar(
                select(Reading)
                .where(
                    owned_by(Reading, self.organization_id),
                    Reading.meter_id == meter_id,
                    Reading.measured_at <= since,
                )
                .order_by(Reading.measured_at.desc())
                .limit(1)
            )
            if last is not None:
                rows.insert(0, last)
        return sorted(rows, key=lambda r: r.measured_at)
