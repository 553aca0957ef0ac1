"""/api/v1/tariffs: the organization's tariffs and their versions."""

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
from chargeyard.api.schemas import ListOf, listing
from chargeyard.storage.repository import PageResult
from chargeyard.tariffs.repository import TariffRepository
from chargeyard.tariffs.schemas import (
    TariffCreate,
    TariffOut,
    TariffPatch,
    TariffVersionOut,
    definition,
    patched,
)
from chargeyard.tariffs.service import TariffDraft, TariffService

router = APIRouter(prefix="/tariffs", tags=["tariffs"])


@router.get("", response_model=ListOf[TariffOut])
async def list_tariffs(
    caller: Viewer,
    uow: Reading,
    paging: Paging,
    updated_since: UpdatedSince = None,
    currency: str | None = None,
) -> ListOf[TariffOut]:
    result = await TariffRepository(uow.session, caller.organization_id).search(
        paging, currency=currency, updated_since=updated_since
    )
    return ListOf[TariffOut](
        items=[TariffOut.of(row) for row in result.items],
        total=result.total,
        offset=paging.offset,
        limit=paging.limit,
    )


@router.post("", status_code=status.HTTP_201_CREATED, response_model=TariffOut)
async def create_tariff(
    body: TariffCreate, caller: Operator, uow: Writing, ctx: Server, response: Response
) -> TariffOut:
    fields = body.model_dump()
    tariff = await TariffService(uow, caller.organization_id, ctx.clock).create(
        TariffDraft(body.name, definition(fields), body.description, body.is_default)
    )
    await uow.commit()
    set_etag(response, tariff.id, tariff.revision)
    response.headers["Location"] = f"/api/v1/tariffs/{tariff.id}"
    return TariffOut.of(tariff)


@router.get("/{tariff_id}", response_model=TariffOut)
async def get_tariff(tariff_id: str, caller: Viewer, uow: Reading, response: Response) -> TariffOut:
    tariff = await TariffRepository(uow.session, caller.organization_id).get(tariff_id)
    set_etag(response, tariff.id, tariff.revision)
    return TariffOut.of(tariff)


@router.patch("/{tariff_id}", response_model=TariffOut)
async def update_tariff(
    tariff_id: str,
    body: TariffPatch,
    caller: Operator,
    uow: Writing,
    ctx: Server,
    request: Request,
    response: Response,
) -> TariffOut:
    """A change of any price field makes a new version, in force from now on."""
    service = TariffService(uow, caller.organization_id, ctx.clock)
    tariff = await to_change(service.tariffs, tariff_id, request)
    await service.update(tariff, *patched(tariff.definition, body))
    await uow.commit()
    set_etag(response, tariff.id, tariff.revision)
    return TariffOut.of(tariff)


@router.delete("/{tariff_id}", status_code=status.HTTP_204_NO_CONTENT)
async def delete_tariff(
    tariff_id: str, caller: Operator, uow: Writing, ctx: Server, request: Request
) -> None:
    service = TariffService(uow, caller.organization_id, ctx.clock)
    await service.delete(await to_change(service.tariffs, tariff_id, request))
    await uow.commit()


@router.get("/{tariff_id}/versions", response_model=ListOf[TariffVersionOut])
async def tariff_versions(
    tariff_id: str, caller: Viewer, uow: Reading, paging: Paging
) -> ListOf[TariffVersionOut]:
    tariffs = TariffRepository(uow.session, caller.organization_id)
    await tariffs.get(tariff_id)
    versions = list(await tariffs.versions(tariff_id))
    page = versions[paging.offset : paging.offset + paging.limit]
    return listing(PageResult(page, len(versions)), paging, TariffVersionOut)
