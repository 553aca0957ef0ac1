"""All SQL about stations, EVSEs, connectors and status history."""

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import Select, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload

from chargeyard.stations.models import Connector, Evse, Station, StatusChange
from chargeyard.storage.repository import Page, PageResult, ScopedRepository, paginate

_WITH_TOPOLOGY = selectinload(Station.evses).selectinload(Evse.connectors)


class StationRepository(ScopedRepository[Station]):
    model = Station
    noun = "Station"

    def query(self) -> Select[Station]:
        return super().query().options(_WITH_TOPOLOGY)

    async def search(
        self,
        page: Page,
        *,
        location_id: str | None = None,
        connected: bool | None = None,
        updated_since: datetime | None = None,
    ) -> PageResult[Station]:
        statement = self.query()
        if location_id is not None:
            statement = statement.where(Station.location_id == location_id)
        if connected is not None:
            statement = statement.where(Station.connected == connected)
        return await self.page(statement, page, order_by=[Station.id], updated_since=updated_since)

    def add_evse(self, station: Station, evse_id: int) -> Evse:
        evse = Evse(evse_id=evse_id, connectors=[])
        station.evses.append(evse)
        return evse

    def add_connector(self, evse: Evse, connector_id: int) -> Connector:
        connector = Connector(connector_id=connector_id)
        evse.connectors.append(connector)
        return connector

    def add_status_change(self, change: StatusChange) -> None:
        self.session.add(change)

    async def status_history(
        self,
        page: Page,
        *,
        station_id: str | None = None,
        evse_id: int | None = None,
        since: datetime | None = None,
        until: datetime | None = None,
    ) -> PageResult[StatusChange]:
        statement = select(StatusChange).where(StatusChange.organization_id == self.organization_id)
        if station_id is not None:
            statement = statement.where(StatusChange.station_id == station_id)
        if evse_id is not None:
            statement = statement.where(StatusChange.evse_id == evse_id)
        if since is not None:
            statement = statement.where(StatusChange.occurred_at >= since)
        if until is not None:
            statement = statement.where(StatusChange.occurred_at < until)
        return await paginate(
            self.session,
            statement,
            page,
            order_by=[StatusChange.occurred_at.desc(), StatusChange.id.desc()],
        )


async def find_station_for_connection(session: AsyncSession, station_id: str) -> Station | None:
    """The one unscoped lookup: a WebSocket handshake names a station before any tenant is known."""
    result = await session.execute(
        select(Station).where(Station.id == station_id).options(_WITH_TOPOLOGY)
    )
    return result.scalars().first()


async def mark_node_disconnected(
    session: AsyncSession, node_id: str, at: datetime
) -> Sequence[str]:
    """Stations this node held before it restarted are not connected any more."""
    result = await session.execute(
        select(Station.id).where(Station.connected.is_(True), Station.connected_node == node_id)
    )
    ids = result.scalars().all()
    if ids:
        await session.execute(
            update(Station)
            .where(Station.id.in_(ids))
            .values(connected=False, disconnected_at=at, connected_node=None)
        )
    return ids


async def record_last_seen(session: AsyncSession, seen: dict[str, datetime]) -> None:
    for station_id, at in seen.items():
        await session.execute(
            update(Station).where(Station.id == station_id).values(last_seen_at=at)
        )
