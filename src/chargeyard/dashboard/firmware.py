"""Firmware images as `/api/v1/firmware` and `/api/v1/files` keep them: the images an operator
stores, and the one-time download links a station's UpdateFirmware fetches them by.

Every role lists them (a site-confined user too: an image belongs to no station, and the file
scope shows firmware to everyone of the organization); operators and admins upload, link,
download and delete, through `FileService` as the REST endpoints do. The upload is the one
dashboard form sent as multipart/form-data (its file part read by the REST API's own
`read_form_upload`, within `CHARGEYARD_FILES_MAX_BYTES`); its CSRF token is a field of that
form. A link's URL is shown once, on the page that answers the form, as the REST API shows it
once. Diagnostics and logs are a station's files, not listed here.
"""

from typing import Any

from fastapi import APIRouter, Request, Response

from chargeyard.api.dependencies import Server, check_role
from chargeyard.dashboard.auth import (
    ActingCaller,
    PageCaller,
    SignedIn,
    check_csrf,
    sending_session,
)
from chargeyard.dashboard.endpoints import PageNumber, base_context
from chargeyard.dashboard.field_form import FieldForm, refused
from chargeyard.dashboard.form_handling import (
    FormSender,
    form_sender,
    page_slice,
    paging,
    see_other,
)
from chargeyard.dashboard.forms import validated
from chargeyard.dashboard.rendering import DashboardRoute, render
from chargeyard.errors import Invalid, NotFound
from chargeyard.files.domain import DOWNLOAD_PATH, ContentTooLarge, FileKind
from chargeyard.files.endpoints import attachment, public_url
from chargeyard.files.models import StoredFile
from chargeyard.files.repository import FileRepository
from chargeyard.files.schemas import LinkIn
from chargeyard.files.service import FileService
from chargeyard.files.transfer import read_form_upload
from chargeyard.organizations.domain import Role
from chargeyard.server_context import ServerContext

router = APIRouter(route_class=DashboardRoute, include_in_schema=False)

UPLOAD_PATH = "/firmware/upload"
"""Held to the file size limit, not the API's body limit (`RequestLimits`' upload paths)."""
UPLOAD_LABELS = {"file": "Firmware image"}
LINK_LABELS = {"expires_in_s": "Valid for", "max_downloads": "Downloads allowed"}
VALID_FOR = [("3600", "1 hour"), ("86400", "1 day"), ("604800", "7 days"), ("2592000", "30 days")]
REFUSED = (Invalid, ContentTooLarge)


def _context(caller: SignedIn) -> dict[str, Any]:
    return base_context(caller, "stations") | {"valid_for": VALID_FOR}


async def _list_page(
    request: Request,
    caller: SignedIn,
    ctx: ServerContext,
    page: int = 1,
    form: FieldForm | None = None,
    status_code: int = 200,
) -> Response:
    async with ctx.db.reading() as uow:
        files = FileRepository(uow.session, caller.principal.organization_id)
        found = await files.search(page_slice(page), kind=FileKind.FIRMWARE)
    context = _context(caller) | paging(found.total, page)
    context |= {
        "images": found.items,
        "form": form or FieldForm(labels=UPLOAD_LABELS),
        "max_mb": ctx.settings.files_max_bytes / 1_048_576,
    }
    return render(request, "firmware_images.html", context, status_code)


@router.get("/firmware")
async def firmware_images(
    request: Request, caller: PageCaller, ctx: Server, page: PageNumber = 1
) -> Response:
    return await _list_page(request, caller, ctx, page)


