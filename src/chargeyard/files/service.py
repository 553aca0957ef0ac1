"""Use cases of stored files: open an upload URL, take an upload, store firmware, hand out and
serve download links. Like every service it works inside the unit of work it is given."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime

from chargeyard.clock import Clock
from chargeyard.errors import Invalid, NotFound
from chargeyard.events.payloads import (
    FILE_DOWNLOADED,
    FILE_STORED,
    FILE_UPLOADED,
    EventKind,
    FileEvent,
)
from chargeyard.events.recorder import record_event
from chargeyard.files import repository
from chargeyard.files.domain import (
    GONE,
    FileKind,
    FileStatus,
    LinkUse,
    UploadWindow,
    expiry,
)
from chargeyard.files.models import DownloadLink, StoredFile
from chargeyard.files.repository import FileRepository
from chargeyard.security.tokens import generate_secret, token_digest
from chargeyard.stations.repository import StationRepository
from chargeyard.storage.unit_of_work import UnitOfWork


@dataclass(frozen=True)
class Upload:
    """What a station sent: the bytes, and the name and type it gave them."""

    content: bytes
    filename: str | None
    content_type: str | None


@dataclass(frozen=True)
class Issued:
    """A new row and the token of its URL, shown in this one answer."""

    file: StoredFile
    token: str


@dataclass(frozen=True)
class IssuedLink:
    link: DownloadLink
    token: str


class FileService:
    def __init__(self, uow: UnitOfWork, organization_id: str, clock: Clock) -> None:
        self.uow = uow
        self.organization_id = organization_id
        self.clock = clock
        self.files = FileRepository(uow.session, organization_id)

    async def open_upload(
        self, station_id: str, kind: FileKind, expires_in_s: int, actor: str
    ) -> Issued:
        """An upload URL for a station's diagnostics or log, to give as the command's location."""
        if kind is FileKind.FIRMWARE:
            raise Invalid("firmware is uploaded by an operator at /api/v1/firmware")
        if kind is FileKind.REPORT:
            raise Invalid("reports are built by Chargeyard: request one at /api/v1/reports")
        await StationRepository(self.uow.session, self.organization_id).get(station_id)
        token = generate_secret("up_")
        now = self.clock()
        row = self.files.add(
            StoredFile(
                organization_id=self.organization_id,
                station_id=station_id,
                kind=kind,
                status=FileStatus.AWAITING_UPLOAD,
                upload_token_digest=token_digest(token),
                upload_expires_at=expiry(now, expires_in_s),
                created_by=actor,
                created_at=now,
            )
        )
        await self.uow.session.flush()
        return Issued(row, token)

    async def store_firmware(self, upload: Upload, actor: str) -> StoredFile:
        if not upload.content:
            raise Invalid("the firmware image is empty")
        row = await self.store(FileKind.FIRMWARE, upload, actor)
        _record(self.uow, row, FILE_STORED, row.created_at)
        return row

    async def store(self, kind: FileKind, upload: Upload, actor: str) -> StoredFile:
        """A file Chargeyard was given or made itself, stored at once."""
        now = self.clock()
        row = self.files.add(
            StoredFile(
                organization_id=self.organization_id,
                kind=kind,
                status=FileStatus.AWAITING_UPLOAD,
                created_by=actor,
                created_at=now,
            )
        )
        _store(row, upload, now)
        await self.uow.session.flush()
        return row

    async def issue_link(
        self, file_id: str, expires_in_s: int, max_downloads: int | None
    ) -> IssuedLink:
        row = await self.files.get(file_id)
        if row.status != FileStatus.STORED:
            raise Invalid(f"file {file_id} has no content yet")
        token = generate_secret("dl_")
        now = self.clock()
        link = DownloadLink(
            organization_id=self.organization_id,
            file_id=row.id,
            token_digest=token_digest(token),
            expires_at=expiry(now, expires_in_s),
            max_downloads=max_downloads,
            created_at=now,
        )
        self.files.add_link(link)
        await self.uow.session.flush()
        return IssuedLink(link, token)

    async def content(self, file_id: str) -> StoredFile:
        row = await self.files.with_content(file_id)
        if row is None:
            raise NotFound(f"File {file_id!r} does not exist")
        if row.status != FileStatus.STORED:
            raise Invalid(f"file {file_id} has no content yet")
        return row

    async def delete(self, file_id: str) -> None:
        await self.files.delete(await self.files.get(file_id))


def _record(uow: UnitOfWork, row: StoredFile, kind: EventKind[FileEvent], now: datetime) -> None:
    record_event(
        uow,
        organization_id=row.organization_id,
        kind=kind,
        occurred_at=now,
        station_id=row.station_id,
        data=FileEvent(
            {
                "file_id": row.id,
                "kind": row.kind,
                "station_id": row.station_id,
                "filename": row.filename,
                "size": row.size,
                "sha256": row.sha256,
            }
        ),
    )


async def receive_upload(uow: UnitOfWork, token: str, upload: Upload, clock: Clock) -> StoredFile:
    """A station's upload to its one-time URL; the URL takes nothing more afterwards."""
    row = await repository.upload_by_token(uow.session, token_digest(token))
    if row is None:
        raise NotFound(GONE)
    now = clock()
    UploadWindow(FileStatus(row.status), row.upload_expires_at).check(now)
    _store(row, upload, now)
    row.upload_token_digest = None
    _record(uow, row, FILE_UPLOADED, now)
    return row


async def serve_link(uow: UnitOfWork, token: str, clock: Clock) -> StoredFile:
    """The file behind a download link, counting the download."""
    link = await repository.link_by_token(uow.session, token_digest(token))
    if link is None:
        raise NotFound(GONE)
    LinkUse(link.expires_at, link.max_downloads, link.downloads).check(clock())
    row = await repository.file_with_content(uow.session, link.file_id)
    if row is None or row.content is None:
        raise NotFound(GONE)
    await repository.count_download(uow.session, link)
    _record(uow, row, FILE_DOWNLOADED, clock())
    return row


def _store(row: StoredFile, upload: Upload, now: datetime) -> None:
    row.content = upload.content
    row.size = len(upload.content)
    row.sha256 = hashlib.sha256(upload.content).hexdigest()
    row.filename = upload.filename
    row.content_type = upload.content_type
    row.status = FileStatus.STORED
    row.stored_at = now
