"""Energy price use cases: time-of-use prices added (in bulk) or removed. Never commits; a
change records an event, which wakes the smart-charging controller."""

from typing import Any

from chargeyard.circuits.repository import CircuitRepository
from chargeyard.clock import Clock
from chargeyard.energy_prices.models import PriceRow
from chargeyard.energy_prices.repository import PriceRepository
from chargeyard.events.payloads import (
    ENERGY_PRICE_ADDED,
    ENERGY_PRICE_REMOVED,
    EnergyPricesAdded,
    EventKind,
    P,
    Removed,
)
from chargeyard.events.recorder import record_event
from chargeyard.intervals import check_interval
from chargeyard.storage.unit_of_work import UnitOfWork


class PriceService:
    def __init__(self, uow: UnitOfWork, organization_id: str, clock: Clock) -> None:
        self.uow = uow
        self.organization_id = organization_id
        self.prices = PriceRepository(uow.session, organization_id)
        self.clock = clock

    async def add(self, items: list[dict[str, Any]]) -> list[PriceRow]:
        circuits = CircuitRepository(self.uow.session, self.organization_id)
        rows = []
        for fields in items:
            check_interval(fields)
            if fields.get("circuit_id") is not None:
                await circuits.get(fields["circuit_id"])
            rows.append(self.prices.add(PriceRow(organization_id=self.organization_id, **fields)))
        await self.uow.session.flush()
        self._event(ENERGY_PRICE_ADDED, EnergyPricesAdded(count=len(rows)))
        return rows

    async def remove(self, price_id: str) -> None:
        await self.prices.delete(await self.prices.get(price_id))
        self._event(ENERGY_PRICE_REMOVED, Removed(id=price_id))

    def _event(self, kind: EventKind[P], data: P) -> None:
        record_event(
            self.uow,
            organization_id=self.organization_id,
            kind=kind,
            occurred_at=self.clock(),
            data=data,
        )
