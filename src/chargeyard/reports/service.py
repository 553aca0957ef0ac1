"""Reports read page by page in constant memory: streamed as CSV, or written to an XLSX file.

A report is its columns, how to read the page of rows after a key, and the key of a row. Each page
is read in a short read-only unit of work of its own, with keyset pagination (the rows after the
last key sent, never an offset), so a million-row export neither holds one long transaction open
nor slows down as it goes, and the client receives the first rows before the last are read.
"""

import asyncio
import os
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any, BinaryIO, Generic, TypeVar

from chargeyard.alerts.repository import AlertFilter, AlertRepository
from chargeyard.clock import Clock
from chargeyard.error_codes.service import station_translations
from chargeyard.kpis.repository import Scope
from chargeyard.kpis.service import KpiService, period
from chargeyard.reports.domain import lines
from chargeyard.reports.repository import ReportRepository
from chargeyard.reports.xlsx import XlsxReport
from chargeyard.stations.repository import StationRepository
from chargeyard.storage.database import Database
from chargeyard.storage.session import AsyncSession
from chargeyard.transactions.repository import TransactionFilter, TransactionRepository

PAGE = 1000
CHUNK = 1 << 20
"""Bytes per chunk when a written file is sent."""

K = TypeVar("K")
Rows = Sequence[Sequence[Any]]


@dataclass(frozen=True)
class Report(Generic[K]):
    columns: Sequence[str]
    read: Callable[[AsyncSession, K | None, int], Awaitable[Rows]]
    """The page of at most `limit` rows (the columns, in order) after a key (None: from the
    start)."""
    key: Callable[[Sequence[Any]], K]


async def pages(
    db: Database, report: Report[K], page: int = PAGE, going_on: Callable[[], bool] = lambda: True
) -> AsyncIterator[Rows]:
    """The report's rows, one page at a time (the last may be empty). `going_on` is asked before
    each page; when it answers False the build stops (`Interrupted`)."""
    after: K | None = None
    while True:
        if not going_on():
            raise Interrupted
        async with db.reading() as uow:
            found = await report.read(uow.session, after, page)
        yield found
        if len(found) < page:
            return
        after = report.key(found[-1])


async def stream(db: Database, report: Report[K], page: int = PAGE) -> AsyncIterator[str]:
    """The header, then one chunk of rows per page."""
    yield lines([report.columns])
    async for found in pages(db, report, page):
        if found:
            yield lines(found)


class Interrupted(Exception):
    """The build was told to stop between two pages (its builder lost its lease)."""


async def write_xlsx(
    db: Database,
    report: Report[K],
    path: Path,
    page: int = PAGE,
    going_on: Callable[[], bool] = lambda: True,
) -> int:
    """The report as a workbook at `path`; its row count (the header not counted)."""
    book = XlsxReport(path, report.columns)
    try:
        async for found in pages(db, report, page, going_on):
            book.add(found)
    finally:
        await asyncio.to_thread(book.close)
    return book.rows


async def write_csv(
    db: Database,
    report: Report[K],
    path: Path,
    page: int = PAGE,
    going_on: Callable[[], bool] = lambda: True,
) -> int:
    """The report as CSV at `path` (UTF-8), as `stream` sends it; its row count."""
    rows = 0
    with path.open("w", encoding="utf-8", newline="") as out:
        out.write(lines([report.columns]))
        async for found in pages(db, report, page, going_on):
            out.write(lines(found))
            rows += len(found)
    return rows


def take(path: Path) -> tuple[BinaryIO, int]:
    """A written file opened, its size, and its name removed: the open file keeps the content
    until it is closed, so nothing is left on disk however the sending ends (even when it never
    starts because the client went away)."""
    source = path.open("rb")
    try:
        return source, os.fstat(source.fileno()).st_size
    finally:
        path.unlink(missing_ok=True)


async def send_file(source: BinaryIO) -> AsyncIterator[bytes]:
    """An open file in chunks, closed at the end."""
    with source:
        while chunk := await asyncio.to_thread(source.read, CHUNK):
            yield chunk


TRANSACTION_COLUMNS = (
    "id",
    "station_id",
    "evse_id",
    "connector_id",
    "ocpp_transaction_id",
    "id_tag",
    "auth_status",
    "started_at",
    "stopped_at",
    "meter_start_wh",
    "meter_stop_wh",
    "energy_wh",
    "stop_reason",
    "stop_id_tag",
    "reservation_id",
    "force_stopped",
)
STATUS_COLUMNS = (
    "id",
    "station_id",
    "evse_id",
    "connector_id",
    "status",
    "ocpp_status",
    "error_code",
    "info",
    "vendor_id",
    "vendor_error_code",
    "occurred_at",
    "received_at",
)
ALERT_COLUMNS = (
    "id",
    "name",
    "category",
    "urgency",
    "status",
    "station_id",
    "evse_id",
    "connector_id",
    "transaction_id",
    "started_at",
    "ended_at",
    "acknowledged_at",
    "resolved_by",
)


def transactions(organization_id: str, where: TransactionFilter) -> Report[int]:
    """Oldest first, as `/transactions` filters them."""

    async def read(session: AsyncSession, after: int | None, limit: int) -> Rows:
        repository = TransactionRepository(session, organization_id)
        return await repository.export_page(where, after or 0, limit, TRANSACTION_COLUMNS)

    return Report(TRANSACTION_COLUMNS, read, lambda row: int(row[0]))


TRANSLATION_COLUMNS = ("error_title", "error_severity", "error_action")
"""What the organization's vendor error code table says of a row's `vendor_error_code`."""


