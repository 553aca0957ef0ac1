"""Stored files as the API shows them, and the requests that open upload URLs and links."""

from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field

from chargeyard.files.domain import FileKind

DAY_S = 86_400


class FileOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: str
    station_id: str | None
    kind: FileKind
    status: str
    filename: str | None
    content_type: str | None
    size: int | None
    sha256: str | None
    downloads: int
    upload_expires_at: datetime | None
    created_by: str | None
    created_at: datetime
    stored_at: datetime | None


class UploadIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    kind: FileKind = Field(
        default=FileKind.DIAGNOSTICS, description="diagnostics (1.6 GetDiagnostics) or log (2.x)"
    )
    expires_in_s: int = Field(default=DAY_S, ge=60, le=30 * DAY_S)


class UploadOpened(FileOut):
    upload_url: str = Field(
        description="Give it as `location` to get-diagnostics or get-log; it takes one upload "
        "(HTTP PUT or POST, raw or multipart/form-data) and is shown only in this answer."
    )


class LinkIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    expires_in_s: int = Field(default=DAY_S, ge=60, le=30 * DAY_S)
    max_downloads: int | None = Field(default=None, ge=1, le=1_000_000)


class LinkOut(BaseModel):
    id: str
    file_id: str
    url: str = Field(description="Give it as `location` to update-firmware; shown only once.")
    expires_at: datetime
    max_downloads: int | None
