"""All SQL about maintenance windows: the organization's list, and which stations are in a
window (of one organization or of all, for the alert evaluator), at an instant or over a period;
a location's window covers the stations of its whole subtree (a recursive CTE, which SQLite and
PostgreSQL both run)."""

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import CTE, Select, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from chargeyard.locations.models import Location
from chargeyard.maintenance_windows.domain import Interval
from chargeyard.maintenance_windows.models import MaintenanceWindow
from chargeyard.stations.models import Station
from chargeyard.storage.repository import (
    Page,
    PageResult,
    ScopedRepository,
    matching,
    whole_organization,
)


@dataclass(frozen=True)
class WindowFilter:
    station_id: str | None = None
    location_id: str | None = None
    active_at: datetime | None = None
    since: datetime | None = None
    """Windows that end after it."""
    until: datetime | None = None
    """Windows that start before it."""


class MaintenanceWindowRepository(ScopedRepository[MaintenanceWindow]):
    model = MaintenanceWindow
    noun = "Maintenance window"

    async def search(
        self, where: WindowFilter, page: Page, updated_since: datetime | None
    ) -> PageResult[MaintenanceWindow]:
        statement = matching(
            self.query(),
            (MaintenanceWindow.station_id, where.station_id),
            (MaintenanceWindow.location_id, where.location_id),
        )
        if where.active_at is not None:
            statement = _overlapping(statement, where.active_at, where.active_at, inclusive=True)
        statement = _overlapping(statement, where.since, where.until)
        return await self.page(
            statement,
            page,
            order_by=[MaintenanceWindow.starts_at, MaintenanceWindow.id],
            updated_since=updated_since,
        )


def _overlapping(
    statement: Select[MaintenanceWindow],
    start: datetime | None,
    end: datetime | None,
    *,
    inclusive: bool = False,
) -> Select[MaintenanceWindow]:
    if start is not None:
        statement = statement.where(MaintenanceWindow.ends_at > start)
    if end is not None:
        before = (
            MaintenanceWindow.starts_at <= end if inclusive else MaintenanceWindow.starts_at < end
        )
        statement = statement.where(before)
    return statement


def _covered_locations(start: datetime, end: datetime, organization_id: str | None) -> CTE:
    """Each location window overlapping [start, end], carried down the site tree: one row
    (organization, location, starts_at, ends_at) per location at or below the window's. UNION
    (not UNION ALL) ends the recursion even if a loop ever reached the table."""
    anchor = select(
        MaintenanceWindow.organization_id,
        MaintenanceWindow.location_id,
        MaintenanceWindow.starts_at,
        MaintenanceWindow.ends_at,
    ).where(
        MaintenanceWindow.location_id.is_not(None),
        MaintenanceWindow.starts_at <= end,
        MaintenanceWindow.ends_at > start,
    )
    if organization_id is not None:
        anchor = anchor.where(whole_organization(MaintenanceWindow, organization_id))
    covered = anchor.cte("window_sites", recursive=True)
    child = aliased(Location)
    return covered.union(
        select(covered.c.organization_id, child.id, covered.c.starts_at, covered.c.ends_at).join(
            covered,
            (child.parent_id == covered.c.location_id)
            & (child.organization_id == covered.c.organization_id),
        )
    )


async def planned_windows(
    session: AsyncSession,
    start: datetime,
    end: datetime,
    *,
    organization_id: str | None = None,
    station_ids: Select[Any] | Sequence[str] | None = None,
) -> dict[tuple[str, str], list[Interval]]:
    """The windows overlapping [start, end] of each station, by (organization, station): its
    own, and those of its location and of every location above it in the site tree (a window
    for a site covers its sub-locations). Of one organization, or of all (`None`); of some
    stations (ids, or a subquery of them), or of all."""
    own = select(
        MaintenanceWindow.organization_id,
        MaintenanceWindow.station_id,
        MaintenanceWindow.starts_at,
        MaintenanceWindow.ends_at,
    ).where(
        MaintenanceWindow.station_id.is_not(None),
        MaintenanceWindow.starts_at <= end,
        MaintenanceWindow.ends_at > start,
    )
    if organization_id is not None:
        own = own.where(whole_organization(MaintenanceWindow, organization_id))
    covered = _covered_locations(start, end, organization_id)
    at_location = select(
        covered.c.organization_id, Station.id, covered.c.starts_at, covered.c.ends_at
    ).join(
        Station,
        (Station.location_id == covered.c.location_id)
        & (Station.organization_id == covered.c.organization_id),
    )
    if station_ids is not None:
        own = own.where(MaintenanceWindow.station_id.in_(station_ids))
        at_location = at_location.where(Station.id.in_(station_ids))
    found: dict[tuple[str, str], list[Interval]] = defaultdict(list)
    for statement in (own, at_location):
        for organization, station, starts, ends in (await session.execute(statement)).all():
            found[organization, str(station)].append((starts, ends))
    return dict(found)


async def in_maintenance(
    session: AsyncSession, at: datetime, *, organization_id: str | None = None
) -> set[tuple[str, str]]:
    """(organization, station) of every station in a maintenance window at `at` (of one
    organization, or of all)."""
    return set(await planned_windows(session, at, at, organization_id=organization_id))
