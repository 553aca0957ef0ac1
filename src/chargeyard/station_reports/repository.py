"""All SQL about station reports."""

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from chargeyard.station_reports.models import StationReportRow
from chargeyard.storage.repository import Page, PageResult, matching, owned_by, paginate, within


@dataclass(frozen=True)
class ReportFilter:
    kind: str | None = None
    request_id: int | None = None
    since: datetime | None = None
    until: datetime | None = None


class StationReportRepository:
    def __init__(self, session: AsyncSession, organization_id: str) -> None:
        self.session = session
        self.organization_id = organization_id

    def add(self, row: StationReportRow) -> None:
        self.session.add(row)

    async def search(
        self, station_id: str, where: ReportFilter, page: Page
    ) -> PageResult[StationReportRow]:
        statement = select(StationReportRow).where(
            owned_by(StationReportRow, self.organization_id),
            StationReportRow.station_id == station_id,
        )
        statement = matching(
            statement,
            (StationReportRow.kind, where.kind),
            (StationReportRow.request_id, where.request_id),
        )
        statement = within(statement, StationReportRow.occurred_at, where.since, where.until)
        order = [StationReportRow.occurred_at, StationReportRow.seq_no, StationReportRow.id]
        return await paginate(self.session, statement, page, order_by=order)
