"""Vendor error codes as `/api/v1/vendor-error-codes` has them: the organization's translations
of what stations report as `vendorErrorCode`, per vendor and optionally model and firmware
version, searched on the server by vendor, model and code (exact, as the REST list), and what a
code means on one station (`/translate`: the most specific entry for its vendor, model and
firmware). Every role reads; operators and admins (a site-confined one too: the table is the
organization's, docs/access.md) add, change and delete entries through
`VendorErrorCodeService` with the REST API's `VendorErrorCodeIn`, so a duplicate is 409 and a
broken field 422, each said beside its field with the form as sent."""

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request, Response

from chargeyard.api.dependencies import Server
from chargeyard.dashboard.auth import ActingCaller, ImportingCaller, PageCaller, SignedIn
from chargeyard.dashboard.endpoints import PageNumber, base_context
from chargeyard.dashboard.error_code_import import COLUMNS, FIELD, import_body
from chargeyard.dashboard.field_form import FieldForm, refused
from chargeyard.dashboard.form_handling import as_shown, form_sender, page_slice, paging, see_other
from chargeyard.dashboard.forms import validated
from chargeyard.dashboard.rendering import DashboardRoute, render
from chargeyard.error_codes.domain import Severity, Translation
from chargeyard.error_codes.models import VendorErrorCode
from chargeyard.error_codes.repository import VendorErrorCodeRepository
from chargeyard.error_codes.schemas import VendorErrorCodeIn
from chargeyard.error_codes.service import VendorErrorCodeService
from chargeyard.errors import Conflict, Invalid, NotFound, PreconditionFailed
from chargeyard.server_context import ServerContext

router = APIRouter(route_class=DashboardRoute, include_in_schema=False)

LABELS = {
    "vendor": "Vendor",
    "model": "Model",
    "firmware_version": "Firmware version",
    "code": "Code",
    "title": "Title",
    "severity": "Severity",
    "description": "Description",
    "action": "Suggested action",
}
IMPORT_LABELS = {FIELD: "Entries (JSON or CSV)"}
SEVERITIES = [(s.value, s.value) for s in Severity]
REFUSED = (Invalid, Conflict, PreconditionFailed)
"""What a form answers on itself: a broken field (422), an entry for the same vendor, model,
firmware and code (409), an entry changed meanwhile (412)."""
Filter = Annotated[str, Query(max_length=50)]


def _values(row: VendorErrorCode) -> dict[str, str]:
    return {name: getattr(row, name) or "" for name in LABELS} | {"revision": str(row.revision)}


def _body(fields: dict[str, str]) -> VendorErrorCodeIn:
    """A form's entry, checked as the REST API checks a new one: every field is sent, an empty
    model or firmware version is "any", an emptied vendor, code or title is refused."""
    return validated(VendorErrorCodeIn, {name: fields.get(name, "").strip() for name in LABELS})


async def _list_page(
    request: Request,
    caller: SignedIn,
    ctx: ServerContext,
    where: dict[str, str],
    page: int = 1,
    form: FieldForm | None = None,
    status_code: int = 200,
    import_form: FieldForm | None = None,
    imported: str = "",
) -> Response:
    organization_id = caller.principal.organization_id
    async with ctx.db.reading() as uow:
        found = await VendorErrorCodeRepository(uow.session, organization_id).search(
            page_slice(page), **{k: where.get(k) or None for k in ("vendor", "model", "code")}
        )
    blank = FieldForm({"severity": Severity.MEDIUM.value}, labels=LABELS)
    context = base_context(caller, "alerts") | paging(found.total, page)
    context |= {
        "codes": found.items,
        "where": where,
        "form": form or blank,
        "import_form": import_form or FieldForm(labels=IMPORT_LABELS),
        "severities": SEVERITIES,
        "columns": COLUMNS,
        "imported": imported,
    }
    context |= await _meaning(ctx, caller, where)
    return render(request, "vendor_error_codes.html", context, status_code)


async def _meaning(ctx: ServerContext, caller: SignedIn, where: dict[str, str]) -> dict[str, Any]:
    """What `where`'s reported code means on its station, when both are given: the REST API's
    `/translate`; an unknown station is said on the form."""
    station, code = where.get("station", ""), where.get("reported", "")
    if not (station and code):
        return {"meaning": None, "meaning_error": ""}
    async with ctx.db.reading() as uow:
        service = VendorErrorCodeService(uow, caller.principal.organization_id, ctx.clock)
        try:
            found: Translation | None = await service.translate(station, code)
        except NotFound as missing:
            return {"meaning": None, "meaning_error": missing.detail}
    if found is None:
        return {"meaning": None, "meaning_error": f"no translation of {code!r} for this station"}
    return {"meaning": found, "meaning_error": ""}


