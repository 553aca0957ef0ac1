"""Recording external charging limits as stations set and clear them, and as reads of a
station's ChargingStationExternalConstraints profiles find them. Never commits."""

from collections.abc import Sequence
from typing import Any

from chargeyard.charging_limits.domain import EXTERNAL_CONSTRAINTS, ChargingLimit
from chargeyard.charging_limits.models import ChargingLimitRow
from chargeyard.charging_limits.repository import ChargingLimitRepository
from chargeyard.clock import Clock
from chargeyard.events.payloads import (
    CHARGING_LIMIT_CLEARED,
    CHARGING_LIMIT_READ,
    CHARGING_LIMIT_SET,
    ChargingLimitCleared,
    ChargingLimitRead,
    ChargingLimitSet,
    EventKind,
    P,
)
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
            CHARGING_LIMIT_SET,
            ChargingLimitSet(
                station_id=station_id,
                source=limit.source,
                evse_id=limit.evse_id,
                grid_critical=limit.grid_critical,
            ),
        )

    async def clear(self, station_id: str, source: str, evse_id: int | None) -> int:
        """Lift the source's active limits; returns how many were active."""
        now = self.clock()
        active = await self.limits.active(station_id, source, evse_id)
        for row in active:
            row.cleared_at = now
        self._event(
            station_id,
            CHARGING_LIMIT_CLEARED,
            ChargingLimitCleared(
                station_id=station_id, source=source, evse_id=evse_id, cleared=len(active)
            ),
        )
        return len(active)

    async def start_read(self, station_id: str, request_id: int) -> None:
        """A read of the station's external constraints goes out as `request_id`: from now on
        only its answers count (an older read's late answers do not)."""
        row = await self.limits.latest_read(station_id)
        if row is None:
            row = self.limits.new_read(station_id)
        row.request_id, row.requested_at = request_id, self.clock()

    async def record_read(
        self,
        station_id: str,
        request_id: int,
        evse_id: int | None,
        source: str,
        profiles: Sequence[dict[str, Any]],
    ) -> bool:
        """One ReportChargingProfiles answering the latest read (False: it answers something
        else, an operator's get-charging-profiles say, and is not a read). The read's external
        constraints replace what earlier reads found; a read sends one message per EVSE and
        source, none of which clears another's."""
        if not await self._is_latest(station_id, request_id):
            return False
        now = self.clock()
        await self._clear_read(station_id, keep=request_id)
        found = [p for p in profiles if p.get("charging_profile_purpose") == EXTERNAL_CONSTRAINTS]
        for profile in found:
            self.limits.add(
                ChargingLimitRow(
                    organization_id=self.organization_id,
                    station_id=station_id,
                    evse_id=evse_id,
                    source=source,
                    grid_critical=None,
                    schedules=list(profile.get("charging_schedule") or ()),
                    reported_at=now,
                    profile_id=int(profile["id"]),
                    profile=dict(profile),
                    request_id=request_id,
                )
            )
        read = ChargingLimitRead(
            station_id=station_id,
            request_id=request_id,
            evse_id=evse_id,
            source=source,
            profiles=[int(p["id"]) for p in found],
        )
        self._event(station_id, CHARGING_LIMIT_READ, read)
        return True

    async def read_nothing(self, station_id: str, request_id: int) -> None:
        """The station answered the latest read NoProfiles: it holds no external constraint."""
        if not await self._is_latest(station_id, request_id):
            return
        cleared = await self._clear_read(station_id, keep=None)
        read = ChargingLimitRead(
            station_id=station_id, request_id=request_id, profiles=[], cleared=cleared
        )
        self._event(station_id, CHARGING_LIMIT_READ, read)

    async def _is_latest(self, station_id: str, request_id: int) -> bool:
        latest = await self.limits.latest_read(station_id)
        return latest is not None and latest.request_id == request_id

    async def _clear_read(self, station_id: str, keep: int | None) -> int:
        now, cleared = self.clock(), 0
        for row in await self.limits.read_back(station_id):
            if row.request_id != keep:
                row.cleared_at, cleared = now, cleared + 1
        return cleared

    def _event(self, station_id: str, kind: EventKind[P], data: P) -> None:
        record_event(
            self.uow,
            organization_id=self.organization_id,
            kind=kind,
            occurred_at=self.clock(),
            station_id=station_id,
            data=data,
        )
