"""/api/v1/tariff-groups: a different tariff for a set of ID tags or drivers at chosen places."""

from fastapi import APIRouter, Request, Response, status

from chargeyard.api.dependencies import (
    Operator,
    Paging,
    Reading,
    Server,
    UpdatedSince,
    Viewer,
    Writing,
    set_etag,
    to_change,
)
from chargeyard.api.schemas import ListOf
from chargeyard.tariff_groups.schemas import (
    PlaceOut,
    TariffGroupCreate,
    TariffGroupOut,
    TariffGroupPatch,
)
from chargeyard.tariff_groups.service import GroupView, TariffGroupService

router = APIRouter(prefix="/tariff-groups", tags=["tariff-groups"])


def _out(view: GroupView) -> TariffGroupOut:
    group = view.group
    return TariffGroupOut(
        id=group.id,
        name=group.name,
        description=group.description,
        tariff_id=group.tariff_id,
        id_tags=view.id_tags,
        driver_ids=view.driver_ids,
        places=[PlaceOut(kind=p.kind, id=p.id) for p in view.places],
        created_at=group.created_at,
        updated_at=group.updated_at,
    )


async def _answer(service: TariffGroupService, group_id: str, response: Response) -> TariffGroupOut:
    (view,) = await service.views([await service.groups.get(group_id)])
    set_etag(response, view.group.id, view.group.revision)
    return _out(view)


@router.get("", response_model=ListOf[TariffGroupOut])
async def list_tariff_groups(
    caller: Viewer,
    uow: Reading,
    ctx: Server,
    paging: Paging,
    updated_since: UpdatedSince = None,
    name: str | None = None,
    tariff_id: str | None = None,
) -> ListOf[TariffGroupOut]:
    service = TariffGroupService(uow, caller.organization_id, ctx.clock)
    result = await service.groups.search(
        paging, name=name, tariff_id=tariff_id, updated_since=updated_since
    )
    return ListOf[TariffGroupOut](
        items=[_out(view) for view in await service.views(result.items)],
        total=result.total,
        offset=paging.offset,
        limit=paging.limit,
    )


@router.post("", status_code=status.HTTP_201_CREATED, response_model=TariffGroupOut)
async def create_tariff_group(
    body: TariffGroupCreate, caller: Operator, uow: Writing, ctx: Server, response: Response
) -> TariffGroupOut:
    service = TariffGroupService(uow, caller.organization_id, ctx.clock)
    group = await service.create(body.draft())
    await uow.commit()
    response.headers["Location"] = f"/api/v1/tariff-groups/{group.id}"
    return await _answer(service, group.id, response)


@router.get("/{group_id}", response_model=TariffGroupOut)
async def get_tariff_group(
    group_id: str, caller: Viewer, uow: Reading, ctx: Server, response: Response
) -> TariffGroupOut:
    return await _answer(
        TariffGroupService(uow, caller.organization_id, ctx.clock), group_id, response
    )


@router.patch("/{group_id}", response_model=TariffGroupOut)
async def update_tariff_group(
    group_id: str,
    body: TariffGroupPatch,
    caller: Operator,
    uow: Writing,
    ctx: Server,
    request: Request,
    response: Response,
) -> TariffGroupOut:
    """Lists sent (`id_tags`, `driver_ids`, `places`) replace the group's."""
    service = TariffGroupService(uow, caller.organization_id, ctx.clock)
    group = await to_change(service.groups, group_id, request)
    await service.update(group, body.changes())
    await uow.commit()
    return await _answer(service, group.id, response)


@router.delete("/{group_id}", status_code=status.HTTP_204_NO_CONTENT)
async def delete_tariff_group(
    group_id: str, caller: Operator, uow: Writing, ctx: Server, request: Request
) -> None:
    service = TariffGroupService(uow, caller.organization_id, ctx.clock)
    await service.delete(await to_change(service.groups, group_id, request))
    await uow.commit()
