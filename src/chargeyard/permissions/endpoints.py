"""/api/v1/permissions: grant a tag or a tag group access to a location subtree or a station."""

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
from chargeyard.api.query import StrictQuery
from chargeyard.api.schemas import ListOf
from chargeyard.permissions.models import Permission
from chargeyard.permissions.schemas import (
    PermissionCreate,
    PermissionOut,
    PermissionPatch,
    PermissionReplace,
)
from chargeyard.permissions.service import PermissionDraft, PermissionService

router = APIRouter(prefix="/permissions", tags=["permissions"])


async def _out(service: PermissionService, permission: Permission) -> PermissionOut:
    return PermissionOut.model_validate(
        {
            **{c: getattr(permission, c) for c in PermissionOut.model_fields if c != "id_tag"},
            "id_tag": await service.tag_value(permission),
        }
    )


@router.get("", response_model=ListOf[PermissionOut], dependencies=[StrictQuery])
async def list_permissions(
    caller: Viewer,
    uow: Reading,
    ctx: Server,
    paging: Paging,
    updated_since: UpdatedSince = None,
    id_tag: str | None = None,
    tag_group_id: str | None = None,
    location_id: str | None = None,
    station_id: str | None = None,
) -> ListOf[PermissionOut]:
    service = PermissionService(uow, caller.organization_id, ctx.clock)
    tag = None if id_tag is None else await service.tags.by_reference(id_tag)
    result = await service.permissions.search(
        paging,
        id_tag_id=None if id_tag is None else (tag.id if tag else "-"),
        tag_group_id=tag_group_id,
        location_id=location_id,
        station_id=station_id,
        updated_since=updated_since,
    )
    return ListOf[PermissionOut](
        items=[await _out(service, p) for p in result.items],
        total=result.total,
        offset=paging.offset,
        limit=paging.limit,
    )


@router.post("", status_code=status.HTTP_201_CREATED, response_model=PermissionOut)
async def create_permission(
    body: PermissionCreate, caller: Operator, uow: Writing, ctx: Server, response: Response
) -> PermissionOut:
    service = PermissionService(uow, caller.organization_id, ctx.clock)
    permission = await service.create(PermissionDraft(**body.model_dump()))
    await uow.commit()
    set_etag(response, permission.id, permission.revision)
    response.headers["Location"] = f"/api/v1/permissions/{permission.id}"
    return await _out(service, permission)


@router.get("/{permission_id}", response_model=PermissionOut)
async def get_permission(
    permission_id: str, caller: Viewer, uow: Reading, ctx: Server, response: Response
) -> PermissionOut:
    service = PermissionService(uow, caller.organization_id, ctx.clock)
    permission = await service.permissions.get(permission_id)
    set_etag(response, permission.id, permission.revision)
    return await _out(service, permission)


@router.put("/{permission_id}", response_model=PermissionOut)
async def replace_permission(
    permission_id: str,
    body: PermissionReplace,
    caller: Operator,
    uow: Writing,
    ctx: Server,
    request: Request,
    response: Response,
) -> PermissionOut:
    service = PermissionService(uow, caller.organization_id, ctx.clock)
    permission = await conditional_update(
        service.permissions,
        permission_id,
        body,
        service.update,
        uow,
        request,
        response,
        replace=True,
    )
    return await _out(service, permission)


@router.patch("/{permission_id}", response_model=PermissionOut)
async def update_permission(
    permission_id: str,
    body: PermissionPatch,
    caller: Operator,
    uow: Writing,
    ctx: Server,
    request: Request,
    response: Response,
) -> PermissionOut:
    service = PermissionService(uow, caller.organization_id, ctx.clock)
    permission = await conditional_update(
        service.permissions,
        permission_id,
        body,
        service.update,
        uow,
        request,
        response,
        replace=False,
    )
    return await _out(service, permission)


@router.delete("/{permission_id}", status_code=status.HTTP_204_NO_CONTENT)
async def delete_permission(
    permission_id: str, caller: Operator, uow: Writing, ctx: Server, request: Request
) -> None:
    service = PermissionService(uow, caller.organization_id, ctx.clock)
    await service.delete(await to_change(service.permissions, permission_id, request))
    await uow.commit()
