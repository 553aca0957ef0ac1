"""Measurement use cases: baseload and solar readings posted for a circuit (in bulk). Never
commits; the readings record an event, which wakes the smart-charging controller."""

from typing import Any

from chargeyard.circuits.models import CircuitRow
from chargeyard.clock import Clock
from chargeyard.events.payloads import MEASUREMENT_ADDED, MeasurementsAdded
from chargeyard.events.recorder import record_event
from chargeyard.measurements.models import MeasurementRow
from chargeyard.measurements.repository import MeasurementRepository
from chargeyard.storage.unit_of_work import UnitOfWork


class MeasurementService:
    def __init__(self, uow: UnitOfWork, organization_id: str, clock: Clock) -> None:
        self.uow = uow
        self.organization_id = organization_id
        self.measurements = MeasurementRepository(uow.session, organization_id)
        self.clock = clock

    async def add(self, circuit: CircuitRow, items: list[dict[str, Any]]) -> list[MeasurementRow]:
        rows = [
            self.measurements.add(
                MeasurementRow(
                    organization_id=self.organization_id,
                    circuit_id=circuit.id,
                    **{**fields, "kind": str(getattr(fields["kind"], "value", fields["kind"]))},
                )
            )
            for fields in items
        ]
        await self.uow.session.flush()
        record_event(
            self.uow,
            organization_id=self.organization_id,
            kind=MEASUREMENT_ADDED,
            occurred_at=self.clock(),
            data=MeasurementsAdded(circuit_id=circuit.id, count=len(rows)),
        )
        return rows
