"""Stored files and their download links.

The content lives in the database (a deferred column, loaded only to serve a download), so every
node of a cluster can serve any file and a backup of the database is a backup of the files.
"""

from datetime import datetime

from sqlalchemy import ForeignKey, LargeBinary, String
from sqlalchemy.orm import Mapped, deferred, mapped_column

from chargeyard.storage.base import Base, uuid_pk
from chargeyard.storage.stamps import stamp


class StoredFile(Base):
    __tablename__ = "stored_files"

    id: Mapped[str] = uuid_pk()
    organization_id: Mapped[str] = mapped_column(String(32), index=True)
    station_id: Mapped[str | None] = mapped_column(String(64), index=True)
    kind: Mapped[str] = mapped_column(String(16))
    status: Mapped[str] = mapped_column(String(16))
    filename: Mapped[str | None] = mapped_column(String(255))
    content_type: Mapped[str | None] = mapped_column(String(128))
    size: Mapped[int | None]
    sha256: Mapped[str | None] = mapped_column(String(64))
    content: Mapped[bytes | None] = deferred(mapped_column(LargeBinary))
    upload_token_digest: Mapped[str | None] = mapped_column(String(64), unique=True)
    upload_expires_at: Mapped[datetime | None]
    downloads: Mapped[int] = mapped_column(default=0)
    created_by: Mapped[str | None] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(default=stamp, index=True)
    stored_at: Mapped[datetime | None]


class DownloadLink(Base):
    __tablename__ = "file_download_links"

    id: Mapped[str] = uuid_pk()
    organization_id: Mapped[str] = mapped_column(String(32), index=True)
    file_id: Mapped[str] = mapped_column(
        ForeignKey("stored_files.id", ondelete="CASCADE"), index=True
    )
    token_digest: Mapped[str] = mapped_column(String(64), unique=True)
    expires_at: Mapped[datetime]
    max_downloads: Mapped[int | None]
    downloads: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime] = mapped_column(default=stamp)
