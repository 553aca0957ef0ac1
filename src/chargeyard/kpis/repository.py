"""All SQL the KPIs need: the stations in scope and their histories over a period.

Connectivity history is the event log's `station.connected` / `station.disconnected` events
(recorded by the core on every connect and disconnect, so measuring it costs the hot path
nothing); status history is `status_changes`; sessions are `transactions`. Each history is read
as the last row before the period (the state in force when it starts) plus the rows inside it.
Only stations in `Production` count (`KpiRepository._counted`).
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Row,
    Select,
    String,
    and_,
    case,
    cast,
    func,
    null,
    or_,
    select,
)
from sqlalchemy.ext.asyncio import AsyncSession

from chargeyard.errors import Invalid, NotFound
from chargeyard.events.models import Event
from chargeyard.events.payloads import STATION_CONNECTED, STATION_DISCONNECTED
from chargeyard.kpis.domain import CHARGING
from chargeyard.kpis.sessions import SessionFacts
from chargeyard.locations.models import Location
from chargeyard.locations.repository import LocationRepository
from chargeyard.maintenance_windows.domain import Interval
from chargeyard.maintenance_windows.repository import planned_windows
from chargeyard.stations.domain import DeployState
from chargeyard.stations.models import Connector, Evse, Station, StatusChange
from chargeyard.storage.repository import owned_by, whole_organization
from chargeyard.transaction_events.models import TransactionEventRecord
from chargeyard.transactions.models import Transaction

CONNECTIVITY_TYPES = (STATION_CONNECTED.name, STATION_DISCONNECTED.name)


@dataclass(frozen=True)
class Scope:
    """Which stations a KPI covers: one station (or one EVSE of it, or one connector of that),
    those of a location and of every location below it in the site tree, or the whole
    organization's."""

    organization_id: str
    station_id: str | None = None
    location_id: str | None = None
    evse_id: int | None = None
    connector_id: int | None = None

    def __post_init__(self) -> None:
        if self.station_id is not None and self.location_id is not None:
            raise Invalid("name a station_id or a location_id, not both")
        if self.evse_id is not None and self.station_id is None:
            raise Invalid("evse_id needs the station_id it belongs to")
        if self.connector_id is not None and self.evse_id is None:
            raise Invalid("connector_id needs the evse_id it belongs to")


StatusRow = Row[str, int | None, int | None, str, datetime, str]
"""(station, EVSE, connector, status, instant, the status as the station reported it: 1.6
`Charging`, `SuspendedEV`...; 2.x `Occupied`). The rows as the database answers them: a month
of an organization's statuses is tens of thousands of rows, each one more object to build and
for the garbage collector to scan."""

ChargingRow = Row[str, int, int, str | None, datetime]
"""A session's 2.x chargingState (or its end, `state` None) on its connector: (station, EVSE,
connector, state, instant), as the database answers them (named `station_id`, `evse_id`,
`connector_id`, `state`, `at`)."""


