"""/api/v1/vouchers (codes) and /api/v1/drivers/{id}/vouchers (redeeming one for a driver)."""

from fastapi import APIRouter, Response, status

from chargeyard.api.dependencies import (
    Operator,
    Paging,
    Reading,
    Server,
    UpdatedSince,
    Viewer,
    Writing,
    set_etag,
)
from chargeyard.api.schemas import ListOf, listing
from chargeyard.drivers.repository import DriverRepository
from chargeyard.vouchers.models import Voucher, VoucherRedemption
from chargeyard.vouchers.repository import VoucherRepository
from chargeyard.vouchers.schemas import Redeem, RedemptionOut, VoucherCreate, VoucherOut
from chargeyard.vouchers.service import VoucherDraft, VoucherService

router = APIRouter(tags=["vouchers"])


@router.get("/vouchers", response_model=ListOf[VoucherOut])
async def list_vouchers(
    caller: Viewer,
    uow: Reading,
    paging: Paging,
    updated_since: UpdatedSince = None,
    status: str | None = None,
    code: str | None = None,
) -> ListOf[VoucherOut]:
    """Newest first; `code` matches case-insensitively."""
    result = await VoucherRepository(uow.session, caller.organization_id).search(
        paging, status=status, code=code, updated_since=updated_since
    )
    return listing(result, paging, VoucherOut)


@router.post("/vouchers", status_code=status.HTTP_201_CREATED, response_model=VoucherOut)
async def create_voucher(
    body: VoucherCreate, caller: Operator, uow: Writing, ctx: Server, response: Response
) -> Voucher:
    voucher = await VoucherService(uow, caller.organization_id, ctx.clock).create(
        VoucherDraft(**body.model_dump())
    )
    await uow.commit()
    set_etag(response, voucher.id, voucher.revision)
    response.headers["Location"] = f"/api/v1/vouchers/{voucher.id}"
    return voucher


@router.get("/vouchers/{voucher_id}", response_model=VoucherOut)
async def get_voucher(voucher_id: str, caller: Viewer, uow: Reading, response: Response) -> Voucher:
    voucher = await VoucherRepository(uow.session, caller.organization_id).get(voucher_id)
    set_etag(response, voucher.id, voucher.revision)
    return voucher


@router.post("/vouchers/{voucher_id}/disable", response_model=VoucherOut)
async def disable_voucher(
    voucher_id: str, caller: Operator, uow: Writing, ctx: Server, response: Response
) -> Voucher:
    """No further redemptions; what the code credited stays credited."""
    service = VoucherService(uow, caller.organization_id, ctx.clock)
    voucher = service.disable(await service.vouchers.locked(voucher_id))
    await uow.commit()
    set_etag(response, voucher.id, voucher.revision)
    return voucher


@router.get("/vouchers/{voucher_id}/redemptions", response_model=ListOf[RedemptionOut])
async def voucher_redemptions(
    voucher_id: str, caller: Viewer, uow: Reading, paging: Paging
) -> ListOf[RedemptionOut]:
    vouchers = VoucherRepository(uow.session, caller.organization_id)
    await vouchers.get(voucher_id)
    return listing(await vouchers.redemptions(paging, voucher_id=voucher_id), paging, RedemptionOut)


@router.post(
    "/drivers/{driver_id}/vouchers",
    status_code=status.HTTP_201_CREATED,
    response_model=RedemptionOut,
)
async def redeem_voucher(
    driver_id: str, body: Redeem, caller: Operator, uow: Writing, ctx: Server
) -> VoucherRedemption:
    """Redeem a code for the driver: an amount voucher is credited at once (a `voucher` entry);
    a percentage voucher is held (`pending`) for the driver's next session charge. 409 when the
    code is disabled, expired, used up or at its limit for this driver."""
    driver = await DriverRepository(uow.session, caller.organization_id).get(driver_id)
    redemption = await VoucherService(uow, caller.organization_id, ctx.clock).redeem(
        driver, body.code
    )
    await uow.commit()
    return redemption


@router.get("/drivers/{driver_id}/vouchers", response_model=ListOf[RedemptionOut])
async def driver_redemptions(
    driver_id: str, caller: Viewer, uow: Reading, paging: Paging
) -> ListOf[RedemptionOut]:
    await DriverRepository(uow.session, caller.organization_id).get(driver_id)
    vouchers = VoucherRepository(uow.session, caller.organization_id)
    return listing(await vouchers.redemptions(paging, driver_id=driver_id), paging, RedemptionOut)
