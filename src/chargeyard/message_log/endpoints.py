"""/api/v1/message-log: every OCPP frame of the organization's stations, newest first."""

from fastapi import APIRouter

from chargeyard.api.dependencies import Paging, Reading, Viewer
from chargeyard.api.limits import Moment, StationIdQuery
from chargeyard.api.schemas import ListOf, listing
from chargeyard.message_log.repository import MessageLogRepository
from chargeyard.message_log.schemas import Direction, LoggedMessageOut

router = APIRouter(prefix="/message-log", tags=["message-log"])


@router.get("", response_model=ListOf[LoggedMessageOut])
async def list_messages(
    caller: Viewer,
    uow: Reading,
    paging: Paging,
    station_id: StationIdQuery = None,
    direction: Direction | None = None,
    action: str | None = None,
    unique_id: str | None = None,
    since: Moment | None = None,
    until: Moment | None = None,
) -> ListOf[LoggedMessageOut]:
    """Frames are written in batches a fraction of a second after they pass; `since` is
    inclusive and `until` exclusive."""
    result = await MessageLogRepository(uow.session, caller.organization_id).search(
        paging,
        station_id=station_id,
        direction=direction,
        action=action,
        unique_id=unique_id,
        since=since,
        until=until,
    )
    return listing(result, paging, LoggedMessageOut)
