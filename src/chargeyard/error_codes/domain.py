"""Vendor error codes: what a station's `vendorErrorCode` means, per vendor and optionally model
and firmware version (pure).

Stations report faults with codes only their maker documents ("E-17", "0x2A"). An organization
keeps a translation table: for a vendor (and, when the meaning differs, a model or a firmware
version) a code's title, description, severity and suggested action. The most specific entry
that matches the station wins: vendor + model + firmware, then vendor + model, then vendor +
firmware, then vendor alone. Vendors, models and firmware versions match case-insensitively,
codes exactly (vendors document them in one spelling).
"""

from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum

ANY = ""
"""A translation's model or firmware version that matches every one (stored as the empty
string, so the uniqueness of (vendor, model, firmware, code) holds in every database)."""


class Severity(StrEnum):
    """The alert urgencies: a translated vendor error raises its alert with this urgency."""

    HIGH = "High"
    MEDIUM = "Medium"
    LOW = "Low"


@dataclass(frozen=True)
class Translation:
    vendor: str
    model: str
    firmware_version: str
    code: str
    title: str
    description: str | None
    severity: Severity
    action: str | None

    def as_detail(self) -> dict[str, str | None]:
        """How alerts and events carry it."""
        return {
            "title": self.title,
            "description": self.description,
            "severity": self.severity.value,
            "action": self.action,
        }


@dataclass(frozen=True)
class Hardware:
    """What a station said it is at boot."""

    vendor: str | None
    model: str | None
    firmware_version: str | None


def best_match(hardware: Hardware, code: str, entries: Iterable[Translation]) -> Translation | None:
    """The most specific translation of `code` for this hardware, or None."""
    if not hardware.vendor:
        return None
    vendor = hardware.vendor.lower()
    model = (hardware.model or "").lower()
    firmware = (hardware.firmware_version or "").lower()
    ranked = []
    for entry in entries:
        if entry.code != code or entry.vendor.lower() != vendor:
            continue
        if entry.model != ANY and entry.model.lower() != model:
            continue
        if entry.firmware_version != ANY and entry.firmware_version.lower() != firmware:
            continue
        rank = (entry.model != ANY) * 2 + (entry.firmware_version != ANY)
        ranked.append((rank, entry))
    return max(ranked, key=lambda pair: pair[0])[1] if ranked else None
