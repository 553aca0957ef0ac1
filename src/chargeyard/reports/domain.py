"""CSV rendering for reports: cells, rows and formula-injection neutralisation. Pure.

A spreadsheet opening a CSV treats a cell that begins with `=`, `+`, `-` or `@` (or a tab or
carriage return, which some programs skip before one) as a formula; a station id or an ID tag
chosen by an attacker could then run one on the operator's machine. Such text cells are
prefixed with a single quote (OWASP's advice), which spreadsheets show as text. Numbers are
written as numbers: a negative value is data, not a formula.
"""

import csv
import io
from collections.abc import Iterable, Sequence
from datetime import datetime
from decimal import Decimal
from enum import StrEnum

Cell = str | int | float | Decimal | bool | datetime | None

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(text: str) -> str:
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def cell(value: Cell) -> str | int | float | Decimal:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, datetime):
        return value.isoformat().replace("+00:00", "Z")
    if isinstance(value, str):
        return neutralise(value)
    return value


def lines(rows: Iterable[Sequence[Cell]]) -> str:
    """Rows as CSV text (RFC 4180: comma, double quotes, CRLF)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerows([cell(value) for value in row] for row in rows)
    return buffer.getvalue()


class ReportKind(StrEnum):
    TRANSACTIONS = "transactions"
    STATUS_HISTORY = "status-history"
    ALERTS = "alerts"
    METER_VALUES = "meter-values"
    OCPP_MESSAGES = "ocpp-messages"
    CDRS = "cdrs"
    UPTIME = "uptime"


class ReportFormat(StrEnum):
    CSV = "csv"
    XLSX = "xlsx"

    @property
    def media_type(self) -> str:
        if self is ReportFormat.CSV:
            return "text/csv; charset=utf-8"
        return "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class ReportStatus(StrEnum):
    """An asynchronous report's life: queued -> running -> ready or failed."""

    QUEUED = "queued"
    RUNNING = "running"
    READY = "ready"
    FAILED = "failed"


MAX_ATTEMPTS = 3
"""Builds a report may start: one interrupted by a restart (or a lost lease) is queued again
until then, and failed after, so a report that kills its builder cannot do so forever."""


def after_interruption(attempts: int) -> ReportStatus:
    """What becomes of a report found running when its builder took over: nobody builds it."""
    return ReportStatus.QUEUED if attempts < MAX_ATTEMPTS else ReportStatus.FAILED
