"""Recording a finished session's energy cost and margin, and summing them per site. Never
commits.

`SessionCosting.stopped` calls `record` with the evidence it has just priced the session from
(so the meter readings are read once); a priced session's stop costs two more small queries
(the station's circuit and location with the circuit tree, and the prices in force during the
session). A session is recorded once, when it closes; should `record` run again for it, the new
record replaces the old one.
"""

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from chargeyard.costing.evidence import Evidence
from chargeyard.energy_costs.domain import energy_cost
from chargeyard.energy_costs.models import SessionEnergyCost
from chargeyard.energy_costs.repository import EnergyCostRepository
from chargeyard.errors import Invalid
from chargeyard.locations.repository import LocationRepository
from chargeyard.storage.unit_of_work import UnitOfWork
from chargeyard.transactions.models import Transaction


@dataclass(frozen=True)
class SiteMargin:
    currency: str
    sessions: int
    energy_wh: int
    priced_wh: int
    energy_cost: Decimal
    revenue_excl_tax: Decimal
    margin: Decimal


class EnergyCostService:
    def __init__(self, uow: UnitOfWork, organization_id: str) -> None:
        self.uow = uow
        self.organization_id = organization_id
        self.costs = EnergyCostRepository(uow.session, organization_id)

    async def record(self, tx: Transaction, evidence: Evidence) -> SessionEnergyCost | None:
        """The energy cost and margin of a stopped, priced session (None for any other)."""
        if tx.stopped_at is None or tx.cost_currency is None or tx.cost_excl_tax is None:
            return None
        circuit_id, location_id = await self.costs.station_place(tx.station_id)
        windows = await self.costs.windows(circuit_id, evidence.started_at, evidence.ended_at)
        found = energy_cost(evidence, windows)
        row = await self.costs.find(tx.id)
        if row is None:
            row = SessionEnergyCost(transaction_id=tx.id, organization_id=self.organization_id)
            self.costs.add(row)
        row.station_id = tx.station_id
        row.location_id = location_id
        row.stopped_at = tx.stopped_at
        row.currency = tx.cost_currency
        row.energy_wh = round(found.energy_wh)
        row.priced_wh = round(found.priced_wh)
        row.energy_cost = found.amount
        row.revenue_excl_tax = tx.cost_excl_tax
        row.margin = tx.cost_excl_tax - found.amount
        return row

    async def site(self, location_id: str, start: datetime, end: datetime) -> list[SiteMargin]:
        """Per currency, the sessions that stopped in [start, end) at the location or below it."""
        if start >= end:
            raise Invalid("from: must be before to")
        locations = LocationRepository(self.uow.session, self.organization_id)
        await locations.get(location_id)
        rows = await self.costs.totals(locations.subtree_ids(location_id), start, end)
        return [SiteMargin(*row) for row in rows]
