"""Circuit tree use cases: a circuit created, changed or deleted. Never commits; every change
records an event, which is also what wakes the smart-charging controller."""

from typing import Any

from chargeyard.circuits.models import CircuitRow
from chargeyard.circuits.repository import CircuitRepository
from chargeyard.clock import Clock
from chargeyard.errors import Conflict, Invalid
from chargeyard.events.payloads import (
    CIRCUIT_CREATED,
    CIRCUIT_DELETED,
    CIRCUIT_UPDATED,
    CircuitCreated,
    CircuitEvent,
    CircuitUpdated,
    EventKind,
    P,
)
from chargeyard.events.recorder import record_event
from chargeyard.locations.repository import LocationRepository
from chargeyard.storage.unit_of_work import UnitOfWork


class CircuitService:
    def __init__(self, uow: UnitOfWork, organization_id: str, clock: Clock) -> None:
        self.uow = uow
        self.organization_id = organization_id
        self.circuits = CircuitRepository(uow.session, organization_id)
        self.clock = clock

    async def create(self, fields: dict[str, Any]) -> CircuitRow:
        await self._check_parent(None, fields.get("parent_id"))
        await self._check_location(fields.get("location_id"))
        circuit = CircuitRow(organization_id=self.organization_id, revision=1, **fields)
        _check_circuit(circuit)
        self.circuits.add(circuit)
        await self.uow.session.flush()
        self._event(CIRCUIT_CREATED, CircuitCreated(circuit_id=circuit.id, name=circuit.name))
        return circuit

    async def update(self, circuit: CircuitRow, changes: dict[str, Any]) -> CircuitRow:
        if "parent_id" in changes and changes["parent_id"] != circuit.parent_id:
            await self._check_parent(circuit.id, changes["parent_id"])
        if changes.get("location_id") not in (None, circuit.location_id):
            await self._check_location(changes["location_id"])
        for name, value in changes.items():
            setattr(circuit, name, value)
        _check_circuit(circuit)
        circuit.touch()
        self._event(CIRCUIT_UPDATED, CircuitUpdated(circuit_id=circuit.id, changed=sorted(changes)))
        return circuit

    async def delete(self, circuit: CircuitRow) -> None:
        if await self.circuits.count_children(circuit.id):
            raise Conflict(f"Circuit {circuit.id!r} has sub-circuits; move or delete them first")
        if await self.circuits.stations_under([circuit.id]):
            raise Conflict(f"Circuit {circuit.id!r} still has stations; move them first")
        await self.circuits.delete(circuit)
        self._event(CIRCUIT_DELETED, CircuitEvent(circuit_id=circuit.id))

    async def _check_parent(self, circuit_id: str | None, parent_id: str | None) -> None:
        if parent_id is None:
            return
        rows = {row.id: row for row in await self.circuits.all()}
        current: str | None = parent_id
        if current not in rows:
            raise Invalid(f"parent_id: Circuit {parent_id!r} does not exist")
        while current is not None:
            if current == circuit_id:
                raise Invalid("parent_id: a circuit cannot hang below itself")
            current = rows[current].parent_id if current in rows else None

    async def _check_location(self, location_id: str | None) -> None:
        """A circuit belongs to a location of its own organization, or to none."""
        if location_id is None:
            return
        if (
            await LocationRepository(self.uow.session, self.organization_id).find(location_id)
            is None
        ):
            raise Invalid(f"location_id: Location {location_id!r} does not exist")

    def _event(self, kind: EventKind[P], data: P) -> None:
        record_event(
            self.uow,
            organization_id=self.organization_id,
            kind=kind,
            occurred_at=self.clock(),
            data=data,
        )


def _check_circuit(circuit: CircuitRow) -> None:
    if not 1 <= circuit.phases <= 3:
        raise Invalid("phases must be 1, 2 or 3")
    for name in ("max_power_kw", "max_current_a"):
        value = getattr(circuit, name)
        if value is not None and value <= 0:
            raise Invalid(f"{name} must be greater than 0")
    if circuit.max_power_kw is not None and circuit.buffer_kw >= circuit.max_power_kw:
        raise Invalid("buffer_kw must be below max_power_kw")
    if circuit.max_current_a is not None and circuit.buffer_a >= circuit.max_current_a:
        raise Invalid("buffer_a must be below max_current_a")
    circuit.objective = str(getattr(circuit.objective, "value", circuit.objective))
