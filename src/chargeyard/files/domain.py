"""Rules for the files stations upload and download, as values and pure functions.

Stations cannot present an API token: they reach a file by URL alone (OCPP's `location`). So
each URL carries its own credential, a random token of 256 bits stored only as its SHA-256 (like
API tokens): an upload URL takes one upload before it expires, a download link serves a file
until it expires or has served its number of downloads. A token is never shown again after the
answer that created it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from chargeyard.errors import ChargeyardError, NotFound


class FileKind(StrEnum):
    DIAGNOSTICS = "diagnostics"  # 1.6 GetDiagnostics
    LOG = "log"  # 2.x GetLog (diagnostics or security log)
    FIRMWARE = "firmware"  # an image an operator uploads for UpdateFirmware
    REPORT = "report"  # an asynchronous report Chargeyard built (reports/builder.py)


class FileStatus(StrEnum):
    AWAITING_UPLOAD = "awaiting_upload"
    STORED = "stored"


class ContentTooLarge(ChargeyardError):
    status = 413
    title = "Content too large"


UPLOAD_PATH = "/files/uploads/"
DOWNLOAD_PATH = "/files/downloads/"
# Where files are uploaded: held to CHARGEYARD_FILES_MAX_BYTES, not the API's body limit.
UPLOAD_PATHS = (UPLOAD_PATH, "/api/v1/firmware")
GONE = "this link does not exist, has expired or has been used up"


@dataclass(frozen=True)
class UploadWindow:
    """Whether an upload URL still takes its upload."""

    status: FileStatus
    expires_at: datetime | None

    def check(self, now: datetime) -> None:
        # The same answer for unknown, used and expired: a URL tells nothing about other URLs.
        if self.status is not FileStatus.AWAITING_UPLOAD or self.expires_at is None:
            raise NotFound(GONE)
        if now >= self.expires_at:
            raise NotFound(GONE)


@dataclass(frozen=True)
class LinkUse:
    expires_at: datetime
    max_downloads: int | None
    downloads: int

    def check(self, now: datetime) -> None:
        if now >= self.expires_at:
            raise NotFound(GONE)
        if self.max_downloads is not None and self.downloads >= self.max_downloads:
            raise NotFound(GONE)


def expiry(now: datetime, seconds: int) -> datetime:
    return now + timedelta(seconds=seconds)


def safe_filename(name: str | None, fallback: str) -> str:
    """A name fit for a Content-Disposition header: the last path part, printable ASCII only."""
    if not name:
        return fallback
    last = name.replace("\\", "/").rsplit("/", 1)[-1]
    kept = "".join(c for c in last if 32 < ord(c) < 127 and c not in '"%;')
    return kept[:200] or fallback
