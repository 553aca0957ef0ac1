"""All SQL about stations, EVSEs, connectors and status history."""

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Select, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import joinedload, selectinload

from chargeyard.stations.models import Connector, Evse, Station, StatusChange
from chargeyard.storage.repository import (
    Page,
    PageResult,
    ScopedRepository,
    matching,
    paginate,
    within,
)

_WITH_TOPOLOGY = selectinload(Station.evses).selectinload(Evse.connectors)
# One station with its EVSEs and connectors in one statement (not three): every OCPP message
# that touches the station loads it this way.
_JOINED_TOPOLOGY = joinedload(Station.evses).joinedload(Evse.connectors)


class StationRepository(ScopedRepository[Station]):
    model = Station
    noun = "Station"

    def query(self) -> Select[Station]:
        return super().query().options(_WITH_TOPOLOGY)

    async def find(self, key: Any) -> Station | None:
        statement = super().query().where(Station.id == key).options(_JOINED_TOPOLOGY)
        result = await self.session.execute(statement)
        return result.unique().scalars().first()

    async def search(
        self,
        page: Page,
        *,
        location_id: str | None = None,
        connected: bool | None = None,
        updated_since: datetime | None = None,
    ) -> PageResult[Station]:
        statement = matching(
            self.query(), (Station.location_id, location_id), (Station.connected, connected)
        )
        return await self.page(statement, page, order_by=[Station.id], updated_since=updated_since)

    def add_evse(self, station: Station, evse_id: int) -> Evse:
        evse = Evse(evse_id=evse_id, connectors=[])
        station.evses.append(evse)
        return evse

    def add_connector(self, evse: Evse, connector_id: int) -> Connector:
        connector = Connector(connector_id=connector_id)
        evse.connectors.append(connector)
        return connector

    async def status_history(
        self,
        page: Page,
        *,
        station_id: str | None = None,
        evse_id: int | None = None,
        since: datetime | None = None,
        until: datetime | None = None,
    ) -> PageResult[StatusChange]:
        statement = matching(
            select(StatusChange).where(StatusChange.organization_id == self.organization_id),
            (StatusChange.station_id, station_id),
            (StatusChange.evse_id, evse_id),
        )
        statement = within(statement, StatusChange.occurred_at, since, until)
        return await paginate(
            self.session,
            statement,
            page,
            order_by=[StatusChange.occurred_at.desc(), StatusChange.id.desc()],
        )


async def find_station_for_connection(session: AsyncSession, station_id: str) -> Station | None:
    """The one unscoped lookup: a WebSocket handshake names a station before any tenant is known.

    Only the station's own row: admission needs no EVSEs or connectors."""
    result = await session.execute(select(Station).where(Station.id == station_id))
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
    """One statement for every station seen (an executemany), not one round trip each."""
    if not seen:
        return
    await session.execute(
        update(Station), [{"id": station_id, "last_seen_at": at} for station_id, at in seen.items()]
    )