class KpiRepository:
    def __init__(self, session: AsyncSession, scope: Scope) -> None:
        self.session = session
        self.scope = scope

    def _counted(self, *columns: Any) -> Select[Any]:
        """The stations in scope that count in KPIs: those in `Production` (a planned, stock or
        deprecated station is not yet or no longer in service, docs/estate.md)."""
        statement = select(*(columns or (Station.id,))).where(
            owned_by(Station, self.scope.organization_id),
            Station.deploy_state == DeployState.PRODUCTION.value,
        )
        if self.scope.station_id is not None:
            statement = statement.where(Station.id == self.scope.station_id)
        if self.scope.location_id is not None:
            # The location's stations and those of every location below it (a site's KPIs).
            statement = statement.where(Station.location_id.in_(self._site()))
        return statement

    async def stations(self) -> dict[str, datetime]:
        """The stations in scope that count and when each was registered (measuring starts
        there). A station asked for that does not count yet is no station (it is measured as
        none); one that does not exist, a location outside the caller's sites and an EVSE or
        connector the station lacks are a 404."""
        if self.scope.location_id is not None:
            locations = LocationRepository(self.session, self.scope.organization_id)
            await locations.get(self.scope.location_id)  # another site's is not found
        rows = (await self.session.execute(self._counted(Station.id, Station.created_at))).all()
        found = {row[0]: row[1] for row in rows}
        if self.scope.station_id is not None and not found:
            exists = await self.session.scalar(
                select(Station.id).where(
                    owned_by(Station, self.scope.organization_id),
                    Station.id == self.scope.station_id,
                )
            )
            if exists is None:
                raise NotFound(f"Station {self.scope.station_id!r} does not exist")
        if self.scope.evse_id is not None:
            await self._check_evse()
        return found

    async def _check_evse(self) -> None:
        """The EVSE (and connector) asked for is one the station has: a station with no report
        of it would otherwise be judged as one unit and answer for a connector it lacks."""
        scope = self.scope
        statement = select(Evse.id).where(
            Evse.station_id == scope.station_id, Evse.evse_id == scope.evse_id
        )
        noun = f"EVSE {scope.evse_id} of station {scope.station_id!r}"
        if scope.connector_id is not None:
            statement = statement.join(Connector, Connector.evse_pk == Evse.id).where(
                Connector.connector_id == scope.connector_id
            )
            noun = f"Connector {scope.connector_id} of {noun}"
        if await self.session.scalar(statement.limit(1)) is None:
            raise NotFound(f"{noun} does not exist")

    async def timezone(self) -> str:
        """The IANA zone the scope's calendar is read in: its location's, or the location of the
        station asked for; UTC for the organization and for a station at no location."""
        zone: str | None = None
        if self.scope.location_id is not None:
            locations = LocationRepository(self.session, self.scope.organization_id)
            zone = (await locations.get(self.scope.location_id)).timezone
        elif self.scope.station_id is not None:
            zone = await self.session.scalar(
                select(Location.timezone)
                .join(Station, Station.location_id == Location.id)
                .where(
                    owned_by(Station, self.scope.organization_id),
                    owned_by(Location, self.scope.organization_id),
                    Station.id == self.scope.station_id,
                )
            )
        return zone or "UTC"

    def _site(self) -> Select[tuple[str]]:
        """The ids of the scope's location and of every location below it."""
        assert self.scope.location_id is not None
        locations = LocationRepository(self.session, self.scope.organization_id)
        return locations.subtree_ids(self.scope.location_id)

    def _station_filter(self, column: ColumnElement[str]) -> list[ColumnElement[bool]]:
        if self.scope.station_id is not None:
            return [column == self.scope.station_id, column.in_(self._counted())]
        return [column.in_(self._counted())]

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
        return [(row[0] or "", row[1], row[2] == STATION_CONNECTED.name) for row in rows]

    async def planned(self, start: datetime, end: datetime) -> dict[str, list[Interval]]:
        """The maintenance windows overlapping the period of each station in scope (its own
        and its location's or a location's above it), by station."""
        in_scope = select(Station.id).where(
            whole_organization(Station, self.scope.organization_id),
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
        if self.scope.connector_id is not None:
            statement = statement.where(Transaction.connector_id == self.scope.connector_id)
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
            # The EVSE's (or one connector's) statuses, and the station's own.
            evse = StatusChange.evse_id == self.scope.evse_id
            if self.scope.connector_id is not None:
                evse = and_(evse, StatusChange.connector_id == self.scope.connector_id)
            where.append(or_(evse, StatusChange.evse_id.is_(None)))
        # The state in force at `start`: each place's latest status in time before it (the
        # last received at a tie), not the last received: a status queued while the station
        # was offline lands after later ones, and holds only until the next in time.
        ranked = (
            select(
                StatusChange.id,
                func.row_number()
                .over(
                    partition_by=(
                        StatusChange.station_id,
                        StatusChange.evse_id,
                        StatusChange.connector_id,
                    ),
                    order_by=(StatusChange.occurred_at.desc(), StatusChange.id.desc()),
                )
                .label("latest"),
            )
            .where(*where, StatusChange.occurred_at < start)
            .subquery()
        )
        before = select(ranked.c.id).where(ranked.c.latest == 1)
        statement = (
            select(
                StatusChange.station_id,
                StatusChange.evse_id,
                StatusChange.connector_id,
                StatusChange.status,
                StatusChange.occurred_at,
                StatusChange.ocpp_status,
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
        return (await self.session.execute(statement)).all()

    async def charging_states(self, start: datetime, end: datetime) -> Sequence[ChargingRow]:
        """What the sessions open at some time in [start, end) said about charging: the
        chargingStates their transaction events reported (2.x) up to `end` where they start or
        stop the flow of energy, and their end where energy may still be flowing then. A 1.6
        session reports none (its connector's status says it, `statuses`); nor do older 2.x
        events that carry no state."""
        overlapping = [
            owned_by(Transaction, self.scope.organization_id),
            Transaction.started_at < end,
            or_(Transaction.stopped_at.is_(None), Transaction.stopped_at >= start),
            *self._station_filter(Transaction.station_id),  # type: ignore[arg-type]
        ]
        if self.scope.evse_id is not None:
            overlapping.append(Transaction.evse_id == self.scope.evse_id)
        if self.scope.connector_id is not None:
            overlapping.append(Transaction.connector_id == self.scope.connector_id)
        place = (Transaction.station_id, Transaction.evse_id, Transaction.connector_id)
        event = TransactionEventRecord
        # Only what changes whether energy flows leaves the database: a session's first state,
        # then each state that starts or stops the flow (`Charging` against any other). Stations
        # repeat the state in every TransactionEvent (each meter value) and pass through
        # several states that do not charge (EVConnected, SuspendedEV): those rows would say
        # what the one before already said. In seqNo order, the station's own order of its
        # events, which `ix_transaction_events_charging_state` holds.
        flowing = case((event.charging_state == CHARGING, 1), else_=0)
        reported = (
            select(
                *place,
                event.charging_state,
                event.occurred_at,
                flowing.label("flowing"),
                func.lag(flowing)
                .over(partition_by=event.transaction_id, order_by=event.seq_no)
                .label("before"),
            )
            .join(Transaction, Transaction.id == event.transaction_id)
            .where(
                *overlapping,
                owned_by(event, self.scope.organization_id),
                event.charging_state.is_not(None),
                event.occurred_at < end,
            )
            .subquery()
        )
        states = select(
            reported.c.station_id,
            reported.c.evse_id,
            reported.c.connector_id,
            reported.c.charging_state.label("state"),
            reported.c.occurred_at.label("at"),
        ).where(or_(reported.c.before.is_(None), reported.c.before != reported.c.flowing))
        # A session's end stops the flow only where its last state read still said Charging,
        # or where it reported no state at all (1.6, older 2.x): after any other, it would
        # repeat what the state said.
        last_state = (
            select(event.charging_state)
            .where(
                event.transaction_id == Transaction.id,
                event.charging_state.is_not(None),
                event.occurred_at < end,
            )
            .order_by(event.seq_no.desc())
            .limit(1)
            .correlate(Transaction)
            .scalar_subquery()
        )
        ends = select(
            *place, cast(null(), String).label("state"), Transaction.stopped_at.label("at")
        ).where(
            *overlapping,
            Transaction.stopped_at.is_not(None),
            Transaction.stopped_at < end,
            func.coalesce(last_state, CHARGING) == CHARGING,
        )
        # One statement, its rows as the driver answers them (no object built per row).
        return (await self.session.execute(states.union_all(ends))).all()
