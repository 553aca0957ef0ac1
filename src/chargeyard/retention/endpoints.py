"""/api/v1/meter-values/hourly: the hourly rollup that outlives the raw samples."""

from fastapi import APIRouter

from chargeyard.api.dependencies import Paging, Reading, Viewer
from chargeyard.api.limits import IdQuery, Moment
from chargeyard.api.schemas import ListOf, listing
from chargeyard.retention.repository import RollupRepository
from chargeyard.retention.schemas import RollupOut

router = APIRouter(tags=["transactions"])


@router.get("/meter-values/hourly", response_model=ListOf[RollupOut])
async def hourly_meter_values(
    caller: Viewer,
    uow: Reading,
    paging: Paging,
    station_id: str | None = None,
    transaction_id: IdQuery = None,
    measurand: str | None = None,
    since: Moment | None = None,
    until: Moment | None = None,
) -> ListOf[RollupOut]:
    """Hourly aggregates of meter values whose raw samples retention has deleted (see
    docs/retention.md): raw samples younger than the retention period are at /meter-values."""
    result = await RollupRepository(uow.session, caller.organization_id).search(
        paging,
        station_id=station_id,
        transaction_id=transaction_id,
        measurand=measurand,
        since=since,
        until=until,
    )
    return listing(result, paging, RollupOut)
