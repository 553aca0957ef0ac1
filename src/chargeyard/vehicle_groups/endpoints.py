"""/api/v1/vehicle-groups: named sets of vehicles; a vehicle joins one by its `group_id`."""

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
from chargeyard.api.query import StrictQuery
from chargeyard.api.schemas import ListOf, listing
from chargeyard.vehicle_groups.models import VehicleGroupRow
from chargeyard.vehicle_groups.schemas import VehicleGroupIn, VehicleGroupOut, VehicleGroupPatch
from chargeyard.vehicle_groups.service import VehicleGroupService

router = APIRouter(prefix="/vehicle-groups", tags=["vehicle groups"])


def _out(row: VehicleGroupRow, response: Response) -> VehicleGroupOut:
    set_etag(response, row.id, row.revision)
    return VehicleGroupOut.model_validate(row)


@router.get("", response_model=ListOf[VehicleGroupOut], dependencies=[StrictQuery])
async def list_vehicle_groups(
    caller: Viewer,
    uow: Reading,
    ctx: Server,
    paging: Paging,
    updated_since: UpdatedSince = None,
    name: str | None = None,
) -> ListOf[VehicleGroupOut]:
    service = VehicleGroupService(uow, caller.organization_id, ctx.clock)
    found = await service.groups.search(paging, name=name, updated_since=updated_since)
    return listing(found, paging, VehicleGroupOut)


@router.post("", status_code=status.HTTP_201_CREATED, response_model=VehicleGroupOut)
async def create_vehicle_group(
    body: VehicleGroupIn,
    caller: OrganizationOperator,
    uow: Writing,
    ctx: Server,
    response: Response,
) -> VehicleGroupOut:
    service = VehicleGroupService(uow, caller.organization_id, ctx.clock)
    row = await service.create(body.model_dump())
    await uow.commit()
    response.headers["Location"] = f"/api/v1/vehicle-groups/{row.id}"
    return _out(row, response)


@router.get("/{group_id}", response_model=VehicleGroupOut)
async def get_vehicle_group(
    group_id: str, caller: Viewer, uow: Reading, ctx: Server, response: Response
) -> VehicleGroupOut:
    service = VehicleGroupService(uow, caller.organization_id, ctx.clock)
    return _out(await service.groups.get(group_id), response)


@router.put("/{group_id}", response_model=VehicleGroupOut)
async def replace_vehicle_group(
    group_id: str,
    body: VehicleGroupIn,
    caller: OrganizationOperator,
    uow: Writing,
    ctx: Server,
    request: Request,
    response: Response,
) -> VehicleGroupOut:
    """Every field; If-Match with the ETag of the version replaced is required."""
    service = VehicleGroupService(uow, caller.organization_id, ctx.clock)
    row = await conditional_update(
        service.groups, group_id, body, service.update, uow, request, response, replace=True
    )
    return VehicleGroupOut.model_validate(row)


@router.patch("/{group_id}", response_model=VehicleGroupOut)
async def update_vehicle_group(
    group_id: str,
    body: VehicleGroupPatch,
    caller: OrganizationOperator,
    uow: Writing,
    ctx: Server,
    request: Request,
    response: Response,
) -> VehicleGroupOut:
    service = VehicleGroupService(uow, caller.organization_id, ctx.clock)
    row = await conditional_update(
        service.groups, group_id, body, service.update, uow, request, response, replace=False
    )
    return VehicleGroupOut.model_validate(row)


@router.delete("/{group_id}", status_code=status.HTTP_204_NO_CONTENT)
async def delete_vehicle_group(
    group_id: str, caller: OrganizationOperator, uow: Writing, ctx: Server, request: Request
) -> None:
    """409 while vehicles are in the group."""
    service = VehicleGroupService(uow, caller.organization_id, ctx.clock)
    await service.delete(await to_change(service.groups, group_id, request))
    await uow.commit()
