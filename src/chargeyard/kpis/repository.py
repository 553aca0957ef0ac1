"""All SQL the KPIs need: the stations in scope and their histories over a period.

Connectivity history is the event log's `station.connected` / `station.disconnected` events
(recorded by the core on every connect and disconnect, so measuring it costs the hot path
nothing); status history is `status_changes`; sessions are `transactions`. Each history is read as the last row before the
period (the state in force when it starts) plus the rows inside it.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import ColumnElement, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from chargeyard.errors import NotFound
from chargeyard.events.models import Event
from chargeyard.kpis.sessions import SessionFacts
from chargeyard.maintenance_windows.domain import Interval
from chargeyard.maintenance_windows.repository import planned_windows
from chargeyard.stations.models import Station, StatusChange
from chargeyard.storage.repository import owned_by
from chargeyard.transactions.models import Transaction

CONNECTIVITY_TYPES = ("station.connected", "station.disconnected")


@dataclass(frozen=True)
class Scope:
    """Which stations a KPI covers: one station, a location's, or the whole organization's."""

    organization_id: str
    station_id: str | None = None
    location_id: str | None = None
    evse_id: int | None = None


@dataclass(frozen=True)
class StatusRow:
    station_id: str
    evse_id: int | None
    connector_id: int | None
    status: str
    at: datetime


class KpiRepository:
    def __init__(self, session: AsyncSession, scope: Scope) -> None:
        self.session = session
        self.scope = scope

    async def stations(self) -> dict[str, datetime]:
        """The stations in scope and when each was registered (measuring starts there)."""
        statement = select(Station.id, Station.created_at).where(
            owned_by(Station, self.scope.organization_id)
        )
        if self.scope.station_id is not None:
            statement = statement.where(Station.id == self.scope.station_id)
        if self.scope.location_id is not None:
            statement = statement.where(Station.location_id == self.scope.location_id)
        found = {row[0]: row[1] for row in (await self.session.execute(statement)).all()}
        if self.scope.station_id is not None and not found:
            raise NotFound(f"Station {self.scope.station_id!r} does not exist")
        return found

    def _station_filter(self, column: ColumnElement[str]) -> list[ColumnElement[bool]]:
        if self.scope.station_id is not None:
            return [column == self.scope.station_id]
        if self.scope.location_id is not None:
            in_location = select(Station.id).where(
                owned_by(Station, self.scope.organization_id),
                Station.location_id == self.scope.location_id,
            )
            return [column.in_(in_location)]
        return []

    async def connectivity(
        self, start: datetime, end: datetime
    ) -> Sequence[tuple[str, datetime, bool]]:
        """(station, instant, connected) in time order: the last change before `start` of each
        station, then those in [start, end)."""
        where = [
            owned_by(Event, self.scope.organization_id),
            Event.type.in_(CONNECTIVITY_TYPES),
            *self._station_filter(Event.station_id),  # type: ignore[arg-type]
        ]
        before = (
            select(func.max(Event.seq))
            .where(*where, Event.occurred_at < start)
            .group_by(Event.station_id)
        )
        statement = (
            select(Event.station_id, Event.occurred_at, Event.type)
            .where(
                *where,
                or_(Event.seq.in_(before), Event.occurred_at.between(start, end)),
            )
            .order_by(Event.occurred_at, Event.seq)
        )
        rows = (await self.session.execute(statement)).all()
        return [(row[0] or "", row[1], row[2] == "station.connected") for row in rows]

    async def planned(self, start: datetime, end: datetime) -> dict[str, list[Interval]]:
        """The maintenance windows overlapping the period of each station in scope (its own
        and its location's), by station."""
        in_scope = select(Station.id).where(
            Station.organization_id == self.scope.organization_id,
            *self._station_filter(Station.id),  # type: ignore[arg-type]
        )
        found = await planned_windows(
            self.session,
            start,
            end,
            organization_id=self.scope.organization_id,
            station_ids=in_scope,
        )
        return {station: windows for (_, station), windows in found.items()}

    async def sessions(self, start: datetime, end: datetime) -> Sequence[SessionFacts]:
        """The sessions started in [start, end), as the statistics need them (columns only)."""
        statement = select(
            Transaction.started_at,
            Transaction.stopped_at,
            Transaction.energy_wh,
            Transaction.auth_status,
        ).where(
            owned_by(Transaction, self.scope.organization_id),
            Transaction.started_at >= start,
            Transaction.started_at < end,
            *self._station_filter(Transaction.station_id),  # type: ignore[arg-type]
        )
        if self.scope.evse_id is not None:
            statement = statement.where(Transaction.evse_id == self.scope.evse_id)
        rows = (await self.session.execute(statement)).all()
        return [SessionFacts(row[0], row[1], row[2], row[3] == "Accepted") for row in rows]

    async def statuses(self, start: datetime, end: datetime) -> Sequence[StatusRow]:
        """Reported statuses in time order: each connector's (and each station's own) last
        before `start`, then those in [start, end)."""
        where = [
            owned_by(StatusChange, self.scope.organization_id),
            *self._station_filter(StatusChange.station_id),  # type: ignore[arg-type]
        ]
        if self.scope.evse_id is not None:
            where.append(
                or_(StatusChange.evse_id == self.scope.evse_id, StatusChange.evse_id.is_(None))
            )
        before = (
            select(func.max(StatusChange.id))
            .where(*where, StatusChange.occurred_at < start)
            .group_by(StatusChange.station_id, StatusChange.evse_id, StatusChange.connector_id)
        )
        statement = (
            select(
                StatusChange.station_id,
                StatusChange.evse_id,
                StatusChange.connector_id,
                StatusChange.status,
                StatusChange.occurred_at,
            )
            .where(
                *where,
                or_(
                    StatusChange.id.in_(before),
                    StatusChange.occurred_at.between(start, end),
                ),
            )
            .order_by(StatusChange.occurred_at, StatusChange.id)
        )
        rows = (await self.session.execute(statement)).all()
        return [StatusRow(row[0], row[1], row[2], row[3], row[4]) for row in rows]
