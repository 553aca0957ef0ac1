"""Vouchers as `/api/v1/vouchers` has them: the codes, newest first, filtered by status and code
on the server, with their terms and how much of them is used. Operators and admins create a code
and disable one, and redeem a code for a driver from the driver's page, through `VoucherService`
with the REST API's body models (`VoucherCreate`, `Redeem`), so a form obeys the same rules as a
JSON body: a taken code or a spent one is 409, a broken term 422."""

from dataclasses import dataclass
from typing import Annotated, Literal

from fastapi import APIRouter, Query, Request, Response

from chargeyard.api.dependencies import Server
from chargeyard.clock import as_utc
from chargeyard.dashboard.auth import ActingCaller, PageCaller, SignedIn
from chargeyard.dashboard.drivers import refused_on_driver_page
from chargeyard.dashboard.endpoints import PageNumber, base_context
from chargeyard.dashboard.field_form import FieldForm, refused
from chargeyard.dashboard.form_handling import (
    ROW_REFUSALS,
    form_sender,
    page_slice,
    paging,
    see_other,
)
from chargeyard.dashboard.rendering import DashboardRoute, render
from chargeyard.drivers.repository import DriverRepository
from chargeyard.errors import Conflict, Invalid
from chargeyard.server_context import ServerContext
from chargeyard.vouchers.domain import VoucherStatus, refusal
from chargeyard.vouchers.models import Voucher
from chargeyard.vouchers.repository import VoucherRepository
from chargeyard.vouchers.schemas import Redeem, VoucherCreate
from chargeyard.vouchers.service import VoucherDraft, VoucherService

router = APIRouter(route_class=DashboardRoute, include_in_schema=False)

StatusFilter = Literal["", "active", "disabled"]


@dataclass(frozen=True)
class VoucherRow:
    """A voucher as the list shows it: `refused` says why an active code cannot be redeemed
    now (expired, fully redeemed), by the rule redemption itself applies."""

    voucher: Voucher
    refused: str | None


LABELS = {
    "code": "Code",
    "kind": "Kind",
    "currency": "Currency",
    "amount": "Amount (amount kind)",
    "percent": "Percent (percentage kind)",
    "max_amount": "At most (percentage kind)",
    "expires_at": "Expires",
    "max_redemptions": "Uses in all",
    "per_driver_limit": "Uses per driver",
    "description": "Description",
}
KINDS = [("amount", "amount"), ("percentage", "percentage")]
REFUSED = (Invalid, Conflict)
"""What the new-voucher form answers on itself: a broken term (422), a taken code (409)."""


@router.get("/vouchers")
async def vouchers(
    request: Request,
    caller: PageCaller,
    ctx: Server,
    code: Annotated[str | None, Query(max_length=64)] = None,
    voucher_status: Annotated[StatusFilter, Query(alias="status")] = "",
    page: PageNumber = 1,
) -> Response:
    return await _list_page(request, caller, ctx, (code or "", voucher_status), page)


async def _list_page(
    request: Request,
    caller: SignedIn,
    ctx: ServerContext,
    where: tuple[str, str] = ("", ""),
    page: int = 1,
    form: FieldForm | None = None,
    status_code: int = 200,
) -> Response:
    code, voucher_status = where
    async with ctx.db.reading() as uow:
        found = await VoucherRepository(uow.session, caller.principal.organization_id).search(
            page_slice(page), status=voucher_status or None, code=code.strip() or None
        )
    now = ctx.clock()
    rows = [
        VoucherRow(
            v,
            refusal(
                VoucherStatus(v.status),
                None if v.expires_at is None else as_utc(v.expires_at),
                v.redemptions,
                v.max_redemptions,
                now,
            ),
        )
        for v in found.items
    ]
    context = (
        base_context(caller, "vouchers")
        | paging(found.total, page)
        | {
            "rows": rows,
            "code": code,
            "status": voucher_status,
            "kinds": KINDS,
            "form": form or FieldForm({"kind": "amount", "currency": "EUR"}, labels=LABELS),
        }
    )
    return render(request, "vouchers.html", context, status_code)


@router.post("/vouchers")
async def create_voucher(request: Request, acting: ActingCaller, ctx: Server) -> Response:
    """The new voucher form (operator and up): `POST /api/v1/vouchers`. An emptied "uses in
    all" with "no limit" ticked is `max_redemptions: null`; the expiry is the browser's local
    time sent as a UTC instant (a bare value is read as UTC). A refused voucher comes back as
    sent, each refusal beside its field (a taken code beside the code)."""
    sender = form_sender(acting)
    overrides: dict[str, object] = {**sender.local_times("expires_at")}
    if sender.fields.get("unlimited"):
        overrides["max_redemptions"] = None
    try:
        body = sender.body(VoucherCreate, **overrides)
        async with sender.writing(ctx) as uow:
            await VoucherService(uow, sender.organization_id, ctx.clock).create(
                VoucherDraft(**body.model_dump())
            )
    except REFUSED as refusal:
        about = "code" if isinstance(refusal, Conflict) else ""
        form = refused(sender.fields, LABELS, refusal, about, ("unlimited",), ("expires_at",))
        return await _list_page(request, acting[0], ctx, ("", ""), 1, form, refusal.status)
    return see_other("/vouchers")


@router.post("/vouchers/{voucher_id}/disable")
async def disable_voucher(voucher_id: str, acting: ActingCaller, ctx: Server) -> Response:
    """`POST /api/v1/vouchers/{id}/disable` (operator and up): no further redemptions."""
    sender = form_sender(acting)
    async with sender.writing(ctx) as uow:
        service = VoucherService(uow, sender.organization_id, ctx.clock)
        service.disable(await service.vouchers.get(voucher_id))
    return see_other("/vouchers")


@router.post("/drivers/{driver_id}/vouchers")
async def redeem_voucher(
    request: Request, driver_id: str, acting: ActingCaller, ctx: Server
) -> Response:
    """The driver page's redeem form (operator and up): `POST /api/v1/drivers/{id}/vouchers`;
    a refusal (an unknown code, a voucher spent, expired or in another currency) is said above
    the driver's page."""
    sender = form_sender(acting)
    try:
        body = sender.body(Redeem)
        async with sender.writing(ctx) as uow:
            driver = await DriverRepository(uow.session, sender.organization_id).get(driver_id)
            await VoucherService(uow, sender.organization_id, ctx.clock).redeem(driver, body.code)
    except ROW_REFUSALS as refusal:
        return await refused_on_driver_page(request, refusal, driver_id, acting[0], ctx)
    return see_other(f"/drivers/{driver_id}")
