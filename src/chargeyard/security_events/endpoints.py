"""/api/v1/security-events: the security log of the caller's stations."""

from fastapi import APIRouter

from chargeyard.api.dependencies import Paging, Reading, Viewer
from chargeyard.api.limits import Moment, StationIdQuery
from chargeyard.api.schemas import ListOf, listing
from chargeyard.security_events.domain import SecurityEventFilter
from chargeyard.security_events.repository import SecurityEventRepository
from chargeyard.security_events.schemas import SecurityEventOut

router = APIRouter(tags=["security events"])


@router.get("/security-events", response_model=ListOf[SecurityEventOut])
async def list_security_events(
    caller: Viewer,
    uow: Reading,
    paging: Paging,
    station_id: StationIdQuery = None,
    type: str | None = None,
    since: Moment | None = None,
    until: Moment | None = None,
    critical: bool | None = None,
) -> ListOf[SecurityEventOut]:
    """Newest first. `since` is inclusive and `until` exclusive, on the time the event occurred."""
    where = SecurityEventFilter(
        station_id=station_id, type=type, since=since, until=until, critical=critical
    )
    result = await SecurityEventRepository(uow.session, caller.organization_id).search(
        paging, where
    )
    return listing(result, paging, SecurityEventOut)
