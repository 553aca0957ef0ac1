"""/api/v1/id-tags: the organization's ID tags."""

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
from chargeyard.api.schemas import ListOf, listing
from chargeyard.id_tags.repository import IdTagRepository
from chargeyard.id_tags.schemas import IdTagCreate, IdTagOut, IdTagPatch, IdTagReplace
from chargeyard.id_tags.service import IdTagDraft, IdTagService

router = APIRouter(prefix="/id-tags", tags=["id-tags"])


@router.get("", response_model=ListOf[IdTagOut])
async def list_id_tags(
    caller: Viewer,
    uow: Reading,
    paging: Paging,
    updated_since: UpdatedSince = None,
    status: str | None = None,
    group: str | None = None,
    value: str | None = None,
) -> ListOf[IdTagOut]:
    result = await IdTagRepository(uow.session, caller.organization_id).search(
        paging, status=status, group=group, value=value, updated_since=updated_since
    )
    return listing(result, paging, IdTagOut)


@router.post("", status_code=status.HTTP_201_CREATED, response_model=IdTagOut)
async def create_id_tag(
    body: IdTagCreate, caller: Operator, uow: Writing, ctx: Server, response: Response
) -> IdTagOut:
    tag = await IdTagService(uow, caller.organization_id, ctx.clock).create(
        IdTagDraft(**body.model_dump())
    )
    await uow.commit()
    set_etag(response, tag.id, tag.revision)
    response.headers["Location"] = f"/api/v1/id-tags/{tag.id}"
    return IdTagOut.model_validate(tag)


@router.get("/{tag_id}", response_model=IdTagOut)
async def get_id_tag(tag_id: str, caller: Viewer, uow: Reading, response: Response) -> IdTagOut:
    tag = await IdTagRepository(uow.session, caller.organization_id).get(tag_id)
    set_etag(response, tag.id, tag.revision)
    return IdTagOut.model_validate(tag)


@router.put("/{tag_id}", response_model=IdTagOut)
async def replace_id_tag(
    tag_id: str,
    body: IdTagReplace,
    caller: Operator,
    uow: Writing,
    ctx: Server,
    request: Request,
    response: Response,
) -> IdTagOut:
    service = IdTagService(uow, caller.organization_id, ctx.clock)
    tag = await conditional_update(
        service.tags, tag_id, body, service.update, uow, request, response, replace=True
    )
    return IdTagOut.model_validate(tag)


@router.patch("/{tag_id}", response_model=IdTagOut)
async def update_id_tag(
    tag_id: str,
    body: IdTagPatch,
    caller: Operator,
    uow: Writing,
    ctx: Server,
    request: Request,
    response: Response,
) -> IdTagOut:
    service = IdTagService(uow, caller.organization_id, ctx.clock)
    tag = await conditional_update(
        service.tags, tag_id, body, service.update, uow, request, response, replace=False
    )
    return IdTagOut.model_validate(tag)


@router.delete("/{tag_id}", status_code=status.HTTP_204_NO_CONTENT)
async def delete_id_tag(
    tag_id: str, caller: Operator, uow: Writing, ctx: Server, request: Request
) -> None:
    service = IdTagService(uow, caller.organization_id, ctx.clock)
    await service.delete(await to_change(service.tags, tag_id, request))
    await uow.commit()
