"""External meter use cases: meters placed on a circuit or location, and their readings.
Never commits.

Readings are idempotent per (meter, instant), as telematics are. The site reader counts each
meter's readings where it is placed (`load_management/site_reader.py: _metered_load`): on the
site connection or its location as baseload, on a sub-circuit as a load on that circuit and every
one above it."""

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from chargeyard.circuits.repository import CircuitRepository
from chargeyard.clock import Clock
from chargeyard.errors import Invalid
from chargeyard.events.payloads import (
    EXTERNAL_METER_CREATED,
    EXTERNAL_METER_DELETED,
    EXTERNAL_METER_READINGS_RECEIVED,
    EXTERNAL_METER_UPDATED,
    EventKind,
    ExternalMeterChanged,
    MeterReadingsReceived,
    P,
)
from chargeyard.events.recorder import record_event
from chargeyard.external_meters.models import ExternalMeterReadingRow, ExternalMeterRow
from chargeyard.external_meters.repository import ExternalMeterRepository
from chargeyard.locations.repository import LocationRepository
from chargeyard.storage.base import new_id
from chargeyard.storage.repository import Page, PageResult
from chargeyard.storage.unit_of_work import UnitOfWork


class ExternalMeterService:
    def __init__(self, uow: UnitOfWork, organization_id: str, clock: Clock) -> None:
        self.uow = uow
        self.organization_id = organization_id
        self.clock = clock
        self.meters = ExternalMeterRepository(uow.session, organization_id)

    async def create(self, fields: dict[str, Any]) -> ExternalMeterRow:
        await self._check_place(fields.get("circuit_id"), fields.get("location_id"))
        meter = ExternalMeterRow(
            id=new_id(), organization_id=self.organization_id, revision=1, **fields
        )
        self.meters.add(meter)
        self._event(EXTERNAL_METER_CREATED, meter)
        return meter

    async def update(self, meter: ExternalMeterRow, changes: dict[str, Any]) -> ExternalMeterRow:
        """`meter` as `to_change` read it. Placing it on a circuit takes it off its location
        and the reverse; a meter on neither counts nowhere."""
        if changes.get("circuit_id") is not None and "location_id" not in changes:
            changes["location_id"] = None
        if changes.get("location_id") is not None and "circuit_id" not in changes:
            changes["circuit_id"] = None
        circuit_id = changes.get("circuit_id", meter.circuit_id)
        location_id = changes.get("location_id", meter.location_id)
        if circuit_id is not None and location_id is not None:
            raise Invalid("a meter is on a circuit or on a location, not both")
        await self._check_place(changes.get("circuit_id"), changes.get("location_id"))
        for name, value in changes.items():
            setattr(meter, name, value)
        meter.touch()
        self._event(EXTERNAL_METER_UPDATED, meter)
        return meter

    async def delete(self, meter: ExternalMeterRow) -> None:
        await self.meters.delete(meter)
        self._event(EXTERNAL_METER_DELETED, meter)

    async def record(
        self, meter_id: str, readings: Sequence[dict[str, Any]]
    ) -> list[ExternalMeterReadingRow]:
        """Each reading added, or replacing the one held for its instant (within one batch the
        last of an instant wins); in the order of their instants."""
        await self.meters.get(meter_id)
        by_instant = {r["measured_at"]: r for r in readings}
        held = await self.meters.readings_at(meter_id, list(by_instant))
        now = self.clock()
        rows = []
        for instant in sorted(by_instant):
            row = held.get(instant)
            if row is None:
                row = ExternalMeterReadingRow(
                    organization_id=self.organization_id, meter_id=meter_id, measured_at=instant
                )
                self.meters.add_reading(row)
            row.power_kw = by_instant[instant]["power_kw"]
            row.energy_kwh = by_instant[instant].get("energy_kwh")
            row.received_at = now
            rows.append(row)
        await self.uow.session.flush()
        data: MeterReadingsReceived = {
            "external_meter_id": meter_id,
            "readings": len(rows),
            "latest_measured_at": rows[-1].measured_at.isoformat(),
        }
        self._record(EXTERNAL_METER_READINGS_RECEIVED, data)
        return rows

    async def series(
        self, meter_id: str, page: Page, since: datetime | None, until: datetime | None
    ) -> PageResult[ExternalMeterReadingRow]:
        await self.meters.get(meter_id)
        return await self.meters.readings(meter_id, page, since, until)

    async def _check_place(self, circuit_id: str | None, location_id: str | None) -> None:
        """The circuit or location is one of the organization's (another's is 422, as one
        that does not exist)."""
        circuits = CircuitRepository(self.uow.session, self.organization_id)
        locations = LocationRepository(self.uow.session, self.organization_id)
        if circuit_id is not None and await circuits.find(circuit_id) is None:
            raise Invalid(f"circuit_id: Circuit {circuit_id!r} does not exist")
        if location_id is not None and await locations.find(location_id) is None:
            raise Invalid(f"location_id: Location {location_id!r} does not exist")

    def _event(self, kind: EventKind[ExternalMeterChanged], meter: ExternalMeterRow) -> None:
        data: ExternalMeterChanged = {"external_meter_id": meter.id, "name": meter.name}
        self._record(kind, data)

    def _record(self, kind: EventKind[P], data: P) -> None:
        """Every `external_meter.` event also wakes the smart charging controller."""
        record_event(
            self.uow,
            organization_id=self.organization_id,
            kind=kind,
            occurred_at=self.clock(),
            data=data,
        )
