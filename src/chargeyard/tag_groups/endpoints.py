"""/api/v1/tag-groups: named sets of ID tags that permissions can grant access to."""

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
from chargeyard.tag_groups.models import TagGroup
from chargeyard.tag_groups.repository import TagGroupRepository
from chargeyard.tag_groups.schemas import (
    MemberIn,
    TagGroupCreate,
    TagGroupOut,
    TagGroupPatch,
    TagGroupReplace,
)
from chargeyard.tag_groups.service import TagGroupService

router = APIRouter(prefix="/tag-groups", tags=["tag-groups"])


def _out(group: TagGroup, members: list[str]) -> TagGroupOut:
    return TagGroupOut(
        id=group.id,
        name=group.name,
        description=group.description,
        id_tags=members,
        created_at=group.created_at,
        updated_at=group.updated_at,
    )


async def _answer(service: TagGroupService, group: TagGroup, response: Response) -> TagGroupOut:
    set_etag(response, group.id, group.revision)
    return _out(group, await service.members(group))


@router.get("", response_model=ListOf[TagGroupOut], dependencies=[StrictQuery])
async def list_tag_groups(
    caller: Viewer,
    uow: Reading,
    paging: Paging,
    updated_since: UpdatedSince = None,
    name: str | None = None,
) -> ListOf[TagGroupOut]:
    groups = TagGroupRepository(uow.session, caller.organization_id)
    result = await groups.search(paging, name=name, updated_since=updated_since)
    members = await groups.member_values([g.id for g in result.items])
    return ListOf[TagGroupOut](
        items=[_out(g, members[g.id]) for g in result.items],
        total=result.total,
        offset=paging.offset,
        limit=paging.limit,
    )


@router.post("", status_code=status.HTTP_201_CREATED, response_model=TagGroupOut)
async def create_tag_group(
    body: TagGroupCreate, caller: Operator, uow: Writing, ctx: Server, response: Response
) -> TagGroupOut:
    service = TagGroupService(uow, caller.organization_id, ctx.clock)
    group = await service.create(body.name, body.description, body.id_tags)
    await uow.commit()
    response.headers["Location"] = f"/api/v1/tag-groups/{group.id}"
    return await _answer(service, group, response)


@router.get("/{group_id}", response_model=TagGroupOut)
async def get_tag_group(
    group_id: str, caller: Viewer, uow: Reading, ctx: Server, response: Response
) -> TagGroupOut:
    service = TagGroupService(uow, caller.organization_id, ctx.clock)
    return await _answer(service, await service.groups.get(group_id), response)


@router.put("/{group_id}", response_model=TagGroupOut)
async def replace_tag_group(
    group_id: str,
    body: TagGroupReplace,
    caller: Operator,
    uow: Writing,
    ctx: Server,
    request: Request,
    response: Response,
) -> TagGroupOut:
    service = TagGroupService(uow, caller.organization_id, ctx.clock)
    group = await conditional_update(
        service.groups, group_id, body, service.update, uow, request, response, replace=True
    )
    return await _answer(service, group, response)


@router.patch("/{group_id}", response_model=TagGroupOut)
async def update_tag_group(
    group_id: str,
    body: TagGroupPatch,
    caller: Operator,
    uow: Writing,
    ctx: Server,
    request: Request,
    response: Response,
) -> TagGroupOut:
    service = TagGroupService(uow, caller.organization_id, ctx.clock)
    group = await conditional_update(
        service.groups, group_id, body, service.update, uow, request, response, replace=False
    )
    return await _answer(service, group, response)


@router.delete("/{group_id}", status_code=status.HTTP_204_NO_CONTENT)
async def delete_tag_group(
    group_id: str, caller: Operator, uow: Writing, ctx: Server, request: Request
) -> None:
    service = TagGroupService(uow, caller.organization_id, ctx.clock)
    await service.delete(await to_change(service.groups, group_id, request))
    await uow.commit()


@router.post("/{group_id}/members", response_model=TagGroupOut)
async def add_member(
    group_id: str, body: MemberIn, caller: Operator, uow: Writing, ctx: Server, response: Response
) -> TagGroupOut:
    """Put a tag (by value or id) in the group; adding a member twice changes nothing."""
    service = TagGroupService(uow, caller.organization_id, ctx.clock)
    group = await service.groups.locked(group_id)  # the change raises its revision
    await service.add_member(group, body.id_tag)
    await uow.commit()
    return await _answer(service, group, response)


@router.delete("/{group_id}/members/{id_tag:path}", status_code=status.HTTP_204_NO_CONTENT)
async def remove_member(
    group_id: str, id_tag: str, caller: Operator, uow: Writing, ctx: Server
) -> None:
    """`id_tag` is the tag's value (or id) as is: a value with a '/' in it is named too."""
    service = TagGroupService(uow, caller.organization_id, ctx.clock)
    await service.remove_member(await service.groups.locked(group_id), id_tag)
    await uow.commit()
