"""Demand-response use cases: a curtailment or V2G window added to a circuit, or removed. Never
commits; a change records an event, which wakes the smart-charging controller."""

from typing import Any

from chargeyard.circuits.repository import CircuitRepository
from chargeyard.clock import Clock
from chargeyard.demand_response.models import DemandResponseRow
from chargeyard.demand_response.repository import DemandResponseRepository
from chargeyard.errors import Invalid
from chargeyard.events.payloads import (
    DEMAND_RESPONSE_ADDED,
    DEMAND_RESPONSE_REMOVED,
    DemandResponseAdded,
    EventKind,
    P,
    Removed,
)
from chargeyard.events.recorder import record_event
from chargeyard.intervals import check_interval
from chargeyard.storage.unit_of_work import UnitOfWork


class DemandResponseService:
    def __init__(self, uow: UnitOfWork, organization_id: str, clock: Clock) -> None:
        self.uow = uow
        self.organization_id = organization_id
        self.events = DemandResponseRepository(uow.session, organization_id)
        self.clock = clock

    async def add(self, fields: dict[str, Any]) -> DemandResponseRow:
        check_interval(fields)
        await CircuitRepository(self.uow.session, self.organization_id).get(fields["circuit_id"])
        if fields["kind"] == "curtailment" and fields.get("max_power_kw") is None:
            raise Invalid("a curtailment needs max_power_kw")
        if fields["kind"] == "curtailment" and fields["max_power_kw"] < 0:
            raise Invalid("a curtailment's max_power_kw must be 0 or more")
        row = DemandResponseRow(organization_id=self.organization_id, **fields)
        row.kind = str(getattr(row.kind, "value", row.kind))
        self.events.add(row)
        await self.uow.session.flush()
        self._event(
            DEMAND_RESPONSE_ADDED, DemandResponseAdded(id=row.id, circuit_id=row.circuit_id)
        )
        return row

    async def remove(self, event_id: str) -> None:
        await self.events.delete(await self.events.get(event_id))
        self._event(DEMAND_RESPONSE_REMOVED, Removed(id=event_id))

    def _event(self, kind: EventKind[P], data: P) -> None:
        record_event(
            self.uow,
            organization_id=self.organization_id,
            kind=kind,
            occurred_at=self.clock(),
            data=data,
        )
