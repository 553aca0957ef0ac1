"""/api/v1: upload URLs for station diagnostics and logs, firmware images, files and links.

The URLs stations use (`/files/uploads/{token}`, `/files/downloads/{token}`) are outside
/api/v1 and take no API credentials: see `station_endpoints.py`.
"""

from typing import Annotated

from fastapi import APIRouter, Query, Request, Response, status

from chargeyard.api.dependencies import Operator, Paging, Reading, Server, Viewer, Writing
from chargeyard.api.schemas import ListOf, listing
from chargeyard.files.domain import DOWNLOAD_PATH, UPLOAD_PATH, FileKind
from chargeyard.files.repository import FileRepository
from chargeyard.files.schemas import FileOut, LinkIn, LinkOut, UploadIn, UploadOpened
from chargeyard.files.service import FileService
from chargeyard.files.transfer import read_upload
from chargeyard.server_context import ServerContext

router = APIRouter(tags=["files"])


def public_url(ctx: ServerContext, request: Request, path: str) -> str:
    """An absolute URL a station can reach: the configured public URL, else this request's."""
    base = ctx.settings.public_url or str(request.base_url)
    return base.rstrip("/") + path


@router.post(
    "/stations/{station_id}/uploads",
    status_code=status.HTTP_201_CREATED,
    response_model=UploadOpened,
)
async def open_upload(
    station_id: str, body: UploadIn, caller: Operator, uow: Writing, ctx: Server, request: Request
) -> UploadOpened:
    """A one-time upload URL for this station's diagnostics or log file."""
    issued = await FileService(uow, caller.organization_id, ctx.clock).open_upload(
        station_id, body.kind, body.expires_in_s, caller.actor
    )
    await uow.commit()
    return UploadOpened(
        **FileOut.model_validate(issued.file).model_dump(),
        upload_url=public_url(ctx, request, UPLOAD_PATH + issued.token),
    )


@router.post("/firmware", status_code=status.HTTP_201_CREATED, response_model=FileOut)
async def upload_firmware(
    caller: Operator,
    uow: Writing,
    ctx: Server,
    request: Request,
    filename: Annotated[str | None, Query(max_length=255)] = None,
) -> FileOut:
    """Store a firmware image: the raw bytes (name it with `?filename=`) or a multipart form
    with one file part. Then create a download link for update-firmware."""
    upload = await read_upload(request, ctx.settings.files_max_bytes, filename, "firmware.bin")
    row = await FileService(uow, caller.organization_id, ctx.clock).store_firmware(
        upload, caller.actor
    )
    await uow.commit()
    return FileOut.model_validate(row)


@router.get("/files", response_model=ListOf[FileOut])
async def list_files(
    caller: Viewer,
    uow: Reading,
    paging: Paging,
    station_id: str | None = None,
    kind: FileKind | None = None,
    status: Annotated[str | None, Query(pattern="^(awaiting_upload|stored)$")] = None,
) -> ListOf[FileOut]:
    result = await FileRepository(uow.session, caller.organization_id).search(
        paging, station_id=station_id, kind=kind, status=status
    )
    return listing(result, paging, FileOut)


@router.get("/files/{file_id}", response_model=FileOut)
async def get_file(file_id: str, caller: Viewer, uow: Reading) -> FileOut:
    return FileOut.model_validate(
        await FileRepository(uow.session, caller.organization_id).get(file_id)
    )


@router.get(
    "/files/{file_id}/content",
    response_class=Response,
    responses={200: {"content": {"application/octet-stream": {}}}},
)
async def download_file(file_id: str, caller: Operator, uow: Reading, ctx: Server) -> Response:
    """The file's bytes (operators and admins: diagnostics can hold station secrets)."""
    row = await FileService(uow, caller.organization_id, ctx.clock).content(file_id)
    return attachment(row.content or b"", row.filename, row.sha256)


@router.delete("/files/{file_id}", status_code=status.HTTP_204_NO_CONTENT)
async def delete_file(file_id: str, caller: Operator, uow: Writing, ctx: Server) -> Response:
    await FileService(uow, caller.organization_id, ctx.clock).delete(file_id)
    await uow.commit()
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.post(
    "/files/{file_id}/download-links", status_code=status.HTTP_201_CREATED, response_model=LinkOut
)
async def create_link(
    file_id: str,
    body: LinkIn,
    caller: Operator,
    uow: Writing,
    ctx: Server,
    request: Request,
) -> LinkOut:
    """A download URL for a station (update-firmware's `location`), valid until it expires or
    has served `max_downloads` downloads; each download is counted."""
    issued = await FileService(uow, caller.organization_id, ctx.clock).issue_link(
        file_id, body.expires_in_s, body.max_downloads
    )
    await uow.commit()
    return LinkOut(
        id=issued.link.id,
        file_id=issued.link.file_id,
        url=public_url(ctx, request, DOWNLOAD_PATH + issued.token),
        expires_at=issued.link.expires_at,
        max_downloads=issued.link.max_downloads,
    )


def attachment(content: bytes, filename: str | None, sha256: str | None) -> Response:
    """A stored file's bytes as a download. Always `application/octet-stream` with `nosniff`,
    whatever type the uploader declared (kept in the file's metadata): a station or a report
    could otherwise have a browser render a stored file as HTML on Chargeyard's origin."""
    headers = {
        "Content-Disposition": f'attachment; filename="{filename or "file"}"',
        "X-Content-Type-Options": "nosniff",
    }
    if sha256:
        headers["ETag"] = f'"{sha256}"'
    return Response(content, media_type="application/octet-stream", headers=headers)
