"""Vehicle group use cases. Never commits."""

from typing import Any

from chargeyard.clock import Clock
from chargeyard.errors import Conflict
from chargeyard.events.payloads import (
    VEHICLE_GROUP_CREATED,
    VEHICLE_GROUP_DELETED,
    VEHICLE_GROUP_UPDATED,
    EventKind,
    VehicleGroupChanged,
)
from chargeyard.events.recorder import record_event
from chargeyard.storage.base import new_id
from chargeyard.storage.session import flushed_unique
from chargeyard.storage.unit_of_work import UnitOfWork
from chargeyard.vehicle_groups.models import VehicleGroupRow
from chargeyard.vehicle_groups.repository import VehicleGroupRepository


class VehicleGroupService:
    def __init__(self, uow: UnitOfWork, organization_id: str, clock: Clock) -> None:
        self.uow = uow
        self.organization_id = organization_id
        self.clock = clock
        self.groups = VehicleGroupRepository(uow.session, organization_id)

    async def create(self, fields: dict[str, Any]) -> VehicleGroupRow:
        await self._name_free(fields["name"])
        group = VehicleGroupRow(
            id=new_id(), organization_id=self.organization_id, revision=1, **fields
        )
        self.groups.add(group)
        if not await flushed_unique(self.uow.session):  # the same name created concurrently
            raise Conflict(f"Vehicle group {group.name!r} exists already")
        self._event(VEHICLE_GROUP_CREATED, group)
        return group

    async def update(self, group: VehicleGroupRow, changes: dict[str, Any]) -> VehicleGroupRow:
        """`group` as `to_change` read it (locked, its If-Match checked)."""
        if changes.get("name") not in (None, group.name):
            await self._name_free(changes["name"])
        for name, value in changes.items():
            setattr(group, name, value)
        group.touch()
        if not await flushed_unique(self.uow.session):  # the same name given concurrently
            raise Conflict(f"Vehicle group {group.name!r} exists already")
        self._event(VEHICLE_GROUP_UPDATED, group)
        return group

    async def delete(self, group: VehicleGroupRow) -> None:
        """Refused while vehicles are in the group: move or delete them first, so that no
        vehicle loses its group by surprise."""
        count = await self.groups.vehicle_count(group.id)
        if count:
            raise Conflict(f"Vehicle group {group.name!r} still holds {count} vehicle(s)")
        await self.groups.delete(group)
        self._event(VEHICLE_GROUP_DELETED, group)

    async def _name_free(self, name: str) -> None:
        if await self.groups.by_name(name) is not None:
            raise Conflict(f"Vehicle group {name!r} exists already")

    def _event(self, kind: EventKind[VehicleGroupChanged], group: VehicleGroupRow) -> None:
        data: VehicleGroupChanged = {"vehicle_group_id": group.id, "name": group.name}
        record_event(
            self.uow,
            organization_id=self.organization_id,
            kind=kind,
            occurred_at=self.clock(),
            data=data,
        )
