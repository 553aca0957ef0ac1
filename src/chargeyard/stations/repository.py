"""All SQL about stations, EVSEs, connectors and status history."""

from collections.abc import Collection, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, cast

from sqlalchemy import (
    ColumnElement,
    Executable,
    Row,
    Select,
    Table,
    bindparam,
    func,
    or_,
    select,
    update,
)
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import joinedload, selectinload

from chargeyard.errors import NotFound
from chargeyard.locations.repository import LocationRepository
from chargeyard.reservations.repository import active_on_station_evse
from chargeyard.stations.domain import StatusReport
from chargeyard.stations.held import HeldTopology
from chargeyard.stations.models import Connector, Evse, Station, StatusChange
from chargeyard.storage.cross_organization import across_organizations
from chargeyard.storage.repository import (
    Page,
    PageResult,
    ScopedRepository,
    matching,
    owned_by,
    paginate,
    within,
)

BEFORE_A_TENANT_IS_KNOWN = (
    "the OCPP handshake and its connection bookkeeping name a station before any tenant is known"
    " (station ids are unique across organizations)"
)
PRESENCE_SWEEP = (
    "the cluster's presence sweep keeps every organization's connected flags true to the live"
    " sockets"
)

_STATIONS = cast(Table, Station.__table__)
_STATION = _STATIONS.c
# A held status report's guard (`stations/held.py`): the station's live-data timestamp moves
# only if its layout is still the held revision; and, for a status that may move a reservation,
# only if none is active on the EVSE (the full path then moves it).
_STATUS_GUARD = (
    update(_STATIONS)
    .where(
        _STATION.id == bindparam("held_station_id"),
        _STATION.organization_id == bindparam("held_organization_id"),
        _STATION.revision == bindparam("held_revision"),
    )
    .values(status_changed_at=bindparam("now"))
)
_STATUS_GUARD_UNRESERVED = _STATUS_GUARD.where(~active_on_station_evse())
_CONNECTOR = cast(Table, Connector.__table__)
_CONNECTOR_STATUS = (
    update(_CONNECTOR)
    .where(_CONNECTOR.c.id == bindparam("connector_pk"))
    .values(
        status=bindparam("new_status"),
        ocpp_status=bindparam("new_ocpp_status"),
        error_code=bindparam("new_error_code"),
        info=bindparam("new_info"),
        vendor_id=bindparam("new_vendor_id"),
        vendor_error_code=bindparam("new_vendor_error_code"),
        status_at=bindparam("new_status_at"),
    )
)
# A station's new connection (`stations/connections.py`): its connectivity moves by primary key
# without loading the row; a station deleted meanwhile matches nothing.
_CONNECTED = (
    update(_STATIONS)
    .where(
        _STATION.id == bindparam("held_station_id"),
        _STATION.organization_id == bindparam("held_organization_id"),
    )
    .values(
        connected=True,
        protocol=bindparam("new_protocol"),
        connected_node=bindparam("new_node"),
        connected_at=bindparam("now"),
        last_seen_at=bindparam("now"),
        status_changed_at=bindparam("now"),
    )
)
# A connection's end (`stations/connections.py`): the station is marked gone only while no
# other worker holds it (its node is this one's, or none); a reconnection committed elsewhere
# first matches nothing, and stays connected.
_DISCONNECTED = (
    update(_STATIONS)
    .where(
        _STATION.id == bindparam("held_station_id"),
        _STATION.organization_id == bindparam("held_organization_id"),
        or_(_STATION.connected_node.is_(None), _STATION.connected_node == bindparam("node")),
    )
    .values(
        connected=False,
        connected_node=None,
        disconnected_at=bindparam("now"),
        status_changed_at=bindparam("now"),
    )
)
# Whether a station takes the 1.6 cost messages (`costing/cost_message_sender.py`): asked on
# every accepted authorization of every station, so one column, not the station with its EVSEs.
_COST_MESSAGES = select(_STATION.id).where(
    _STATION.id.in_(bindparam("station_ids", expanding=True)),
    _STATION.organization_id == bindparam("organization_id"),
    _STATION.cost_messages.is_(True),
    _STATION.protocol == "ocpp1.6",
    _STATION.connected.is_(True),
)
_EVSE = cast(Table, Evse.__table__)
_EVSE_STATUS = (
    update(_EVSE)
    .where(_EVSE.c.id == bindparam("evse_pk"))
    .values(status=bindparam("new_status"), updated_at=bindparam("now"))
)


def held_status_writes(
    organization_id: str,
    held: HeldTopology,
    report: StatusReport,
    now: datetime,
    *,
    reserved_guard: bool,
) -> tuple[tuple[Executable, dict[str, Any]], list[tuple[Executable, dict[str, Any]]]]:
    """A connector status report of a held topology as statements: the guard, then what runs
    only if the guard matched (the connector, and the EVSE when its status changes)."""
    assert report.evse_id is not None and report.connector_id is not None
    evse = held.evses[report.evse_id]
    connector_pk, _ = evse.connectors[report.connector_id]
    after = evse.with_connector(report.connector_id, report.status.value)
    guard = _STATUS_GUARD_UNRESERVED if reserved_guard else _STATUS_GUARD
    then: list[tuple[Executable, dict[str, Any]]] = [
        (
            _CONNECTOR_STATUS,
            {
                "connector_pk": connector_pk,
                "new_status": report.status.value,
                "new_ocpp_status": report.ocpp_status,
                "new_error_code": report.error_code,
                "new_info": report.info,
                "new_vendor_id": report.vendor_id,
                "new_vendor_error_code": report.vendor_error_code,
                "new_status_at": report.timestamp,
            },
        )
    ]
    if after.status != evse.status:
        then.append((_EVSE_STATUS, {"evse_pk": evse.pk, "new_status": after.status, "now": now}))
    parameters = {
        "held_station_id": held.station_id,
        "held_organization_id": organization_id,
        "held_revision": held.revision,
        "held_evse_id": report.evse_id,
        "now": now,
    }
    return (guard, parameters), then


