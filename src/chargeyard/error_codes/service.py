"""Vendor error code use cases: keep the organization's table (one at a time or imported in
bulk), and translate what stations report. Never commits."""

from collections.abc import Collection, Iterable, Mapping
from typing import Any

from chargeyard.clock import Clock
from chargeyard.error_codes import repository
from chargeyard.error_codes.domain import ANY, Hardware, Severity, Translation, best_match
from chargeyard.error_codes.models import VendorErrorCode
from chargeyard.error_codes.repository import VendorErrorCodeRepository
from chargeyard.errors import Conflict
from chargeyard.events.payloads import (
    VENDOR_ERROR_CODE_CREATED,
    VENDOR_ERROR_CODE_DELETED,
    VENDOR_ERROR_CODE_IMPORTED,
    VENDOR_ERROR_CODE_UPDATED,
    EventKind,
    VendorErrorCodeChanged,
    VendorErrorCodesImported,
)
from chargeyard.events.recorder import record_event
from chargeyard.stations.repository import StationRepository
from chargeyard.storage.session import AsyncSession
from chargeyard.storage.unit_of_work import UnitOfWork

KEY_FIELDS = ("vendor", "model", "firmware_version", "code")


def translation_of(row: VendorErrorCode) -> Translation:
    return Translation(
        row.vendor,
        row.model,
        row.firmware_version,
        row.code,
        row.title,
        row.description,
        Severity(row.severity),
        row.action,
    )


def stored(fields: Mapping[str, Any]) -> dict[str, Any]:
    """API fields as the table keeps them: no model or firmware version is '' ("any")."""
    values = dict(fields)
    for name in ("model", "firmware_version"):
        if name in values and values[name] is None:
            values[name] = ANY
    if isinstance(values.get("severity"), Severity):
        values["severity"] = values["severity"].value
    return values


class VendorErrorCodeService:
    def __init__(self, uow: UnitOfWork, organization_id: str, clock: Clock) -> None:
        self.uow = uow
        self.organization_id = organization_id
        self.clock = clock
        self.codes = VendorErrorCodeRepository(uow.session, organization_id)

    async def create(self, fields: Mapping[str, Any]) -> VendorErrorCode:
        values = stored(fields)
        key = [values.get(name, ANY) for name in KEY_FIELDS]
        if await self.codes.entry(*key) is not None:
            raise Conflict("a translation of this code for this vendor, model and firmware exists")
        row = VendorErrorCode(organization_id=self.organization_id, revision=1, **values)
        self.codes.add(row)
        await self.uow.session.flush()
        self._event(VENDOR_ERROR_CODE_CREATED, row)
        return row

    async def update(self, row: VendorErrorCode, changes: dict[str, Any]) -> VendorErrorCode:
        values = stored(changes)
        key = [values.get(name, getattr(row, name)) for name in KEY_FIELDS]
        found = await self.codes.entry(*key)
        if found is not None and found.id != row.id:
            raise Conflict("a translation of this code for this vendor, model and firmware exists")
        for name, value in values.items():
            setattr(row, name, value)
        row.touch()
        self._event(VENDOR_ERROR_CODE_UPDATED, row)
        return row

    async def delete(self, row: VendorErrorCode) -> None:
        await self.codes.delete(row)
        self._event(VENDOR_ERROR_CODE_DELETED, row)

    async def import_codes(self, entries: list[Mapping[str, Any]]) -> tuple[int, int]:
        """Create or replace each entry, keyed by (vendor, model, firmware, code); answers
        (created, updated). One event for the import, not one per code. A row replaced is read
        locked, as a change guarded by If-Match reads it, so the two take turns and each raises
        the revision from what the other left."""
        created = updated = 0
        for entry in entries:
            values = stored(entry)
            key = (values.get(n, ANY) for n in KEY_FIELDS)
            found = await self.codes.entry(*key, locked=True)
            if found is None:
                self.codes.add(
                    VendorErrorCode(organization_id=self.organization_id, revision=1, **values)
                )
                created += 1
            else:
                for name, value in values.items():
                    setattr(found, name, value)
                found.touch()
                updated += 1
            await self.uow.session.flush()
        record_event(
            self.uow,
            organization_id=self.organization_id,
            kind=VENDOR_ERROR_CODE_IMPORTED,
            occurred_at=self.clock(),
            data=VendorErrorCodesImported({"created": created, "updated": updated}),
        )
        return created, updated

    async def translate(self, station_id: str, code: str) -> Translation | None:
        """What `code` means on this station (its vendor, model and firmware at boot)."""
        station = await StationRepository(self.uow.session, self.organization_id).get(station_id)
        hardware = Hardware(station.vendor, station.model, station.firmware_version)
        rows = await self.codes.of_code(code)
        return best_match(hardware, code, (translation_of(row) for row in rows))

    def _event(self, kind: EventKind[VendorErrorCodeChanged], row: VendorErrorCode) -> None:
        record_event(
            self.uow,
            organization_id=self.organization_id,
            kind=kind,
            occurred_at=self.clock(),
            data=VendorErrorCodeChanged(
                {
                    "id": row.id,
                    "vendor": row.vendor,
                    "model": row.model or None,
                    "firmware_version": row.firmware_version or None,
                    "code": row.code,
                    "title": row.title,
                    "severity": row.severity,
                }
            ),
        )


async def translations(
    session: AsyncSession, reported: Collection[tuple[str, str, str]]
) -> dict[tuple[str, str, str], Translation]:
    """The translations of codes stations reported, as (organization, station, code) -> its
    best match; codes without one are left out. Two reads for the whole batch."""
    if not reported:
        return {}
    organizations = {org for org, _, _ in reported}
    rows = await repository.of_codes(session, organizations, {code for _, _, code in reported})
    if not rows:
        return {}
    by_org: dict[str, list[Translation]] = {}
    for row in rows:
        by_org.setdefault(row.organization_id, []).append(translation_of(row))
    stations = {station for _, station, _ in reported}
    hardware = {
        (row[0], row[1]): Hardware(row[2], row[3], row[4])
        for row in await repository.hardware_of(session, stations)
    }
    found = {}
    for org, station, code in reported:
        kit = hardware.get((org, station))
        match = None if kit is None else best_match(kit, code, by_org.get(org, ()))
        if match is not None:
            found[org, station, code] = match
    return found


async def station_translations(
    session: AsyncSession, organization_id: str, reported: Iterable[tuple[str, str | None]]
) -> dict[tuple[str, str], Translation]:
    """The translations of what one organization's stations reported, as (station, vendor error
    code) -> its best match: how a status history (the station's `/status-history` and the
    status-history report) reads a page of rows. Rows without a code, and codes without an
    entry, are left out. Two reads for the page, none when no row carries a code."""
    organization = str(organization_id)
    found = await translations(
        session, {(organization, station, code) for station, code in reported if code}
    )
    return {(station, code): match for (_, station, code), match in found.items()}
