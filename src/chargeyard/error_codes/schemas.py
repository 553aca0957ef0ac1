"""Vendor error code request and response bodies; the import format is a list of
`VendorErrorCodeIn`."""

from datetime import datetime
from typing import Annotated, Any

from pydantic import BaseModel, Field, field_validator

from chargeyard.api.schemas import Input, Resource, refuse_null
from chargeyard.error_codes.domain import Severity, Translation

MAX_IMPORT = 1000
Name = Annotated[str, Field(min_length=1, max_length=50)]
Text = Annotated[str, Field(min_length=1, max_length=2000)]


class VendorErrorCodeIn(Input):
    """One translation. `model` / `firmware_version` null: any model / firmware of the vendor."""

    vendor: Name
    model: Name | None = None
    firmware_version: Name | None = None
    code: Name
    title: Annotated[str, Field(min_length=1, max_length=200)]
    description: Text | None = None
    severity: Severity = Severity.MEDIUM
    action: Text | None = None


class VendorErrorCodePatch(Input):
    vendor: Name | None = None
    model: Name | None = None
    firmware_version: Name | None = None
    code: Name | None = None
    title: Annotated[str, Field(min_length=1, max_length=200)] | None = None
    description: Text | None = None
    severity: Severity | None = None
    action: Text | None = None

    _not_null = refuse_null("vendor", "code", "title", "severity")


class VendorErrorCodeImport(Input):
    codes: list[VendorErrorCodeIn] = Field(min_length=1, max_length=MAX_IMPORT)


class ImportOut(BaseModel):
    created: int
    updated: int


class VendorErrorCodeOut(Resource):
    id: str
    vendor: str
    model: str | None
    firmware_version: str | None
    code: str
    title: str
    description: str | None
    severity: str
    action: str | None
    created_at: datetime
    updated_at: datetime

    @field_validator("model", "firmware_version", mode="before")
    @classmethod
    def _any(cls, value: Any) -> Any:
        return value or None


class TranslationOut(BaseModel):
    vendor: str
    model: str | None
    firmware_version: str | None
    code: str
    title: str
    description: str | None
    severity: str
    action: str | None

    @classmethod
    def of(cls, found: Translation) -> "TranslationOut":
        return cls(
            vendor=found.vendor,
            model=found.model or None,
            firmware_version=found.firmware_version or None,
            code=found.code,
            title=found.title,
            description=found.description,
            severity=found.severity.value,
            action=found.action,
        )