def connected_write(
    organization_id: str, station_id: str, protocol: str, node_id: str, now: datetime
) -> tuple[Executable, dict[str, Any]]:
    return _CONNECTED, {
        "held_station_id": station_id,
        "held_organization_id": organization_id,
        "new_protocol": protocol,
        "new_node": node_id,
        "now": now,
    }


def disconnected_write(
    organization_id: str, station_id: str, node_id: str, now: datetime
) -> tuple[Executable, dict[str, Any]]:
    return _DISCONNECTED, {
        "held_station_id": station_id,
        "held_organization_id": organization_id,
        "node": node_id,
        "now": now,
    }


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


def in_status(status: str) -> ColumnElement[bool]:
    """A station "in" a status: the station as a whole, or any of its EVSEs, has it (what the
    REST list's and the dashboard's `status` filter both mean)."""
    # Correlated: the station (and so the organization) is the enclosing scoped query's.
    evse_in_status = (
        select(Evse.id)
        .where(Evse.station_id == Station.id, Evse.status == status)
        .correlate(Station)
    )
    return or_(Station.status == status, evse_in_status.exists())


class StationRepository(ScopedRepository[Station]):
    model = Station
    noun = "Station"

    def query(self) -> Select[Station]:
        return super().query().options(_WITH_TOPOLOGY)

    async def find(self, key: Any) -> Station | None:
        statement = super().query().where(Station.id == key).options(_JOINED_TOPOLOGY)
        result = await self.session.execute(statement)
        return result.unique().scalars().first()

    async def booting(self, station_id: str) -> Station:
        """The station as `find` reads it (its EVSEs and connectors joined: one statement), its
        row locked until the unit of work ends and read afresh: what a BootNotification changes
        (its revision among the rest), so that a boot and a REST change guarded by the revision
        (`locked`) take turns instead of both writing from what they read before the other.

        `FOR UPDATE OF stations` on PostgreSQL (the EVSE and connector rows are outer-joined, and
        only the station's row is the lock); SQLite ignores the clause, the unit already holding
        its single writer. Still one statement: the lock costs the boot no round trip."""
        statement = (
            super()
            .query()
            .where(Station.id == station_id)
            .options(_JOINED_TOPOLOGY)
            .with_for_update(of=Station)
            .execution_options(populate_existing=True)
        )
        found = (await self.session.execute(statement)).unique().scalars().first()
        if found is None:
            raise NotFound(f"{self.noun} {station_id!r} does not exist")
        return found

    async def taking_cost_messages(self, station_ids: Collection[str]) -> set[str]:
        """Which of `station_ids` are connected 1.6 stations whose operator turned the cost
        messages on (one statement for all of them)."""
        parameters = {"station_ids": list(station_ids), "organization_id": self.organization_id}
        return set((await self.session.scalars(_COST_MESSAGES, parameters)).all())

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
            statement = statement.where(in_status(query.status))
        if query.search:
            # A part of the text, taken literally: '%' and '_' in it are no wildcards.
            literal = query.search.lower().replace("\\", "\\\\")
            literal = literal.replace("%", "\\%").replace("_", "\\_")
            pattern = f"%{literal}%"
            statement = statement.where(
                or_(*(func.lower(column).like(pattern, escape="\\") for column in _SEARCHED))
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


@across_organizations(BEFORE_A_TENANT_IS_KNOWN)
async def find_station_for_connection(session: AsyncSession, station_id: str) -> Station | None:
    """The one unscoped lookup: a WebSocket handshake names a station before any tenant is known.

    Only the station's own row: admission needs no EVSEs or connectors."""
    result = await session.execute(select(Station).where(Station.id == station_id))
    return result.scalars().first()


@across_organizations(BEFORE_A_TENANT_IS_KNOWN)
async def store_password_verifier(
    session: AsyncSession, station_id: str, password_hash: str, verifier: str
) -> None:
    """Remember a verified password's fast verifier, unless the password changed meanwhile."""
    await session.execute(
        update(Station)
        .where(Station.id == station_id, Station.password_hash == password_hash)
        .values(password_verifier=verifier)
    )


@across_organizations(PRESENCE_SWEEP)
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
    whole node), so a worker clears only what it or a dead worker held, never a live peer's.

    On PostgreSQL the rows are locked first, in id order, skipping any another transaction
    holds: after a restart the stations come back while this runs, and a group commit marking
    some of them connected holds their rows until its batch commits. Waiting for those rows
    while that batch waited for one this UPDATE had locked was a deadlock (291 failed
    handshakes in one 10,000-station storm on two workers). A skipped station is being written
    by its new connection, or is left for the next sweep, which finds its dead holder again."""
    if not holders:
        return []
    result = await session.execute(
        select(Station.id, Station.organization_id)
        .where(Station.connected.is_(True), Station.connected_node.in_(list(holders)))
        .order_by(Station.id)
        .with_for_update(skip_locked=True)
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


@across_organizations(PRESENCE_SWEEP)
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


@across_organizations(BEFORE_A_TENANT_IS_KNOWN)
async def record_last_seen(session: AsyncSession, seen: dict[str, datetime]) -> None:
    """One statement for every station seen (an executemany), not one round trip each."""
    if not seen:
        return
    await session.execute(
        update(Station), [{"id": station_id, "last_seen_at": at} for station_id, at in seen.items()]
    )
