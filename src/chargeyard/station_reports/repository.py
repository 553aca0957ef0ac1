"""All SQL about station reports."""

from dataclasses import dataclass
from datetime import datetime

from chargeyard.station_reports.models import StationReportRow
from chargeyard.storage.repository import (
    Page,
    PageResult,
    ScopedRepository,
    matching,
    paginate,
    within,
)


@dataclass(frozen=True)
class ReportFilter:
    kind: str | None = None
    request_id: int | None = None
    since: datetime | None = None
    until: datetime | None = None


class StationReportRepository(ScopedRepository[StationReportRow]):
    model = StationReportRow
    noun = "station report"

    async def search(
        self, station_id: str, where: ReportFilter, page: Page
    ) -> PageResult[StationReportRow]:
        statement = self.query().where(StationReportRow.station_id == station_id)
        statement = matching(
            statement,
            (StationReportRow.kind, where.kind),
            (StationReportRow.request_id, where.request_id),
        )
        statement = within(statement, StationReportRow.occurred_at, where.since, where.until)
        order = [StationReportRow.occurred_at, StationReportRow.seq_no, StationReportRow.id]
        return await paginate(self.session, statement, page, order_by=order)
