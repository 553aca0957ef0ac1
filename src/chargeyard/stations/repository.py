"""All SQL about stations, EVSEs, connectors and status history."""

from collections.abc import Collection, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import Row, Select, func, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import joinedload, selectinload

from chargeyard.locations.repository import LocationRepository
from chargeyard.stations.models import Connector, Evse, Station, StatusChange
from chargeyard.storage.repository import (
    Page,
    PageResult,
    ScopedRepository,
    matching,
    owned_by,
    paginate,
    within,
)

# What `search` looks through: the ids, names and serial numbers people quote.
_SEARCHED = (
    Station.id,
    Station.name,
    Station.serial_number,
    Station.charge_box_serial_number,
    Station.meter_serial_number,
)
# What a list may be sorted by (`StationQuery.sort`).
SORTABLE = (
    "id",
    "name",
    "status",
    "connected",
    "vendor",
    "model",
    "firmware_version",
    "deploy_state",
    "location_id",
    "circuit_id",
    "serial_number",
    "created_at",
    "updated_at",
    "status_changed_at",
    "last_seen_at",
)


@dataclass(frozen=True)
class StationQuery:
    """The filters and order of a station list; None means no filter."""

    connected: bool | None = None
    status: str | None = None
    vendor: str | None = None
    model: str | None = None
    firmware_version: str | None = None
    deploy_state: str | None = None
    location_id: str | None = None
    include_descendants: bool = True
    circuit_id: str | None = None
    search: str | None = None
    updated_since: datetime | None = None
    status_changed_since: datetime | None = None
    sort: tuple[tuple[str, bool], ...] = field(default_factory=tuple)


def _lower(value: str | None) -> str | None:
    return None if value is None else value.lower()


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

    async def search(self, page: Page, query: StationQuery) -> PageResult[Station]:
        statement = matching(
            self.query(),
            (Station.connected, query.connected),
            (func.lower(Station.vendor), _lower(query.vendor)),
            (func.lower(Station.model), _lower(query.model)),
            (Station.firmware_version, query.firmware_version),
            (Station.deploy_state, query.deploy_state),
            (Station.circuit_id, query.circuit_id),
        )
        if query.location_id is not None:
            locations = LocationRepository(self.session, self.organization_id)
            statement = statement.where(
                Station.location_id.in_(locations.subtree_ids(query.location_id))
                if query.include_descendants
                else Station.location_id == query.location_id
            )
        if query.status is not None:
            in_status = select(Evse.id).where(
                Evse.station_id == Station.id, Evse.status == query.status
            )
            statement = statement.where(or_(Station.status == query.status, in_status.exists()))
        if query.search:
            pattern = f"%{query.search.lower()}%"
            statement = statement.where(
                or_(*(func.lower(column).like(pattern) for column in _SEARCHED))
            )
        if query.status_changed_since is not None:
            statement = statement.where(Station.status_changed_at > query.status_changed_since)
        order = [
            getattr(Station, name).desc() if descending else getattr(Station, name).asc()
            for name, descending in query.sort
        ]
        return await self.page(
            statement, page, order_by=[*order, Station.id], updated_since=query.updated_since
        )

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
        statement = self._history(station_id, evse_id, since, until)
        return await paginate(
            self.session,
            statement,
            page,
            order_by=[StatusChange.occurred_at.desc(), StatusChange.id.desc()],
        )

    async def status_history_page(
        self,
        after_id: int,
        limit: int,
        columns: Sequence[str],
        *,
        station_id: str | None = None,
        evse_id: int | None = None,
        since: datetime | None = None,
        until: datetime | None = None,
    ) -> Sequence[Row[Any]]:
        """`columns` of the next `limit` rows after `after_id`, in the order they were stored
        (keyset pagination, for exports)."""
        statement = (
            self._history(station_id, evse_id, since, until)
            .with_only_columns(*(getattr(StatusChange, name) for name in columns))
            .where(StatusChange.id > after_id)
            .order_by(StatusChange.id)
            .limit(limit)
        )
        return (await self.session.execute(statement)).all()

    def _history(
        self,
        station_id: str | None,
        evse_id: int | None,
        since: datetime | None,
        until: datetime | None,
    ) -> Select[StatusChange]:
        statement = matching(
            select(StatusChange).where(owned_by(StatusChange, self.organization_id)),
            (StatusChange.station_id, station_id),
            (StatusChange.evse_id, evse_id),
        )
        return within(statement, StatusChange.occurred_at, since, until)


async def find_station_for_connection(session: AsyncSession, station_id: str) -> Station | None:
    """The one unscoped lookup: a WebSocket handshake names a station before any tenant is known.

    Only the station's own row: admission needs no EVSEs or connectors."""
    result = await session.execute(select(Station).where(Station.id == station_id))
    return result.scalars().first()


async def store_password_verifier(
    session: AsyncSession, station_id: str, password_hash: str, verifier: str
) -> None:
    """Remember a verified password's fast verifier, unless the password changed meanwhile."""
    await session.execute(
        update(Station)
        .where(Station.id == station_id, Station.password_hash == password_hash)
        .values(password_verifier=verifier)
    )


async def connected_holders(session: AsyncSession) -> set[str]:
    """The workers that the stations table says hold a connected station's socket."""
    result = await session.execute(
        select(Station.connected_node)
        .where(Station.connected.is_(True), Station.connected_node.is_not(None))
        .distinct()
    )
    return {holder for holder in result.scalars().all() if holder is not None}


async def mark_disconnected(
    session: AsyncSession, holders: Collection[str], at: datetime
) -> Sequence[tuple[str, str]]:
    """Stations held by these workers (restarted, stopping or dead) are not connected any more,
    in one UPDATE; returns their (id, organization id).

    `connected_node` holds the worker id of the holder (the node id when one process is the
    whole node), so a worker clears only what it or a dead worker held, never a live peer's."""
    if not holders:
        return []
    result = await session.execute(
        select(Station.id, Station.organization_id).where(
            Station.connected.is_(True), Station.connected_node.in_(list(holders))
        )
    )
    rows = [(row[0], row[1]) for row in result.all()]
    ids = [station_id for station_id, _ in rows]
    if ids:
        await session.execute(
            update(Station)
            .where(
                Station.id.in_(ids),
                Station.connected.is_(True),
                Station.connected_node.in_(list(holders)),
            )
            .values(connected=False, disconnected_at=at, connected_node=None, status_changed_at=at)
        )
    return rows


async def mark_held(session: AsyncSession, station_ids: Collection[str], holder: str) -> None:
    """These stations' sockets are held by `holder` after all (its presence had lapsed and a
    sweep took them for disconnected); one a newer connection marked elsewhere stays as is."""
    if station_ids:
        await session.execute(
            update(Station)
            .where(
                Station.id.in_(list(station_ids)),
                (Station.connected.is_(False)) | (Station.connected_node == holder),
            )
            .values(connected=True, connected_node=holder)
        )


async def record_last_seen(session: AsyncSession, seen: dict[str, datetime]) -> None:
    """One statement for every station seen (an executemany), not one round trip each."""
    if not seen:
        return
    await session.execute(
        update(Station), [{"id": station_id, "last_seen_at": at} for station_id, at in seen.items()]
    )
