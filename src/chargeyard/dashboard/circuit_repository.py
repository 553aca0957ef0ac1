"""What the smart charging pages read about circuits: the list's figures, the profiles sent
and the allocations made (a circuit's load over a window is `measurements/load_history.py`,
shared with the time series API).

Every statement is scoped to one organization, as the REST API's `/circuits` and
`/smart-charging/*` are.
"""

from collections.abc import Sequence
from typing import Any

from sqlalchemy import Select, func, select

from chargeyard.circuits.models import CircuitRow
from chargeyard.dashboard.domain import CircuitFigures
from chargeyard.dashboard.repository import contains
from chargeyard.load_management.models import AllocationRow, ProfileDeliveryRow
from chargeyard.measurements.load_history_repository import LoadHistoryReads
from chargeyard.stations.models import Station
from chargeyard.storage.repository import Page, PageResult, owned_by, paginate
from chargeyard.transactions.models import Transaction


class CircuitReads(LoadHistoryReads):
    """The circuit pages' reads, besides the load history they share with the time series API."""

    async def search(self, page: Page, text: str | None) -> PageResult[CircuitRow]:
        statement: Select[Any] = self.circuits.query()
        if text:
            statement = statement.where(
                func.lower(CircuitRow.name).like(contains(text), escape="\\")
            )
        return await self.circuits.page(statement, page, order_by=[CircuitRow.name, CircuitRow.id])

    async def tree(self) -> dict[str, tuple[str | None, str]]:
        """Every circuit of the organization (those of a site-scoped caller's sites): its
        parent and its name, without the rows."""
        rows = await self.session.execute(
            select(CircuitRow.id, CircuitRow.parent_id, CircuitRow.name).where(
                owned_by(CircuitRow, self.organization_id)
            )
        )
        return {circuit_id: (parent_id, name) for circuit_id, parent_id, name in rows.all()}

    async def direct_figures(self) -> dict[str, CircuitFigures]:
        """Per circuit: stations hung on it directly, their active sessions, and the sum of
        those sessions' last power readings (W)."""
        stations = await self.session.execute(
            select(Station.circuit_id, func.count())
            .where(owned_by(Station, self.organization_id), Station.circuit_id.is_not(None))
            .group_by(Station.circuit_id)
        )
        figures = {str(cid): CircuitFigures(stations=int(n)) for cid, n in stations.all()}
        active = await self.session.execute(
            select(
                Station.circuit_id,
                func.count(),
                func.coalesce(func.sum(Transaction.last_power_w), 0.0),
            )
            .join(Station, Station.id == Transaction.station_id)
            .where(
                owned_by(Transaction, self.organization_id),
                Transaction.stopped_at.is_(None),
                Station.circuit_id.is_not(None),
            )
            .group_by(Station.circuit_id)
        )
        for cid, sessions, power in active.all():
            count = figures.get(str(cid), CircuitFigures()).stations
            figures[str(cid)] = CircuitFigures(count, int(sessions), float(power or 0.0))
        return figures

    async def own_stations(self, circuit_id: str, count: int) -> PageResult[Station]:
        """The stations hung on this circuit itself (not below it), by id."""
        statement = select(Station).where(
            owned_by(Station, self.organization_id), Station.circuit_id == circuit_id
        )
        return await paginate(self.session, statement, Page(0, count), order_by=[Station.id])

    async def recent_profiles(
        self, circuit_ids: Sequence[str], count: int
    ) -> Sequence[ProfileDeliveryRow]:
        """The newest profiles smart charging sent to these circuits' stations, whatever the
        station answered (`/api/v1/smart-charging/profiles`)."""
        return (
            await self.session.scalars(
                select(ProfileDeliveryRow)
                .where(
                    owned_by(ProfileDeliveryRow, self.organization_id),
                    ProfileDeliveryRow.station_id.in_(self.station_ids(circuit_ids)),
                )
                .order_by(ProfileDeliveryRow.sent_at.desc(), ProfileDeliveryRow.id.desc())
                .limit(count)
            )
        ).all()

    async def latest_allocations(self, transaction_ids: Sequence[int]) -> dict[int, AllocationRow]:
        """Each session's newest allocation (the control step's result for it)."""
        newest = (
            select(func.max(AllocationRow.id))
            .where(
                owned_by(AllocationRow, self.organization_id),
                AllocationRow.transaction_id.in_(transaction_ids),
            )
            .group_by(AllocationRow.transaction_id)
        )
        rows = await self.session.scalars(select(AllocationRow).where(AllocationRow.id.in_(newest)))
        return {int(r.transaction_id): r for r in rows if r.transaction_id is not None}
