"""/api/v1/external-meters: meters other than stations, on a circuit or a location, and their
readings (posted one or many at a time, read back as a time series)."""

from typing import Annotated

from fastapi import APIRouter, Body, Request, Response, status
from pydantic import Field

from chargeyard.api.dependencies import (
    OrganizationOperator,
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
from chargeyard.api.limits import LIST_MAX_ITEMS, Moment
from chargeyard.api.query import StrictQuery
from chargeyard.api.schemas import ListOf, listing
from chargeyard.external_meters.models import ExternalMeterRow
from chargeyard.external_meters.schemas import (
    MeterIn,
    MeterOut,
    MeterPatch,
    MeterReadingIn,
    MeterReadingOut,
)
from chargeyard.external_meters.service import ExternalMeterService

router = APIRouter(prefix="/external-meters", tags=["external meters"])

Readings = Annotated[list[MeterReadingIn], Field(min_length=1, max_length=LIST_MAX_ITEMS)]


def _out(row: ExternalMeterRow, response: Response) -> MeterOut:
    set_etag(response, row.id, row.revision)
    return MeterOut.model_validate(row)


@router.get("", response_model=ListOf[MeterOut], dependencies=[StrictQuery])
async def list_meters(
    caller: Viewer,
    uow: Reading,
    ctx: Server,
    paging: Paging,
    updated_since: UpdatedSince = None,
    circuit_id: str | None = None,
    location_id: str | None = None,
) -> ListOf[MeterOut]:
    service = ExternalMeterService(uow, caller.organization_id, ctx.clock)
    found = await service.meters.search(
        paging, circuit_id=circuit_id, location_id=location_id, updated_since=updated_since
    )
    return listing(found, paging, MeterOut)


@router.post("", status_code=status.HTTP_201_CREATED, response_model=MeterOut)
async def create_meter(
    body: MeterIn, caller: OrganizationOperator, uow: Writing, ctx: Server, response: Response
) -> MeterOut:
    """On a circuit (`circuit_id`: its readings count as load on that circuit and every one
    above it) or a location (`location_id`: at that site's connection)."""
    service = ExternalMeterService(uow, caller.organization_id, ctx.clock)
    row = await service.create(body.model_dump())
    await uow.commit()
    response.headers["Location"] = f"/api/v1/external-meters/{row.id}"
    return _out(row, response)


@router.get("/{meter_id}", response_model=MeterOut)
async def get_meter(
    meter_id: str, caller: Viewer, uow: Reading, ctx: Server, response: Response
) -> MeterOut:
    service = ExternalMeterService(uow, caller.organization_id, ctx.clock)
    return _out(await service.meters.get(meter_id), response)


@router.patch("/{meter_id}", response_model=MeterOut)
async def update_meter(
    meter_id: str,
    body: MeterPatch,
    caller: OrganizationOperator,
    uow: Writing,
    ctx: Server,
    request: Request,
    response: Response,
) -> MeterOut:
    service = ExternalMeterService(uow, caller.organization_id, ctx.clock)
    row = await conditional_update(
        service.meters, meter_id, body, service.update, uow, request, response, replace=False
    )
    return MeterOut.model_validate(row)


@router.delete("/{meter_id}", status_code=status.HTTP_204_NO_CONTENT)
async def delete_meter(
    meter_id: str, caller: OrganizationOperator, uow: Writing, ctx: Server, request: Request
) -> None:
    """Its readings go with it."""
    service = ExternalMeterService(uow, caller.organization_id, ctx.clock)
    await service.delete(await to_change(service.meters, meter_id, request))
    await uow.commit()


@router.post(
    "/{meter_id}/readings",
    status_code=status.HTTP_201_CREATED,
    response_model=list[MeterReadingOut],
)
async def post_readings(
    meter_id: str,
    body: Annotated[MeterReadingIn | Readings, Body()],
    caller: OrganizationOperator,
    uow: Writing,
    ctx: Server,
) -> list[MeterReadingOut]:
    """One reading or a batch; a reading for an instant already held replaces it."""
    readings = body if isinstance(body, list) else [body]
    service = ExternalMeterService(uow, caller.organization_id, ctx.clock)
    rows = await service.record(meter_id, [r.model_dump() for r in readings])
    await uow.commit()
    return [MeterReadingOut.model_validate(r) for r in rows]


@router.get(
    "/{meter_id}/readings", response_model=ListOf[MeterReadingOut], dependencies=[StrictQuery]
)
async def get_readings(
    meter_id: str,
    caller: Viewer,
    uow: Reading,
    ctx: Server,
    paging: Paging,
    since: Moment | None = None,
    until: Moment | None = None,
) -> ListOf[MeterReadingOut]:
    """Oldest first; `since` inclusive, `until` exclusive (on `measured_at`)."""
    service = ExternalMeterService(uow, caller.organization_id, ctx.clock)
    return listing(await service.series(meter_id, paging, since, until), paging, MeterReadingOut)
