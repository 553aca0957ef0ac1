"""/api/v1/stations/{id}/reports: what a station reported, by kind, request and time."""

from fastapi import APIRouter

from chargeyard.api.dependencies import Paging, Reading, Viewer
from chargeyard.api.limits import IntQuery, Moment, StationIdPath
from chargeyard.api.schemas import ListOf, listing
from chargeyard.error_codes.schemas import TranslationOut
from chargeyard.error_codes.service import station_translations
from chargeyard.station_reports.domain import ReportKind, tech_code
from chargeyard.station_reports.repository import ReportFilter, StationReportRepository
from chargeyard.station_reports.schemas import StationReportOut
from chargeyard.stations.repository import StationRepository
from chargeyard.storage.unit_of_work import UnitOfWork

router = APIRouter(tags=["station reports"])


@router.get("/stations/{station_id}/reports", response_model=ListOf[StationReportOut])
async def station_reports(
    station_id: StationIdPath,
    caller: Viewer,
    uow: Reading,
    paging: Paging,
    kind: ReportKind | None = None,
    request_id: IntQuery = None,
    since: Moment | None = None,
    until: Moment | None = None,
) -> ListOf[StationReportOut]:
    """Each device event's `techCode` translated as the status history translates a 1.6
    station's vendor error code."""
    await StationRepository(uow.session, caller.organization_id).get(station_id)
    where = ReportFilter(None if kind is None else kind.value, request_id, since, until)
    result = await StationReportRepository(uow.session, caller.organization_id).search(
        station_id, where, paging
    )
    return await _translated(uow, caller.organization_id, listing(result, paging, StationReportOut))


async def _translated(
    uow: UnitOfWork, organization_id: str, answer: ListOf[StationReportOut]
) -> ListOf[StationReportOut]:
    """The page with each device event's `vendor_error` filled in (two reads for the page, none
    when no row carries a code)."""
    codes = [(report, tech_code(report.kind, report.data)) for report in answer.items]
    found = await station_translations(
        uow.session, organization_id, ((report.station_id, code) for report, code in codes)
    )
    for report, code in codes:
        match = None if code is None else found.get((report.station_id, code))
        report.vendor_error = None if match is None else TranslationOut.of(match)
    return answer
