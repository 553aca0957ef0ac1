"""All SQL of the circuit tree, scoped to one organization."""

from collections.abc import Sequence

from sqlalchemy import select

from chargeyard.circuits.models import CircuitRow
from chargeyard.stations.models import Station
from chargeyard.storage.repository import Page, PageResult, ScopedRepository, owned_by


class CircuitRepository(ScopedRepository[CircuitRow]):
    model = CircuitRow
    noun = "Circuit"

    async def search(self, page: Page, parent_id: str | None = None) -> PageResult[CircuitRow]:
        statement = self.query()
        if parent_id is not None:
            statement = statement.where(CircuitRow.parent_id == parent_id)
        return await self.page(statement, page, order_by=[CircuitRow.name, CircuitRow.id])

    async def all(self) -> Sequence[CircuitRow]:
        return (await self.session.scalars(self.query())).all()

    async def count_children(self, circuit_id: str) -> int:
        rows = await self.session.scalars(
            select(CircuitRow.id).where(
                owned_by(CircuitRow, self.organization_id),
                CircuitRow.parent_id == circuit_id,
            )
        )
        return len(rows.all())

    async def stations_under(self, circuit_ids: Sequence[str]) -> Sequence[Station]:
        return (
            await self.session.scalars(
                select(Station).where(
                    owned_by(Station, self.organization_id),
                    Station.circuit_id.in_(circuit_ids),
                )
            )
        ).all()

    async def placed_2x_online(self) -> Sequence[str]:
        """Connected OCPP 2.x stations on a circuit: those that may hold external constraints
        smart charging reads back (whether their circuit is managed, the read decides)."""
        return (
            await self.session.scalars(
                select(Station.id)
                .where(
                    owned_by(Station, self.organization_id),
                    Station.circuit_id.is_not(None),
                    Station.connected.is_(True),
                    Station.protocol.is_not(None),
                    Station.protocol != "ocpp1.6",
                )
                .order_by(Station.id)
            )
        ).all()
