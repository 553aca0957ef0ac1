"""/api/v1/vendor-error-codes: the organization's translations of vendor error codes."""

from typing import Annotated

from fastapi import APIRouter, Query, Request, Response, status

from chargeyard.api.dependencies import (
    Operator,
    Paging,
    Reading,
    Server,
    Viewer,
    Writing,
    conditional_update,
    set_etag,
    to_change,
)
from chargeyard.api.limits import StationIdQuery
from chargeyard.api.schemas import ListOf, listing
from chargeyard.error_codes.repository import VendorErrorCodeRepository
from chargeyard.error_codes.schemas import (
    ImportOut,
    TranslationOut,
    VendorErrorCodeImport,
    VendorErrorCodeIn,
    VendorErrorCodeOut,
    VendorErrorCodePatch,
)
from chargeyard.error_codes.service import VendorErrorCodeService
from chargeyard.errors import Invalid, NotFound

router = APIRouter(prefix="/vendor-error-codes", tags=["vendor-error-codes"])


@router.get("", response_model=ListOf[VendorErrorCodeOut])
async def list_vendor_error_codes(
    caller: Viewer,
    uow: Reading,
    paging: Paging,
    vendor: str | None = None,
    model: str | None = None,
    code: str | None = None,
) -> ListOf[VendorErrorCodeOut]:
    result = await VendorErrorCodeRepository(uow.session, caller.organization_id).search(
        paging, vendor=vendor, model=model, code=code
    )
    return listing(result, paging, VendorErrorCodeOut)


@router.post("", status_code=status.HTTP_201_CREATED, response_model=VendorErrorCodeOut)
async def create_vendor_error_code(
    body: VendorErrorCodeIn, caller: Operator, uow: Writing, ctx: Server, response: Response
) -> VendorErrorCodeOut:
    service = VendorErrorCodeService(uow, caller.organization_id, ctx.clock)
    row = await service.create(body.model_dump())
    await uow.commit()
    set_etag(response, row.id, row.revision)
    response.headers["Location"] = f"/api/v1/vendor-error-codes/{row.id}"
    return VendorErrorCodeOut.model_validate(row)


@router.post("/import", response_model=ImportOut)
async def import_vendor_error_codes(
    body: VendorErrorCodeImport, caller: Operator, uow: Writing, ctx: Server
) -> ImportOut:
    """Create or replace each translation, keyed by (vendor, model, firmware_version, code)."""
    service = VendorErrorCodeService(uow, caller.organization_id, ctx.clock)
    created, updated = await service.import_codes([code.model_dump() for code in body.codes])
    await uow.commit()
    return ImportOut(created=created, updated=updated)


@router.get("/translate", response_model=TranslationOut)
async def translate_vendor_error_code(
    caller: Viewer,
    uow: Reading,
    ctx: Server,
    station_id: StationIdQuery,
    code: Annotated[str, Query(min_length=1, max_length=50)],
) -> TranslationOut:
    """What `code` means on this station: the most specific translation for its vendor, model
    and firmware version (as it reported them at boot)."""
    if station_id is None:
        raise Invalid("name the station (station_id)")
    found = await VendorErrorCodeService(uow, caller.organization_id, ctx.clock).translate(
        station_id, code
    )
    if found is None:
        raise NotFound(f"no translation of {code!r} for this station's vendor and model")
    return TranslationOut.of(found)


@router.get("/{code_id}", response_model=VendorErrorCodeOut)
async def get_vendor_error_code(
    code_id: str, caller: Viewer, uow: Reading, response: Response
) -> VendorErrorCodeOut:
    row = await VendorErrorCodeRepository(uow.session, caller.organization_id).get(code_id)
    set_etag(response, row.id, row.revision)
    return VendorErrorCodeOut.model_validate(row)


@router.patch("/{code_id}", response_model=VendorErrorCodeOut)
async def update_vendor_error_code(
    code_id: str,
    body: VendorErrorCodePatch,
    caller: Operator,
    uow: Writing,
    ctx: Server,
    request: Request,
    response: Response,
) -> VendorErrorCodeOut:
    service = VendorErrorCodeService(uow, caller.organization_id, ctx.clock)
    row = await conditional_update(
        service.codes, code_id, body, service.update, uow, request, response, replace=False
    )
    return VendorErrorCodeOut.model_validate(row)


@router.delete("/{code_id}", status_code=status.HTTP_204_NO_CONTENT)
async def delete_vendor_error_code(
    code_id: str, caller: Operator, uow: Writing, ctx: Server, request: Request
) -> Response:
    service = VendorErrorCodeService(uow, caller.organization_id, ctx.clock)
    await service.delete(await to_change(service.codes, code_id, request))
    await uow.commit()
    return Response(status_code=status.HTTP_204_NO_CONTENT)
