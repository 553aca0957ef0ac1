"""Reading what a station or operator uploads, within the size limit, raw or multipart.

Stations upload diagnostics as they were built to: HTTP PUT of the raw file, or POST of a
multipart/form-data form with one file part (the common HTTP counterpart of FTP uploads). The
size limit is checked against Content-Length first and enforced again while reading.
"""

from fastapi import Request
from starlette.datastructures import UploadFile

from chargeyard.errors import Invalid
from chargeyard.files.domain import ContentTooLarge, safe_filename
from chargeyard.files.service import Upload

MULTIPART_OVERHEAD = 64 * 1024  # boundaries and part headers around the file


async def read_upload(request: Request, limit: int, filename: str | None, fallback: str) -> Upload:
    _check_declared(request, limit)
    content_type = request.headers.get("content-type", "")
    if content_type.startswith("multipart/form-data"):
        upload, _fields = await _multipart(request, limit, fallback)
        return upload
    body = bytearray()
    async for chunk in request.stream():
        body += chunk
        if len(body) > limit:
            raise ContentTooLarge(f"uploads are limited to {limit} bytes")
    return Upload(
        bytes(body),
        safe_filename(filename, fallback),
        content_type.split(";")[0].strip() or "application/octet-stream",
    )


async def read_form_upload(
    request: Request, limit: int, fallback: str
) -> tuple[Upload, dict[str, str]]:
    """A browser form's file (multipart/form-data with one file part) and its other fields,
    such as the dashboard's CSRF token."""
    _check_declared(request, limit)
    if not request.headers.get("content-type", "").startswith("multipart/form-data"):
        raise Invalid("send the file as a multipart/form-data form")
    return await _multipart(request, limit, fallback)


def _check_declared(request: Request, limit: int) -> None:
    declared = request.headers.get("content-length")
    if declared is not None and declared.isdigit() and int(declared) > limit + MULTIPART_OVERHEAD:
        raise ContentTooLarge(f"uploads are limited to {limit} bytes")


async def _multipart(request: Request, limit: int, fallback: str) -> tuple[Upload, dict[str, str]]:
    form = await request.form(max_files=1, max_fields=16)
    try:
        part = next((v for v in form.values() if isinstance(v, UploadFile)), None)
        if part is None:
            raise Invalid("the multipart form has no file part")
        if part.size is not None and part.size > limit:
            raise ContentTooLarge(f"uploads are limited to {limit} bytes")
        content = await part.read()
        upload = Upload(
            content,
            safe_filename(part.filename, fallback),
            part.content_type or "application/octet-stream",
        )
        fields = {k: v for k, v in form.items() if isinstance(v, str)}
        return upload, fields
    finally:
        await form.close()
