"""All SQL of the daily rollup (`rollup.py`): its rows, the organization's stations' days
already rolled up, and the events that make rows stale."""

from collections import defaultdict
from collections.abc import Collection, Sequence
from datetime import date, datetime
from typing import Any

from sqlalchemy import Row, delete, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from chargeyard.events.models import Event
from chargeyard.events.payloads import (
    CONNECTOR_STATUS_CHANGED,
    MAINTENANCE_WINDOW_CREATED,
    MAINTENANCE_WINDOW_DELETED,
    MAINTENANCE_WINDOW_UPDATED,
    SESSION_RECONCILED,
    SESSION_STARTED,
    SESSION_STOPPED,
    SESSION_UPDATED,
    STATION_CONNECTED,
    STATION_DISCONNECTED,
    TRANSACTION_EVENT_LATE,
)
from chargeyard.kpis.models import UNIT, RollupCursor, UtilisationDay
from chargeyard.stations.domain import DeployState
from chargeyard.stations.models import Station
from chargeyard.storage.cross_organization import across_organizations
from chargeyard.storage.repository import owned_by

ACROSS_ORGANIZATIONS = (
    "the rollup job follows every organization's events in one pass and keys the rows it "
    "forgets by each event's organization"
)
CURSOR = "utilisation"
CHANGE_TYPES = (
    CONNECTOR_STATUS_CHANGED.name,
    STATION_CONNECTED.name,
    STATION_DISCONNECTED.name,
    SESSION_STARTED.name,
    SESSION_UPDATED.name,
    SESSION_STOPPED.name,
    SESSION_RECONCILED.name,
    TRANSACTION_EVENT_LATE.name,
    MAINTENANCE_WINDOW_CREATED.name,
    MAINTENANCE_WINDOW_UPDATED.name,
    MAINTENANCE_WINDOW_DELETED.name,
)
"""The events that record what the KPIs read: a status, a connection, a session's start, end or
late chargingState, a maintenance window."""

DayRow = Row[str, date, int, int, int, int, int, int, int]
"""(station, day, EVSE, connector, up, down, excluded, occupied, charging), as answered."""
Change = Row[str, str | None, str, datetime, Any]
"""(organization, station, type, occurred_at, data) of an event that may make rows stale."""


async def days(
    session: AsyncSession, organization_id: str, stations: Collection[str], first: date, last: date
) -> Sequence[DayRow]:
    """The rows of these stations for the days in [first, last]."""
    statement = select(
        UtilisationDay.station_id,
        UtilisationDay.day,
        UtilisationDay.evse_id,
        UtilisationDay.connector_id,
        UtilisationDay.up_us,
        UtilisationDay.down_us,
        UtilisationDay.excluded_us,
        UtilisationDay.occupied_us,
        UtilisationDay.charging_us,
    ).where(
        owned_by(UtilisationDay, organization_id),
        UtilisationDay.station_id.in_(list(stations)),
        UtilisationDay.day.between(first, last),
    )
    return (await session.execute(statement)).all()


async def cursor(session: AsyncSession) -> int:
    found = await session.scalar(select(RollupCursor.position).where(RollupCursor.name == CURSOR))
    return int(found or 0)


async def move_cursor(session: AsyncSession, position: int) -> None:
    found = await session.get(RollupCursor, CURSOR)
    if found is None:
        session.add(RollupCursor(name=CURSOR, position=position))
    else:
        found.position = position


async def unjudged(session: AsyncSession, organization_id: str, after: int) -> Sequence[Change]:
    """The organization's changes the job has not judged yet: after its cursor, or not yet
    given a position by the sequencer (committed, but not yet in the log's order)."""
    statement = select(
        Event.organization_id, Event.station_id, Event.type, Event.occurred_at, Event.data
    ).where(
        owned_by(Event, organization_id),
        Event.type.in_(CHANGE_TYPES),
        or_(Event.position > after, Event.position.is_(None)),
    )
    return (await session.execute(statement)).all()


@across_organizations(ACROSS_ORGANIZATIONS)
async def changes_after(
    session: AsyncSession, after: int, upto: int, limit: int
) -> tuple[Sequence[Change], int]:
    """The changes in (after, upto] in log order, at most `limit`, and the position read to."""
    statement = (
        select(
            Event.organization_id,
            Event.station_id,
            Event.type,
            Event.occurred_at,
            Event.data,
            Event.position,
        )
        .where(Event.position > after, Event.position <= upto, Event.type.in_(CHANGE_TYPES))
        .order_by(Event.position)
        .limit(limit)
    )
    rows = (await session.execute(statement)).all()
    reached = rows[-1][5] if len(rows) == limit else upto
    return [row[:5] for row in rows], int(reached or upto)  # type: ignore[misc]


async def forget(
    session: AsyncSession, organization_id: str, station_id: str | None, since: date | None
) -> None:
    """Delete the rows a change made stale: a station's from a day on, or (`station_id` None)
    the organization's; `since` None: every day."""
    statement = delete(UtilisationDay).where(owned_by(UtilisationDay, organization_id))
    if station_id is not None:
        statement = statement.where(UtilisationDay.station_id == station_id)
    if since is not None:
        statement = statement.where(UtilisationDay.day >= since)
    await session.execute(statement)


async def filled_by_day(
    session: AsyncSession, organization_id: str, first: date, last: date
) -> dict[date, set[str]]:
    """The stations whose day is rolled up, by day, for the days in [first, last]."""
    statement = select(UtilisationDay.day, UtilisationDay.station_id).where(
        owned_by(UtilisationDay, organization_id),
        UtilisationDay.evse_id == UNIT[0],
        UtilisationDay.connector_id == UNIT[1],
        UtilisationDay.day.between(first, last),
    )
    found: dict[date, set[str]] = {}
    for day, station in (await session.execute(statement)).all():
        found.setdefault(day, set()).add(station)
    return found


async def counted_days(
    session: AsyncSession, organization_id: str, stations: Collection[str], first: date
) -> int:
    """How many days of these stations are rolled up since `first` (a cheap test of whether a
    pass has anything to fill)."""
    statement = select(func.count()).where(
        owned_by(UtilisationDay, organization_id),
        UtilisationDay.station_id.in_(list(stations)),
        UtilisationDay.evse_id == UNIT[0],
        UtilisationDay.connector_id == UNIT[1],
        UtilisationDay.day >= first,
    )
    return int(await session.scalar(statement) or 0)


async def forget_day(
    session: AsyncSession, organization_id: str, station_id: str, day: date
) -> None:
    await session.execute(
        delete(UtilisationDay).where(
            owned_by(UtilisationDay, organization_id),
            UtilisationDay.station_id == station_id,
            UtilisationDay.day == day,
        )
    )


@across_organizations(ACROSS_ORGANIZATIONS)
async def in_service(session: AsyncSession) -> dict[str, dict[str, datetime]]:
    """Every organization's stations in service (those KPIs count), with their registration."""
    statement = select(Station.organization_id, Station.id, Station.created_at).where(
        Station.deploy_state == DeployState.PRODUCTION.value
    )
    found: dict[str, dict[str, datetime]] = defaultdict(dict)
    for organization_id, station, registered in (await session.execute(statement)).all():
        found[organization_id][station] = registered
    return dict(found)


def store(session: AsyncSession, rows: Sequence[UtilisationDay]) -> None:
    session.add_all(rows)
