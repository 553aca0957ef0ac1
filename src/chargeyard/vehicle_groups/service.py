"""Vehicle group use cases. Never commits."""

from typing import Any

from chargeyard.errors import Conflict
from chargeyard.storage.base import new_id
from chargeyard.storage.unit_of_work import UnitOfWork
from chargeyard.vehicle_groups.models import VehicleGroupRow
from chargeyard.vehicle_groups.repository import VehicleGroupRepository


class VehicleGroupService:
    def __init__(self, uow: UnitOfWork, organization_id: str) -> None:
        self.uow = uow
        self.organization_id = organization_id
        self.groups = VehicleGroupRepository(uow.session, organization_id)

    async def create(self, fields: dict[str, Any]) -> VehicleGroupRow:
        await self._name_free(fields["name"])
        group = VehicleGroupRow(
            id=new_id(), organization_id=self.organization_id, revision=1, **fields
        )
        self.groups.add(group)
        return group

    async def update(self, group: VehicleGroupRow, changes: dict[str, Any]) -> VehicleGroupRow:
        """`group` as `to_change` read it (locked, its If-Match checked)."""
        if changes.get("name") not in (None, group.name):
            await self._name_free(changes["name"])
        for name, value in changes.items():
            setattr(group, name, value)
        group.touch()
        return group

    async def delete(self, group: VehicleGroupRow) -> None:
        """Refused while vehicles are in the group: move or delete them first, so that no
        vehicle loses its group by surprise."""
        count = await self.groups.vehicle_count(group.id)
        if count:
            raise Conflict(f"Vehicle group {group.name!r} still holds {count} vehicle(s)")
        await self.groups.delete(group)

    async def _name_free(self, name: str) -> None:
        if await self.groups.by_name(name) is not None:
            raise Conflict(f"Vehicle group {name!r} exists already")