@router.post(UPLOAD_PATH)
async def upload_firmware(request: Request, ctx: Server) -> Response:
    """`POST /api/v1/firmware` with a multipart form (operators and admins)."""
    signed_in, claims = await sending_session(request, ctx)
    caller = check_role(signed_in.principal, Role.OPERATOR)
    try:
        limit = ctx.settings.files_max_bytes
        upload, fields = await read_form_upload(request, limit, "firmware.bin")
        check_csrf(request, claims, fields.get("csrf_token", ""))
        async with ctx.db.writing() as uow:
            row = await FileService(uow, caller.organization_id, ctx.clock).store_firmware(
                upload, caller.actor
            )
            await uow.commit()
    except REFUSED as refusal:
        form = refused({}, UPLOAD_LABELS, refusal, about="file")
        return await _list_page(request, signed_in, ctx, 1, form, refusal.status)
    return see_other(f"/firmware/{row.id}")


async def _image(ctx: ServerContext, organization_id: str, file_id: str) -> StoredFile:
    """One of the organization's firmware images (404 for any other file: a station's
    diagnostics are not firmware)."""
    async with ctx.db.reading() as uow:
        row = await FileRepository(uow.session, organization_id).get(file_id)
    if row.kind != FileKind.FIRMWARE:
        raise NotFound(f"Firmware image {file_id!r} does not exist")
    return row


def _image_page(
    request: Request,
    caller: SignedIn,
    row: StoredFile,
    form: FieldForm | None = None,
    link: dict[str, Any] | None = None,
    status_code: int = 200,
) -> Response:
    context = _context(caller) | {
        "image": row,
        "form": form or FieldForm({"expires_in_s": "86400"}, labels=LINK_LABELS),
        "link": link,
    }
    return render(request, "firmware_image.html", context, status_code)


@router.get("/firmware/{file_id}")
async def firmware_image(
    request: Request, file_id: str, caller: PageCaller, ctx: Server
) -> Response:
    row = await _image(ctx, caller.principal.organization_id, file_id)
    return _image_page(request, caller, row)


@router.get("/firmware/{file_id}/content")
async def firmware_content(file_id: str, caller: PageCaller, ctx: Server) -> Response:
    """`GET /api/v1/files/{id}/content` (operators and admins)."""
    organization_id = check_role(caller.principal, Role.OPERATOR).organization_id
    await _image(ctx, organization_id, file_id)
    async with ctx.db.reading() as uow:
        row = await FileService(uow, organization_id, ctx.clock).content(file_id)
    return attachment(row.content or b"", row.filename, row.sha256)


async def _sender_of(
    acting: tuple[SignedIn, dict[str, str]], ctx: Server, file_id: str
) -> FormSender:
    sender = form_sender(acting)
    await _image(ctx, sender.organization_id, file_id)
    return sender


@router.post("/firmware/{file_id}/links")
async def create_link(
    request: Request, file_id: str, acting: ActingCaller, ctx: Server
) -> Response:
    """`POST /api/v1/files/{id}/download-links`: the page shows the link's URL this once."""
    sender = await _sender_of(acting, ctx, file_id)
    try:
        body = validated(
            LinkIn, {name: sender.fields.get(name, "").strip() for name in LINK_LABELS}
        )
        async with sender.writing(ctx) as uow:
            service = FileService(uow, sender.organization_id, ctx.clock)
            issued = await service.issue_link(file_id, body.expires_in_s, body.max_downloads)
    except Invalid as refusal:
        row = await _image(ctx, sender.organization_id, file_id)
        form = refused(sender.fields, LINK_LABELS, refusal)
        return _image_page(request, acting[0], row, form, status_code=refusal.status)
    link = {
        "url": public_url(ctx, request, DOWNLOAD_PATH + issued.token),
        "expires_at": issued.link.expires_at,
        "max_downloads": issued.link.max_downloads,
    }
    row = await _image(ctx, sender.organization_id, file_id)
    return _image_page(request, acting[0], row, link=link, status_code=201)


@router.post("/firmware/{file_id}/delete")
async def delete_image(file_id: str, acting: ActingCaller, ctx: Server) -> Response:
    """`DELETE /api/v1/files/{id}` (operators and admins)."""
    sender = await _sender_of(acting, ctx, file_id)
    async with sender.writing(ctx) as uow:
        await FileService(uow, sender.organization_id, ctx.clock).delete(file_id)
    return see_other("/firmware")
