"""Use cases of asynchronous reports: request one, read its status, fetch what it made. The
build itself is `builder.py`'s. Like every service it works inside the unit of work it is given.
"""

from datetime import datetime
from typing import Any

from chargeyard.clock import Clock
from chargeyard.errors import Conflict, NotFound
from chargeyard.events.payloads import REPORT_FAILED, REPORT_READY, ReportOutcome
from chargeyard.events.recorder import record_event
from chargeyard.files.models import StoredFile
from chargeyard.files.service import FileService
from chargeyard.reports.domain import ReportFormat, ReportKind, ReportStatus
from chargeyard.reports.kinds import filters_of, report_of
from chargeyard.reports.models import ReportRequest
from chargeyard.reports.repository import ReportRequestRepository
from chargeyard.storage.unit_of_work import UnitOfWork


class ReportRequests:
    def __init__(self, uow: UnitOfWork, organization_id: str, clock: Clock) -> None:
        self.uow = uow
        self.organization_id = organization_id
        self.clock = clock
        self.requests = ReportRequestRepository(uow.session, organization_id)

    async def request(
        self, kind: ReportKind, format: ReportFormat, filters: dict[str, Any], actor: str
    ) -> ReportRequest:
        """Queue a report; its filters are checked now, so a bad one is a 4xx, not a failure."""
        checked = filters_of(kind, filters)
        report_of(kind, self.organization_id, checked, self.clock)  # its own checks (a period)
        row = self.requests.add(
            ReportRequest(
                organization_id=self.organization_id,
                kind=kind,
                format=format,
                filters=checked.model_dump(mode="json", exclude_none=True),
                status=ReportStatus.QUEUED,
                attempts=0,
                requested_by=actor,
                created_at=self.clock(),
            )
        )
        await self.uow.session.flush()
        return row

    async def get(self, request_id: str) -> ReportRequest:
        return await self.requests.get(request_id)

    async def content(self, request_id: str) -> StoredFile:
        row = await self.requests.get(request_id)
        if row.status != ReportStatus.READY:
            raise Conflict(f"report {request_id} is {row.status}, not ready")
        if row.file_id is None:
            raise NotFound(f"the file of report {request_id} has been deleted")
        return await FileService(self.uow, self.organization_id, self.clock).content(row.file_id)


def record_outcome(uow: UnitOfWork, row: ReportRequest, now: datetime) -> None:
    """`report.ready` or `report.failed`, with what a subscriber needs to fetch or explain it."""
    record_event(
        uow,
        organization_id=row.organization_id,
        kind=REPORT_READY if row.status == ReportStatus.READY else REPORT_FAILED,
        occurred_at=now,
        data=ReportOutcome(
            {
                "report_id": row.id,
                "kind": row.kind,
                "format": row.format,
                "status": row.status,
                "rows": row.rows,
                "file_id": row.file_id,
                "error": row.error,
            }
        ),
    )
