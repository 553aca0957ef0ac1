"""Recording station reports, each with a `station.<kind>` event. Never commits."""

from chargeyard.clock import Clock
from chargeyard.events.payloads import StationReportEvent
from chargeyard.events.recorder import record_event
from chargeyard.station_reports.domain import EVENT_KINDS, StationReport
from chargeyard.station_reports.models import StationReportRow
from chargeyard.station_reports.repository import StationReportRepository
from chargeyard.storage.unit_of_work import UnitOfWork


class StationReportService:
    def __init__(self, uow: UnitOfWork, organization_id: str, clock: Clock) -> None:
        self.uow = uow
        self.organization_id = organization_id
        self.clock = clock
        self.reports = StationReportRepository(uow.session, organization_id)

    def record(self, station_id: str, report: StationReport) -> StationReportRow:
        row = StationReportRow(
            organization_id=self.organization_id,
            station_id=station_id,
            kind=report.kind.value,
            occurred_at=report.occurred_at,
            request_id=report.request_id,
            seq_no=report.seq_no,
            tbc=report.tbc,
            evse_id=report.evse_id,
            status=report.status,
            data=dict(report.data),
            received_at=self.clock(),
        )
        self.reports.add(row)
        record_event(
            self.uow,
            organization_id=self.organization_id,
            kind=EVENT_KINDS[report.kind],
            occurred_at=report.occurred_at,
            station_id=station_id,
            data={**_report(station_id, report), **report.data},
        )
        return row


def _report(station_id: str, report: StationReport) -> StationReportEvent:
    """What every `station.<kind>` event starts with; the kind's own fields (the adapter's
    typed `...Details`) follow."""
    return {
        "station_id": station_id,
        "request_id": report.request_id,
        "evse_id": report.evse_id,
        "status": report.status,
    }