def status_history(organization_id: str, **where: Any) -> Report[int]:
    """In the order stored, as a station's `/status-history` filters it (any station when
    `station_id` is not given), each vendor error code translated as that endpoint and alerts
    translate it (the most specific entry for the station's vendor, model and firmware; empty
    without one)."""
    station = STATUS_COLUMNS.index("station_id")
    code = STATUS_COLUMNS.index("vendor_error_code")

    async def read(session: AsyncSession, after: int | None, limit: int) -> Rows:
        repository = StationRepository(session, organization_id)
        rows = await repository.status_history_page(after or 0, limit, STATUS_COLUMNS, **where)
        found = await station_translations(
            session, organization_id, ((row[station], row[code]) for row in rows)
        )
        translated = []
        for row in rows:
            match = found.get((row[station], row[code]))
            extra = (
                (None,) * 3 if match is None else (match.title, match.severity.value, match.action)
            )
            translated.append((*row, *extra))
        return translated

    return Report((*STATUS_COLUMNS, *TRANSLATION_COLUMNS), read, lambda row: int(row[0]))


def alerts(organization_id: str, where: AlertFilter) -> Report[tuple[datetime, str]]:
    """By start, as `/alerts` filters them."""

    async def read(session: AsyncSession, after: tuple[datetime, str] | None, limit: int) -> Rows:
        repository = AlertRepository(session, organization_id)
        return await repository.export_page(where, after, limit, ALERT_COLUMNS)

    started = ALERT_COLUMNS.index("started_at")
    return Report(ALERT_COLUMNS, read, lambda row: (row[started], str(row[0])))


METER_VALUE_COLUMNS = (
    "id",
    "station_id",
    "evse_id",
    "connector_id",
    "transaction_id",
    "timestamp",
    "measurand",
    "phase",
    "location",
    "context",
    "unit",
    "value",
    "received_at",
)
MESSAGE_COLUMNS = (
    "id",
    "station_id",
    "direction",
    "message_type",
    "unique_id",
    "action",
    "logged_at",
    "frame",
)
CDR_COLUMNS = (
    "id",
    "transaction_id",
    "station_id",
    "id_tag",
    "driver_id",
    "currency",
    "total_excl_tax",
    "total_incl_tax",
    "credit",
    "credit_reference_id",
    "started_at",
    "stopped_at",
    "created_at",
)
UPTIME_COLUMNS = (
    "station_id",
    "start",
    "end",
    "uptime",
    "connectivity",
    "up_s",
    "down_s",
    "excluded_s",
    "connected_s",
    "disconnected_s",
    "occupied",
    "charging",
    "occupied_s",
    "charging_s",
)


def meter_values(organization_id: str, **where: Any) -> Report[int]:
    """Every sample as reported (the raw value, text), in the order stored."""

    async def read(session: AsyncSession, after: int | None, limit: int) -> Rows:
        repository = ReportRepository(session, organization_id)
        return await repository.meter_values_page(after or 0, limit, METER_VALUE_COLUMNS, **where)

    return Report(METER_VALUE_COLUMNS, read, lambda row: int(row[0]))


def ocpp_messages(organization_id: str, **where: Any) -> Report[int]:
    """The message log's frames, in the order logged."""

    async def read(session: AsyncSession, after: int | None, limit: int) -> Rows:
        repository = ReportRepository(session, organization_id)
        return await repository.messages_page(after or 0, limit, MESSAGE_COLUMNS, **where)

    return Report(MESSAGE_COLUMNS, read, lambda row: int(row[0]))


def cdrs(organization_id: str, **where: Any) -> Report[tuple[datetime, str]]:
    """Issued CDRs and credit notes, oldest first, as `/cdrs` filters them."""

    async def read(session: AsyncSession, after: tuple[datetime, str] | None, limit: int) -> Rows:
        return await ReportRepository(session, organization_id).cdrs_page(
            after, limit, CDR_COLUMNS, **where
        )

    created = CDR_COLUMNS.index("created_at")
    return Report(CDR_COLUMNS, read, lambda row: (row[created], str(row[0])))


def uptime(
    organization_id: str,
    clock: Clock,
    *,
    station_id: str | None = None,
    location_id: str | None = None,
    start: datetime | None = None,
    end: datetime | None = None,
) -> Report[str]:
    """One row per station (of the organization, a location, or one): its uptime,
    connectivity and utilisation (occupied and charging shares) over the period, as
    `/kpis/uptime`, `/kpis/connectivity` and `/kpis/utilisation` measure them (docs/alerts.md,
    "KPIs"). The period defaults to the week before the report is built."""
    Scope(organization_id, station_id=station_id, location_id=location_id)  # not both
    first, last = period(start, end, clock())

    async def read(session: AsyncSession, after: str | None, limit: int) -> Rows:
        found = await ReportRepository(session, organization_id).station_ids(
            after, limit, station_id, location_id
        )
        rows = []
        for station in found:
            kpis = KpiService(session, Scope(organization_id, station_id=station), clock)
            up = (await kpis.uptime(first, last, charging=True)).tally
            connected = (await kpis.connectivity(first, last)).tally
            rows.append(
                (
                    station,
                    first,
                    last,
                    up.fraction,
                    connected.fraction,
                    round(up.up_s, 3),
                    round(up.down_s, 3),
                    round(up.excluded_s, 3),
                    round(connected.up_s, 3),
                    round(connected.down_s, 3),
                    up.utilisation,
                    up.charging,
                    round(up.occupied_s, 3),
                    round(up.charging_s, 3),
                )
            )
        return rows

    return Report(UPTIME_COLUMNS, read, lambda row: str(row[0]))
