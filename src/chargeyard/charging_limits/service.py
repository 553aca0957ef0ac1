"""Recording external charging limits as stations set and clear them. Never commits."""

from typing import Any

from chargeyard.charging_limits.domain import ChargingLimit
from chargeyard.charging_limits.models import ChargingLimitRow
from chargeyard.charging_limits.repository import ChargingLimitRepository
from chargeyard.clock import Clock
from chargeyard.events.recorder import record_event
from chargeyard.storage.unit_of_work import UnitOfWork


class ChargingLimitService:
    def __init__(self, uow: UnitOfWork, organization_id: str, clock: Clock) -> None:
        self.uow = uow
        self.organization_id = organization_id
        self.clock = clock
        self.limits = ChargingLimitRepository(uow.session, organization_id)

    def record(self, station_id: str, limit: ChargingLimit) -> None:
        self.limits.add(
            ChargingLimitRow(
                organization_id=self.organization_id,
                station_id=station_id,
                evse_id=limit.evse_id,
                source=limit.source,
                grid_critical=limit.grid_critical,
                schedules=list(limit.schedules),
                reported_at=self.clock(),
            )
        )
        self._event(
            station_id,
            "charging_limit.set",
            {
                "source": limit.source,
                "evse_id": limit.evse_id,
                "grid_critical": limit.grid_critical,
            },
        )

    async def clear(self, station_id: str, source: str, evse_id: int | None) -> int:
        """Lift the source's active limits; returns how many were active."""
        now = self.clock()
        active = await self.limits.active(station_id, source, evse_id)
        for row in active:
            row.cleared_at = now
        self._event(
            station_id,
            "charging_limit.cleared",
            {"source": source, "evse_id": evse_id, "cleared": len(active)},
        )
        return len(active)

    def _event(self, station_id: str, type: str, data: dict[str, Any]) -> None:
        record_event(
            self.uow,
            organization_id=self.organization_id,
            type=type,
            occurred_at=self.clock(),
            station_id=station_id,
            data={"station_id": station_id, **data},
        )
