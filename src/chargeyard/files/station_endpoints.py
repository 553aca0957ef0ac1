"""The URLs stations use for files: `/files/uploads/{token}` and `/files/downloads/{token}`.

They take no API credentials (stations have none to give); the token in the path is the
credential. Unknown, used and expired tokens all answer the same 404.
"""

from fastapi import APIRouter, Request, Response, status

from chargeyard.api.dependencies import Server
from chargeyard.files.endpoints import attachment
from chargeyard.files.service import receive_upload, serve_link
from chargeyard.files.transfer import read_upload

router = APIRouter(prefix="/files", tags=["station files"])


@router.put("/uploads/{token}", status_code=status.HTTP_201_CREATED, operation_id="upload_put")
@router.post("/uploads/{token}", status_code=status.HTTP_201_CREATED, operation_id="upload_post")
async def station_upload(token: str, request: Request, ctx: Server) -> Response:
    """Where a station uploads the diagnostics or log file it was asked for."""
    upload = await read_upload(
        request, ctx.settings.files_max_bytes, request.query_params.get("filename"), "upload.bin"
    )
    async with ctx.db.writing() as uow:
        await receive_upload(uow, token, upload, ctx.clock)
        await uow.commit()
    return Response(status_code=status.HTTP_201_CREATED)


@router.get(
    "/downloads/{token}",
    response_class=Response,
    responses={200: {"content": {"application/octet-stream": {}}}},
)
async def station_download(token: str, ctx: Server) -> Response:
    """Where a station fetches a firmware image (or any file it was given a link to)."""
    async with ctx.db.writing() as uow:
        row = await serve_link(uow, token, ctx.clock)
        await uow.commit()
        content, name, digest = row.content or b"", row.filename, row.sha256
    return attachment(content, name, digest)
