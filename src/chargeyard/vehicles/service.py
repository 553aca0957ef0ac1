"""Vehicle use cases: a vehicle created, changed or deleted. Never commits; every change records
an event, which is also what wakes the smart-charging controller."""

from typing import Any

from chargeyard.clock import Clock
from chargeyard.errors import Conflict, Invalid
from chargeyard.events.payloads import (
    VEHICLE_CREATED,
    VEHICLE_DELETED,
    VEHICLE_UPDATED,
    EventKind,
    P,
    VehicleCreated,
    VehicleEvent,
    VehicleUpdated,
)
from chargeyard.events.recorder import record_event
from chargeyard.storage.session import flushed_unique
from chargeyard.storage.unit_of_work import UnitOfWork
from chargeyard.vehicle_groups.repository import VehicleGroupRepository
from chargeyard.vehicles.models import VehicleRow
from chargeyard.vehicles.repository import VehicleRepository


class VehicleService:
    def __init__(self, uow: UnitOfWork, organization_id: str, clock: Clock) -> None:
        self.uow = uow
        self.organization_id = organization_id
        self.vehicles = VehicleRepository(uow.session, organization_id)
        self.clock = clock

    async def create(self, fields: dict[str, Any]) -> VehicleRow:
        await self._check_fleet_fields(None, fields)
        vehicle = VehicleRow(organization_id=self.organization_id, revision=1, **fields)
        self.vehicles.add(vehicle)
        if not await flushed_unique(self.uow.session):  # the same VIN added concurrently
            raise Conflict(f"VIN {vehicle.vin} is another vehicle's already")
        self._event(VEHICLE_CREATED, VehicleCreated(vehicle_id=vehicle.id, id_tag=vehicle.id_tag))
        return vehicle

    async def update(self, vehicle: VehicleRow, changes: dict[str, Any]) -> VehicleRow:
        """`vehicle` as `to_change` read it (locked, its If-Match checked)."""
        await self._check_fleet_fields(vehicle, changes)
        for name, value in changes.items():
            setattr(vehicle, name, value)
        vehicle.touch()
        if not await flushed_unique(self.uow.session):  # the same VIN given concurrently
            raise Conflict(f"VIN {vehicle.vin} is another vehicle's already")
        self._event(VEHICLE_UPDATED, VehicleUpdated(vehicle_id=vehicle.id, changed=sorted(changes)))
        return vehicle

    async def delete(self, vehicle: VehicleRow) -> None:
        await self.vehicles.delete(vehicle)
        self._event(VEHICLE_DELETED, VehicleEvent(vehicle_id=vehicle.id))

    async def _check_fleet_fields(self, vehicle: VehicleRow | None, fields: dict[str, Any]) -> None:
        """A VIN names one vehicle of the organization (409 for a second); a group must be
        one of the organization's (422: another's is as unknown as none)."""
        vin = fields.get("vin")
        if vin is not None and (vehicle is None or vin != vehicle.vin):
            holder = await self.vehicles.by_vin(vin)
            if holder is not None:
                raise Conflict(f"VIN {vin} is vehicle {holder.id!r}'s already")
        group_id = fields.get("group_id")
        groups = VehicleGroupRepository(self.uow.session, self.organization_id)
        if group_id is not None and await groups.find(group_id) is None:
            raise Invalid(f"group_id: vehicle group {group_id!r} does not exist")

    def _event(self, kind: EventKind[P], data: P) -> None:
        record_event(
            self.uow,
            organization_id=self.organization_id,
            kind=kind,
            occurred_at=self.clock(),
            data=data,
        )
