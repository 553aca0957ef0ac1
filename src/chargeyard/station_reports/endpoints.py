"""/api/v1/stations/{id}/reports: what a station reported, by kind, request and time."""

from fastapi import APIRouter

from chargeyard.api.dependencies import Paging, Reading, Viewer
from chargeyard.api.limits import IntQuery, Moment, StationIdPath
from chargeyard.api.schemas import ListOf, listing
from chargeyard.station_reports.domain import ReportKind
from chargeyard.station_reports.repository import ReportFilter, StationReportRepository
from chargeyard.station_reports.schemas import StationReportOut
from chargeyard.stations.repository import StationRepository

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
    await StationRepository(uow.session, caller.organization_id).get(station_id)
    where = ReportFilter(None if kind is None else kind.value, request_id, since, until)
    result = await StationReportRepository(uow.session, caller.organization_id).search(
        station_id, where, paging
    )
    return listing(result, paging, StationReportOut)
