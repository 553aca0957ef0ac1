"""/api/v1/reports: every report kind as CSV (streamed) or XLSX, with the filters of the matching
list endpoint, and asynchronous reports built in the background (docs/reports.md)."""

import asyncio
import os
import tempfile
from collections.abc import AsyncIterator, Callable, Coroutine
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request, Response
from fastapi.responses import StreamingResponse

from chargeyard.api.dependencies import (
    OrganizationViewer,
    Paging,
    Reading,
    Server,
    Viewer,
    Writing,
)
from chargeyard.api.schemas import ListOf
from chargeyard.files.domain import safe_filename
from chargeyard.reports.domain import ReportFormat, ReportKind, ReportStatus
from chargeyard.reports.kinds import KINDS, Kind
from chargeyard.reports.models import ReportRequest
from chargeyard.reports.repository import ReportRequestRepository
from chargeyard.reports.requests import ReportRequests
from chargeyard.reports.schemas import ReportIn, ReportOut
from chargeyard.reports.service import Report, send_file, stream, take, write_xlsx
from chargeyard.server_context import ServerContext

router = APIRouter(prefix="/reports", tags=["reports"])


def csv_response(chunks: AsyncIterator[str], name: str) -> StreamingResponse:
    return StreamingResponse(
        chunks,
        media_type=ReportFormat.CSV.media_type,
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


async def xlsx_response(ctx: ServerContext, report: Report[Any], name: str) -> StreamingResponse:
    """The workbook, written to a temporary file first (a zip archive is only whole at its end),
    then sent in chunks; its name is removed before sending (`take`)."""
    handle, temporary = tempfile.mkstemp(prefix="chargeyard-report-", suffix=".xlsx")
    os.close(handle)
    path = Path(temporary)
    try:
        await write_xlsx(ctx.db, report, path)
    except BaseException:
        await asyncio.to_thread(path.unlink, missing_ok=True)
        raise
    source, size = await asyncio.to_thread(take, path)
    return StreamingResponse(
        send_file(source),
        media_type=ReportFormat.XLSX.media_type,
        headers={
            "Content-Disposition": f'attachment; filename="{name}"',
            "Content-Length": str(size),
        },
    )


def _download(
    kind: ReportKind, spec: Kind
) -> Callable[..., Coroutine[Any, Any, StreamingResponse]]:
    model = spec.filters

    async def download(
        caller: Viewer,
        ctx: Server,
        format: ReportFormat,
        filters: Annotated[model, Query()],  # type: ignore[valid-type]
    ) -> StreamingResponse:
        report = spec.make(caller.organization_id, filters, ctx.clock)
        name = f"{kind.value}.{format.value}"
        if format is ReportFormat.XLSX:
            return await xlsx_response(ctx, report, name)
        return csv_response(stream(ctx.db, report), name)

    download.__doc__ = (
        f"The {kind.value} report, with the filters of its list endpoint: CSV streamed as it is "
        "read, or an XLSX workbook (built first, then sent). Formula-like text is neutralised."
    )
    return download


for _kind, _spec in KINDS.items():
    router.add_api_route(
        f"/{_kind.value}.{{format}}",
        _download(_kind, _spec),
        methods=["GET"],
        response_class=StreamingResponse,
        name=f"{_kind.value}_report",
        summary=f"{_kind.value.replace('-', ' ').capitalize()} report",
    )


def _out(request: Request, row: ReportRequest) -> ReportOut:
    ready = row.status == ReportStatus.READY and row.file_id is not None
    return ReportOut(
        id=row.id,
        kind=row.kind,
        format=row.format,
        filters=row.filters,
        status=row.status,
        rows=row.rows,
        error=row.error,
        file_id=row.file_id,
        download_url=str(request.url_for("report_content", report_id=row.id)) if ready else None,
        requested_by=row.requested_by,
        created_at=row.created_at,
        started_at=row.started_at,
        finished_at=row.finished_at,
    )


@router.post("", response_model=ReportOut, status_code=202)
async def request_report(
    body: ReportIn, caller: OrganizationViewer, uow: Writing, ctx: Server, request: Request
) -> ReportOut:
    """Queue a report of any kind and format, built in the background into a stored file: poll
    `GET /reports/{id}` (or take the `report.ready` / `report.failed` event) and download it
    from `download_url`. `filters` are those of the kind's download endpoint."""
    row = await ReportRequests(uow, caller.organization_id, ctx.clock).request(
        body.kind, body.format, body.filters, caller.actor
    )
    await uow.commit()
    request.app.state.reports.wakeup.fire()
    return _out(request, row)


@router.get("", response_model=ListOf[ReportOut])
async def list_reports(
    caller: OrganizationViewer,
    uow: Reading,
    paging: Paging,
    request: Request,
    kind: ReportKind | None = None,
    status: ReportStatus | None = None,
) -> ListOf[ReportOut]:
    """The organization's asynchronous reports, newest first."""
    result = await ReportRequestRepository(uow.session, caller.organization_id).search(
        paging, kind=kind, status=status
    )
    return ListOf[ReportOut](
        items=[_out(request, row) for row in result.items],
        total=result.total,
        offset=paging.offset,
        limit=paging.limit,
    )


@router.get("/{report_id}", response_model=ReportOut)
async def get_report(
    report_id: str, caller: OrganizationViewer, uow: Reading, ctx: Server, request: Request
) -> ReportOut:
    row = await ReportRequests(uow, caller.organization_id, ctx.clock).get(report_id)
    return _out(request, row)


@router.get(
    "/{report_id}/content",
    name="report_content",
    response_class=Response,
    responses={
        200: {"content": {fmt.media_type: {} for fmt in ReportFormat}},
    },
)
async def report_content(
    report_id: str, caller: OrganizationViewer, uow: Reading, ctx: Server
) -> Response:
    """The finished report's file (409 until it is ready)."""
    stored = await ReportRequests(uow, caller.organization_id, ctx.clock).content(report_id)
    name = safe_filename(stored.filename, f"report.{stored.kind}")
    return Response(
        stored.content or b"",
        media_type=stored.content_type or "application/octet-stream",
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )
