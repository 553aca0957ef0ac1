"""/api/v1/vehicles: the fleet's vehicles (their telematics and planned routes are
`telematics/` and `planned_routes/`)."""

from fastapi import APIRouter, Request, Response, status

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
from chargeyard.api.schemas import ListOf, listing
from chargeyard.vehicles import schemas as s
from chargeyard.vehicles.models import VehicleRow
from chargeyard.vehicles.service import VehicleService

router = APIRouter(tags=["smart charging"])


def _vehicle(row: VehicleRow, response: Response) -> s.VehicleOut:
    set_etag(response, row.id, row.revision)
    return s.VehicleOut.model_validate(row)


@router.get("/vehicles", response_model=ListOf[s.VehicleOut])
async def list_vehicles(
    caller: Viewer,
    uow: Reading,
    ctx: Server,
    paging: Paging,
    updated_since: UpdatedSince = None,
    group_id: str | None = None,
) -> ListOf[s.VehicleOut]:
    """`group_id`: only the vehicles of that group."""
    service = VehicleService(uow, caller.organization_id, ctx.clock)
    found = await service.vehicles.search(paging, updated_since, group_id)
    return listing(found, paging, s.VehicleOut)


@router.post("/vehicles", status_code=status.HTTP_201_CREATED, response_model=s.VehicleOut)
async def create_vehicle(
    body: s.VehicleIn, caller: OrganizationOperator, uow: Writing, ctx: Server, response: Response
) -> s.VehicleOut:
    service = VehicleService(uow, caller.organization_id, ctx.clock)
    row = await service.create(body.model_dump())
    await uow.commit()
    response.headers["Location"] = f"/api/v1/vehicles/{row.id}"
    return _vehicle(row, response)


@router.get("/vehicles/{vehicle_id}", response_model=s.VehicleOut)
async def get_vehicle(
    vehicle_id: str, caller: Viewer, uow: Reading, ctx: Server, response: Response
) -> s.VehicleOut:
    service = VehicleService(uow, caller.organization_id, ctx.clock)
    return _vehicle(await service.vehicles.get(vehicle_id), response)


@router.put("/vehicles/{vehicle_id}", response_model=s.VehicleOut)
async def replace_vehicle(
    vehicle_id: str,
    body: s.VehicleIn,
    caller: OrganizationOperator,
    uow: Writing,
    ctx: Server,
    request: Request,
    response: Response,
) -> s.VehicleOut:
    """Every field; If-Match with the ETag of the version replaced is required."""
    service = VehicleService(uow, caller.organization_id, ctx.clock)
    row = await conditional_update(
        service.vehicles,
        vehicle_id,
        body,
        service.update,
        uow,
        request,
        response,
        replace=True,
    )
    return s.VehicleOut.model_validate(row)


@router.patch("/vehicles/{vehicle_id}", response_model=s.VehicleOut)
async def update_vehicle(
    vehicle_id: str,
    body: s.VehiclePatch,
    caller: OrganizationOperator,
    uow: Writing,
    ctx: Server,
    request: Request,
    response: Response,
) -> s.VehicleOut:
    service = VehicleService(uow, caller.organization_id, ctx.clock)
    row = await conditional_update(
        service.vehicles,
        vehicle_id,
        body,
        service.update,
        uow,
        request,
        response,
        replace=False,
    )
    return s.VehicleOut.model_validate(row)


@router.delete("/vehicles/{vehicle_id}", status_code=status.HTTP_204_NO_CONTENT)
async def delete_vehicle(
    vehicle_id: str, caller: OrganizationOperator, uow: Writing, ctx: Server, request: Request
) -> None:
    service = VehicleService(uow, caller.organization_id, ctx.clock)
    await service.delete(await to_change(service.vehicles, vehicle_id, request))
    await uow.commit()
