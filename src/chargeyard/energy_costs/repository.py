"""All SQL about session energy costs: what pricing one needs, the records, the site sums."""

from collections.abc import Sequence
from datetime import datetime
from decimal import Decimal

from sqlalchemy import BigInteger, Select, func, or_, select

from chargeyard.circuits.models import CircuitRow
from chargeyard.energy_costs.domain import PriceWindow, circuit_ranks
from chargeyard.energy_costs.models import SessionEnergyCost
from chargeyard.energy_prices.models import PriceRow
from chargeyard.stations.models import Station
from chargeyard.storage.amount import from_micros
from chargeyard.storage.repository import ScopedRepository, whole_organization


class EnergyCostRepository(ScopedRepository[SessionEnergyCost]):
    """Session energy costs (the scoped base's rows), and what pricing one reads of the
    station, its circuits and the energy prices."""

    model = SessionEnergyCost
    noun = "session energy cost"

    async def find(self, transaction_id: int) -> SessionEnergyCost | None:
        """By its transaction (the primary key): the identity map answers a row this unit
        already holds without a statement; a site-scoped caller sees only its sites' rows."""
        return await self.by_primary_key(transaction_id)

    async def station_place(self, station_id: str) -> tuple[str | None, str | None]:
        """(circuit id, location id) of the station."""
        row = (
            await self.session.execute(
                select(Station.circuit_id, Station.location_id).where(
                    whole_organization(Station, self.organization_id), Station.id == station_id
                )
            )
        ).first()
        return (None, None) if row is None else (row[0], row[1])

    async def windows(
        self, circuit_id: str | None, start: datetime, end: datetime
    ) -> list[PriceWindow]:
        """The energy prices overlapping [start, end] that apply on the circuit, ranked."""
        parents: dict[str, str | None] = {}
        if circuit_id is not None:
            rows = await self.session.execute(
                select(CircuitRow.id, CircuitRow.parent_id).where(
                    whole_organization(CircuitRow, self.organization_id)
                )
            )
            parents = {id: parent for id, parent in rows}
        ranks = circuit_ranks(circuit_id, parents)
        circuits = [c for c in ranks if c is not None]
        applies = or_(PriceRow.circuit_id.is_(None), PriceRow.circuit_id.in_(circuits))
        prices = await self.session.scalars(
            select(PriceRow).where(
                whole_organization(PriceRow, self.organization_id),
                PriceRow.starts_at < end,
                PriceRow.ends_at > start,
                applies,
            )
        )
        return [
            PriceWindow(p.starts_at, p.ends_at, p.price_per_kwh, ranks[p.circuit_id])
            for p in prices
        ]

    async def totals(
        self, location_ids: Select[tuple[str]], start: datetime, end: datetime
    ) -> Sequence[tuple[str, int, int, int, Decimal, Decimal, Decimal]]:
        """Per currency: (currency, sessions, Wh, priced Wh, energy cost, revenue excluding tax,
        margin) of the sessions that stopped in [start, end) at the locations."""
        rows = await self.session.execute(
            select(
                SessionEnergyCost.currency,
                func.count(),
                func.sum(SessionEnergyCost.energy_wh),
                func.sum(SessionEnergyCost.priced_wh),
                func.sum(SessionEnergyCost.energy_cost, type_=BigInteger),
                func.sum(SessionEnergyCost.revenue_excl_tax, type_=BigInteger),
                func.sum(SessionEnergyCost.margin, type_=BigInteger),
            )
            .where(
                whole_organization(SessionEnergyCost, self.organization_id),
                SessionEnergyCost.location_id.in_(location_ids),
                SessionEnergyCost.stopped_at >= start,
                SessionEnergyCost.stopped_at < end,
            )
            .group_by(SessionEnergyCost.currency)
            .order_by(SessionEnergyCost.currency)
        )
        return [
            (
                currency,
                int(count),
                int(wh or 0),
                int(priced or 0),
                from_micros(int(cost or 0)),
                from_micros(int(revenue or 0)),
                from_micros(int(margin or 0)),
            )
            for currency, count, wh, priced, cost, revenue, margin in rows
        ]
