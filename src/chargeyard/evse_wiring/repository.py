"""All SQL of EVSE wiring, scoped to one organization."""

from collections.abc import Sequence

from chargeyard.evse_wiring.models import EvseWiringRow
from chargeyard.storage.repository import ScopedRepository


class WiringRepository(ScopedRepository[EvseWiringRow]):
    model = EvseWiringRow
    noun = "EVSE wiring"

    async def of_stations(self, station_ids: Sequence[str]) -> Sequence[EvseWiringRow]:
        statement = self.query().where(EvseWiringRow.station_id.in_(station_ids))
        return (await self.session.scalars(statement)).all()

    async def of(self, station_id: str, evse_id: int) -> EvseWiringRow | None:
        """One EVSE's own row (evse_id 0: the station's default)."""
        return await self.session.scalar(
            self.query().where(
                EvseWiringRow.station_id == station_id, EvseWiringRow.evse_id == evse_id
            )
        )

    async def planned_with(self, station_id: str, evse_id: int) -> EvseWiringRow | None:
        """The row an EVSE is planned with: its own, else its station's default (EVSE 0)."""
        return await self.of(station_id, evse_id) or await self.of(station_id, 0)