@router.get("/vendor-error-codes")
async def vendor_error_codes(
    request: Request,
    caller: PageCaller,
    ctx: Server,
    vendor: Filter = "",
    model: Filter = "",
    code: Filter = "",
    station: Annotated[str, Query(max_length=64)] = "",
    reported: Filter = "",
    page: PageNumber = 1,
    created: Annotated[int | None, Query(ge=0)] = None,
    updated: Annotated[int | None, Query(ge=0)] = None,
) -> Response:
    where = {"vendor": vendor, "model": model, "code": code}
    where |= {"station": station.strip(), "reported": reported.strip()}
    done = "" if created is None or updated is None else f"{created} created, {updated} replaced"
    return await _list_page(request, caller, ctx, where, page, imported=done)


@router.post("/vendor-error-codes")
async def create_vendor_error_code(request: Request, acting: ActingCaller, ctx: Server) -> Response:
    """`POST /api/v1/vendor-error-codes` (operator and up)."""
    sender = form_sender(acting)
    try:
        body = _body(dict(sender.fields))
        async with sender.writing(ctx) as uow:
            row = await VendorErrorCodeService(uow, sender.organization_id, ctx.clock).create(
                body.model_dump()
            )
    except REFUSED as refusal:
        form = refused(sender.fields, LABELS, refusal)
        return await _list_page(request, acting[0], ctx, {}, 1, form, refusal.status)
    return see_other(f"/vendor-error-codes/{row.id}")


@router.post("/vendor-error-codes/import")
async def import_vendor_error_codes(
    request: Request, acting: ImportingCaller, ctx: Server
) -> Response:
    """`POST /api/v1/vendor-error-codes/import` (operator and up) from pasted or chosen JSON or
    CSV (`error_code_import.py`); each entry is created or replaces the one with its vendor,
    model, firmware version and code. A refusal comes back with the text as sent."""
    sender = form_sender(acting)
    try:
        body = import_body(sender.fields.get(FIELD, ""))
        async with sender.writing(ctx) as uow:
            service = VendorErrorCodeService(uow, sender.organization_id, ctx.clock)
            created, updated = await service.import_codes([c.model_dump() for c in body.codes])
    except Invalid as refusal:
        form = refused(sender.fields, IMPORT_LABELS, refusal, FIELD)
        return await _list_page(request, acting[0], ctx, {}, 1, None, refusal.status, form)
    return see_other(f"/vendor-error-codes?created={created}&updated={updated}#import")


def _code_page(
    request: Request,
    caller: SignedIn,
    row: VendorErrorCode,
    form: FieldForm | None = None,
    status_code: int = 200,
) -> Response:
    context = base_context(caller, "alerts") | {
        "row": row,
        "form": form or FieldForm(_values(row), labels=LABELS),
        "severities": SEVERITIES,
    }
    return render(request, "vendor_error_code.html", context, status_code)


async def _row(ctx: ServerContext, organization_id: str, code_id: str) -> VendorErrorCode:
    async with ctx.db.reading() as uow:
        return await VendorErrorCodeRepository(uow.session, organization_id).get(code_id)


@router.get("/vendor-error-codes/{code_id}")
async def vendor_error_code(
    request: Request, code_id: str, caller: PageCaller, ctx: Server
) -> Response:
    row = await _row(ctx, caller.principal.organization_id, code_id)
    return _code_page(request, caller, row)


@router.post("/vendor-error-codes/{code_id}")
async def change_vendor_error_code(
    request: Request, code_id: str, acting: ActingCaller, ctx: Server
) -> Response:
    """`PATCH /api/v1/vendor-error-codes/{id}` with every field (operator and up; an emptied
    model, firmware version, description or action is cleared), guarded by the revision the
    page showed (412 when the entry changed meanwhile)."""
    sender = form_sender(acting)
    try:
        body = _body(dict(sender.fields))
        async with sender.writing(ctx) as uow:
            service = VendorErrorCodeService(uow, sender.organization_id, ctx.clock)
            row = await as_shown(service.codes, code_id, sender.fields, "translation")
            await service.update(row, body.model_dump())
    except REFUSED as refusal:
        row = await _row(ctx, sender.organization_id, code_id)
        form = refused(sender.fields, LABELS, refusal, keep=("revision",))
        return _code_page(request, acting[0], row, form, refusal.status)
    return see_other(f"/vendor-error-codes/{code_id}")


@router.post("/vendor-error-codes/{code_id}/delete")
async def delete_vendor_error_code(code_id: str, acting: ActingCaller, ctx: Server) -> Response:
    """`DELETE /api/v1/vendor-error-codes/{id}` (operator and up)."""
    sender = form_sender(acting)
    async with sender.writing(ctx) as uow:
        service = VendorErrorCodeService(uow, sender.organization_id, ctx.clock)
        await service.delete(await service.codes.get(code_id))
    return see_other("/vendor-error-codes")
