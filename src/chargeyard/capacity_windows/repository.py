"""All SQL of capacity windows, scoped to one organization."""

from collections.abc import Sequence

from chargeyard.capacity_windows.models import CapacityWindowRow
from chargeyard.storage.repository import ScopedRepository


class CapacityWindowRepository(ScopedRepository[CapacityWindowRow]):
    model = CapacityWindowRow
    noun = "Capacity window"

    async def on(self, circuit_ids: Sequence[str]) -> Sequence[CapacityWindowRow]:
        """The windows of these circuits, earliest first."""
        statement = self.query().where(CapacityWindowRow.circuit_id.in_(circuit_ids))
        return (await self.session.scalars(statement.order_by(CapacityWindowRow.starts_at))).all()

    async def of_circuit(self, circuit_id: str, window_id: str) -> CapacityWindowRow | None:
        return await self.session.scalar(
            self.query().where(
                CapacityWindowRow.circuit_id == circuit_id, CapacityWindowRow.id == window_id
            )
        )
