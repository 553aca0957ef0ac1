"""Capacity window use cases: a window added to a circuit, or removed. Never commits."""

from typing import Any

from chargeyard.capacity_windows.models import CapacityWindowRow
from chargeyard.capacity_windows.repository import CapacityWindowRepository
from chargeyard.circuits.models import CircuitRow
from chargeyard.clock import Clock
from chargeyard.errors import Invalid, NotFound
from chargeyard.events.payloads import (
    CIRCUIT_WINDOW_ADDED,
    CIRCUIT_WINDOW_REMOVED,
    CircuitWindowChanged,
    EventKind,
    P,
)
from chargeyard.events.recorder import record_event
from chargeyard.intervals import check_interval
from chargeyard.storage.unit_of_work import UnitOfWork


class CapacityWindowService:
    def __init__(self, uow: UnitOfWork, organization_id: str, clock: Clock) -> None:
        self.uow = uow
        self.organization_id = organization_id
        self.windows = CapacityWindowRepository(uow.session, organization_id)
        self.clock = clock

    async def add(self, circuit: CircuitRow, fields: dict[str, Any]) -> CapacityWindowRow:
        check_interval(fields)
        if fields.get("max_power_kw") is None and fields.get("max_current_a") is None:
            raise Invalid("a capacity window needs max_power_kw or max_current_a")
        window = CapacityWindowRow(
            organization_id=self.organization_id, circuit_id=circuit.id, **fields
        )
        self.windows.add(window)
        await self.uow.session.flush()
        self._event(
            CIRCUIT_WINDOW_ADDED, CircuitWindowChanged(circuit_id=circuit.id, window_id=window.id)
        )
        return window

    async def remove(self, circuit: CircuitRow, window_id: str) -> None:
        window = await self.windows.of_circuit(circuit.id, window_id)
        if window is None:
            raise NotFound(f"Capacity window {window_id!r} does not exist")
        await self.windows.delete(window)
        self._event(
            CIRCUIT_WINDOW_REMOVED,
            CircuitWindowChanged(circuit_id=circuit.id, window_id=window_id),
        )

    def _event(self, kind: EventKind[P], data: P) -> None:
        record_event(
            self.uow,
            organization_id=self.organization_id,
            kind=kind,
            occurred_at=self.clock(),
            data=data,
        )
