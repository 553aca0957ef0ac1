"""/api/v1/maintenance-windows: planned downtime per station or location, excluded from uptime
and quieting offline alerts while it lasts (docs/alerts.md, "Planned downtime")."""

from datetime import datetime

from fastapi import APIRouter, Request, Response, status

from chargeyard.api.dependencies import (
    Operator,
    Paging,
    Reading,
    Server,
    UpdatedSince,
    Viewer,
    Writing,
    conditional_update,
    set_etag,
    to_change,
)
from chargeyard.api.limits import Moment, StationIdQuery
from chargeyard.api.schemas import ListOf, listing
from chargeyard.clock import as_utc
from chargeyard.maintenance_windows.repository import MaintenanceWindowRepository, WindowFilter
from chargeyard.maintenance_windows.schemas import (
    MaintenanceWindowCreate,
    MaintenanceWindowOut,
    MaintenanceWindowPatch,
)
from chargeyard.maintenance_windows.service import MaintenanceWindowService

router = APIRouter(prefix="/maintenance-windows", tags=["maintenance-windows"])


def _utc(value: datetime | None) -> datetime | None:
    return None if value is None else as_utc(value)


@router.get("", response_model=ListOf[MaintenanceWindowOut])
async def list_windows(
    caller: Viewer,
    uow: Reading,
    paging: Paging,
    station_id: StationIdQuery = None,
    location_id: str | None = None,
    active_at: Moment | None = None,
    since: Moment | None = None,
    until: Moment | None = None,
    updated_since: UpdatedSince = None,
) -> ListOf[MaintenanceWindowOut]:
    """Windows in start order; `active_at` those in force then, `since` / `until` those
    overlapping the period."""
    where = WindowFilter(station_id, location_id, _utc(active_at), _utc(since), _utc(until))
    found = await MaintenanceWindowRepository(uow.session, caller.organization_id).search(
        where, paging, updated_since
    )
    return listing(found, paging, MaintenanceWindowOut)


@router.post("", status_code=status.HTTP_201_CREATED, response_model=MaintenanceWindowOut)
async def create_window(
    body: MaintenanceWindowCreate, caller: Operator, uow: Writing, ctx: Server, response: Response
) -> MaintenanceWindowOut:
    service = MaintenanceWindowService(uow, caller.organization_id, ctx.clock)
    window = await service.create(
        body.station_id, body.location_id, body.starts_at, body.ends_at, body.reason, caller.actor
    )
    await uow.commit()
    set_etag(response, window.id, window.revision)
    response.headers["Location"] = f"/api/v1/maintenance-windows/{window.id}"
    return MaintenanceWindowOut.model_validate(window)


@router.get("/{window_id}", response_model=MaintenanceWindowOut)
async def get_window(
    window_id: str, caller: Viewer, uow: Reading, response: Response
) -> MaintenanceWindowOut:
    window = await MaintenanceWindowRepository(uow.session, caller.organization_id).get(window_id)
    set_etag(response, window.id, window.revision)
    return MaintenanceWindowOut.model_validate(window)


@router.patch("/{window_id}", response_model=MaintenanceWindowOut)
async def update_window(
    window_id: str,
    body: MaintenanceWindowPatch,
    caller: Operator,
    uow: Writing,
    ctx: Server,
    request: Request,
    response: Response,
) -> MaintenanceWindowOut:
    service = MaintenanceWindowService(uow, caller.organization_id, ctx.clock)
    window = await conditional_update(
        service.windows, window_id, body, service.update, uow, request, response, replace=False
    )
    return MaintenanceWindowOut.model_validate(window)


@router.delete("/{window_id}", status_code=status.HTTP_204_NO_CONTENT)
async def delete_window(
    window_id: str, caller: Operator, uow: Writing, ctx: Server, request: Request
) -> None:
    service = MaintenanceWindowService(uow, caller.organization_id, ctx.clock)
    await service.delete(await to_change(service.windows, window_id, request))
    await uow.commit()
