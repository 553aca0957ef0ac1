"""Session needs use cases: what an operator sets on one running session (over its vehicle's
data and the EV's own). Never commits; a change records an event, which wakes the controller."""

from typing import Any

from chargeyard.clock import Clock
from chargeyard.errors import Conflict, NotFound
from chargeyard.events.payloads import SESSION_NEEDS_UPDATED, SessionNeedsUpdated
from chargeyard.events.recorder import record_event
from chargeyard.session_needs.models import SessionNeedRow
from chargeyard.session_needs.repository import SessionNeedRepository
from chargeyard.storage.unit_of_work import UnitOfWork
from chargeyard.transactions.repository import TransactionRepository
from chargeyard.vehicles.repository import VehicleRepository


class SessionNeedService:
    def __init__(self, uow: UnitOfWork, organization_id: str, clock: Clock) -> None:
        self.uow = uow
        self.organization_id = organization_id
        self.clock = clock
        self.needs = SessionNeedRepository(uow.session, organization_id)
        self.clock = clock

    async def set(self, transaction_id: int, fields: dict[str, Any]) -> SessionNeedRow:
        tx = await TransactionRepository(self.uow.session, self.organization_id).get(transaction_id)
        if tx.stopped_at is not None:
            raise Conflict(f"transaction {transaction_id} has stopped already")
        if fields.get("vehicle_id") is not None:
            await VehicleRepository(self.uow.session, self.organization_id).get(
                fields["vehicle_id"]
            )
        row = await self.needs.of(transaction_id)
        if row is None:
            row = SessionNeedRow(transaction_id=tx.id, organization_id=self.organization_id)
            self.needs.add(row)
        for name, value in fields.items():
            setattr(row, name, value)
        row.updated_at = self.clock()
        await self.uow.session.flush()
        record_event(
            self.uow,
            organization_id=self.organization_id,
            kind=SESSION_NEEDS_UPDATED,
            occurred_at=self.clock(),
            station_id=tx.station_id,
            transaction_id=tx.id,
            data=SessionNeedsUpdated(transaction_id=tx.id, changed=sorted(fields)),
        )
        return row

    async def get(self, transaction_id: int) -> SessionNeedRow:
        await TransactionRepository(self.uow.session, self.organization_id).get(transaction_id)
        row = await self.needs.of(transaction_id)
        if row is None:
            raise NotFound(f"transaction {transaction_id} has no charging needs set")
        return row
