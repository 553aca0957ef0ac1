"""Telematics use cases: readings recorded for one of the organization's vehicles, and read
back. Never commits.

A reading names its vehicle and instant: sent again (a retry, a batch that overlaps the last),
it replaces the one held for that instant, so posting is idempotent. Each post records one
`vehicle.telematics_received`, which also wakes the smart charging controller. The site reader takes the
latest state of charge of a session's vehicle from here (`load_management/site_reader.py`)."""

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from chargeyard.clock import Clock
from chargeyard.events.payloads import VEHICLE_TELEMATICS_RECEIVED, TelematicsReceived
from chargeyard.events.recorder import record_event
from chargeyard.storage.repository import Page, PageResult
from chargeyard.storage.unit_of_work import UnitOfWork
from chargeyard.telematics.models import TelematicsReadingRow
from chargeyard.telematics.repository import TelematicsRepository
from chargeyard.vehicles.repository import VehicleRepository

FIELDS = ("soc_percent", "odometer_km", "latitude", "longitude")


class TelematicsService:
    def __init__(self, uow: UnitOfWork, organization_id: str, clock: Clock) -> None:
        self.uow = uow
        self.organization_id = organization_id
        self.clock = clock
        self.vehicles = VehicleRepository(uow.session, organization_id)
        self.readings = TelematicsRepository(uow.session, organization_id)

    async def record(
        self, vehicle_id: str, readings: Sequence[dict[str, Any]]
    ) -> list[TelematicsReadingRow]:
        """Each reading added, or replacing the one held for its instant (within one batch,
        the last of an instant wins); in the order of their instants."""
        await self.vehicles.get(vehicle_id)
        by_instant = {r["measured_at"]: r for r in readings}
        held = await self.readings.at(vehicle_id, list(by_instant))
        now = self.clock()
        rows = []
        for instant in sorted(by_instant):
            row = held.get(instant)
            if row is None:
                row = TelematicsReadingRow(
                    organization_id=self.organization_id, vehicle_id=vehicle_id, measured_at=instant
                )
                self.readings.add(row)
            for name in FIELDS:
                setattr(row, name, by_instant[instant].get(name))
            row.received_at = now
            rows.append(row)
        await self.uow.session.flush()
        data: TelematicsReceived = {
            "vehicle_id": vehicle_id,
            "readings": len(rows),
            "latest_measured_at": rows[-1].measured_at.isoformat(),
        }
        record_event(
            self.uow,
            organization_id=self.organization_id,
            kind=VEHICLE_TELEMATICS_RECEIVED,
            occurred_at=now,
            data=data,
        )
        return rows

    async def series(
        self, vehicle_id: str, page: Page, since: datetime | None, until: datetime | None
    ) -> PageResult[TelematicsReadingRow]:
        await self.vehicles.get(vehicle_id)
        return await self.readings.search(vehicle_id, page, since, until)
