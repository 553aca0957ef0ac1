"""The SQL only the dashboard needs: the overview's counts, the lists' searches, names for
pages that mention rows by id, and a station's planned maintenance.

Every statement starts from a scoped repository's `query()`, so a page sees exactly what the
REST API shows its caller's organization.
"""

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import Select, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from chargeyard.alerts.domain import AlertStatus
from chargeyard.alerts.models import Alert
from chargeyard.alerts.repository import AlertRepository
from chargeyard.clock import as_utc
from chargeyard.drivers.models import Driver
from chargeyard.drivers.repository import DriverRepository
from chargeyard.locations.models import Location
from chargeyard.locations.repository import LocationRepository
from chargeyard.maintenance_windows.models import MaintenanceWindow
from chargeyard.maintenance_windows.repository import MaintenanceWindowRepository, WindowFilter
from chargeyard.organizations.models import User
from chargeyard.stations.models import Connector, Evse, Station
from chargeyard.stations.repository import StationRepository, in_status
from chargeyard.storage.repository import Page, PageResult, owned_by
from chargeyard.tag_groups.models import TagGroup
from chargeyard.tariff_groups.models import TariffGroup
from chargeyard.tariff_groups.repository import TariffGroupRepository
from chargeyard.tariffs.models import Tariff
from chargeyard.tariffs.repository import TariffRepository
from chargeyard.transactions.models import Transaction
from chargeyard.transactions.repository import TransactionRepository


@dataclass(frozen=True)
class Overview:
    """The network at a glance."""

    online: int
    offline: int
    connectors: dict[str, int] = field(default_factory=dict)
    active_sessions: int = 0
    power_w: float = 0.0
    open_alerts: int = 0


def contains(text: str) -> str:
    """A LIKE pattern that finds `text` anywhere, with LIKE's own characters taken literally."""
    escaped = text.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


class DashboardRepository:
    def __init__(self, session: AsyncSession, organization_id: str) -> None:
        self.session = session
        self.stations = StationRepository(session, organization_id)
        self.transactions = TransactionRepository(session, organization_id)
        self.locations = LocationRepository(session, organization_id)
        self.alerts = AlertRepository(session, organization_id)
        self.drivers = DriverRepository(session, organization_id)
        self.tariffs = TariffRepository(session, organization_id)
        self.tariff_groups = TariffGroupRepository(session, organization_id)
        self.maintenance = MaintenanceWindowRepository(session, organization_id)

    async def overview(self) -> Overview:
        scoped = self.stations.query().subquery()
        rows = await self.session.execute(
            select(scoped.c.connected, func.count()).group_by(scoped.c.connected)
        )
        online: dict[bool, int] = {bool(up): int(n) for up, n in rows.all()}
        by_status = await self.session.execute(
            select(Connector.status, func.count())
            .join(Evse, Connector.evse_pk == Evse.id)
            .join(scoped, Evse.station_id == scoped.c.id)
            .group_by(Connector.status)
        )
        active = self.transactions.query().where(Transaction.stopped_at.is_(None)).subquery()
        sessions, power = (
            await self.session.execute(
                select(func.count(), func.coalesce(func.sum(active.c.last_power_w), 0.0))
            )
        ).one()
        open_alerts = await self.session.scalar(
            select(func.count()).select_from(
                self.alerts.query()
                .where(Alert.status.in_((AlertStatus.TRIGGERED, AlertStatus.ACKNOWLEDGED)))
                .subquery()
            )
        )
        return Overview(
            open_alerts=int(open_alerts or 0),
            online=int(online.get(True, 0)),
            offline=int(online.get(False, 0)),
            connectors={str(status): int(count) for status, count in by_status.all()},
            active_sessions=int(sessions),
            power_w=float(power),
        )

    async def search_stations(
        self,
        page: Page,
        text: str | None,
        connected: bool | None,
        location_id: str | None = None,
        status: str | None = None,
    ) -> PageResult[Station]:
        """Stations whose id or name contains `text`, connected or not, at a location or any
        location below it (the REST API's `location_id`, the same subtree query), in a status
        (the station or any EVSE: the REST API's `status`, the same condition), by id."""
        statement: Select[Any] = self.stations.query()
        if status:
            statement = statement.where(in_status(status))
        if location_id:
            subtree = self.locations.subtree_ids(location_id)
            statement = statement.where(Station.location_id.in_(subtree))
        if text:
            pattern = contains(text)
            statement = statement.where(
                or_(
                    func.lower(Station.id).like(pattern, escape="\\"),
                    func.lower(Station.name).like(pattern, escape="\\"),
                )
            )
        if connected is not None:
            statement = statement.where(Station.connected.is_(connected))
        return await self.stations.page(statement, page, order_by=[Station.id])

    async def search_drivers(
        self, page: Page, text: str | None, status: str | None
    ) -> PageResult[Driver]:
        """Drivers whose name or e-mail contains `text` (case-insensitive), by name."""
        statement: Select[Any] = self.drivers.query()
        if text:
            pattern = contains(text)
            statement = statement.where(
                or_(
                    func.lower(Driver.name).like(pattern, escape="\\"),
                    func.lower(Driver.email).like(pattern, escape="\\"),
                )
            )
        if status:
            statement = statement.where(Driver.status == status)
        return await self.drivers.page(statement, page, order_by=[Driver.name, Driver.id])

    async def search_tariffs(
        self, page: Page, text: str | None, currency: str | None
    ) -> PageResult[Tariff]:
        """Tariffs whose name contains `text` (case-insensitive), by name."""
        statement: Select[Any] = self.tariffs.query()
        if text:
            statement = statement.where(func.lower(Tariff.name).like(contains(text), escape="\\"))
        if currency:
            statement = statement.where(Tariff.currency == currency)
        return await self.tariffs.page(statement, page, order_by=[Tariff.name, Tariff.id])

    async def search_tariff_groups(
        self, page: Page, text: str | None, tariff_id: str | None
    ) -> PageResult[TariffGroup]:
        """Tariff groups whose name contains `text` (case-insensitive), by name."""
        statement: Select[Any] = self.tariff_groups.query()
        if text:
            statement = statement.where(
                func.lower(TariffGroup.name).like(contains(text), escape="\\")
            )
        if tariff_id:
            statement = statement.where(TariffGroup.tariff_id == tariff_id)
        return await self.tariff_groups.page(
            statement, page, order_by=[TariffGroup.name, TariffGroup.id]
        )

    async def locations_with_stations(self) -> list[tuple[Location, int]]:
        """Every location and how many stations hang there directly, by name."""
        counts = (
            select(Station.location_id, func.count().label("stations"))
            .where(owned_by(Station, self.stations.organization_id))
            .group_by(Station.location_id)
            .subquery()
        )
        rows = await self.session.execute(
            self.locations.query()
            .add_columns(func.coalesce(counts.c.stations, 0))
            .outerjoin(counts, counts.c.location_id == Location.id)
            .order_by(Location.name)
            .limit(500)
        )
        return [(location, int(count)) for location, count in rows.all()]

    async def names(
        self,
        model: type[Location] | type[Tariff] | type[Driver] | type[TagGroup],
        ids: Iterable[str | None],
    ) -> dict[str, str]:
        """The name of each of these locations, tariffs, drivers or tag groups the caller may see, by id
        (for lists that name them: one past a form's choices still shows by name)."""
        wanted = {row_id for row_id in ids if row_id}
        if not wanted:
            return {}
        rows = await self.session.execute(
            select(model.id, model.name).where(
                owned_by(model, self.stations.organization_id), model.id.in_(wanted)
            )
        )
        return {row_id: name for row_id, name in rows.all()}

    async def station_counts(self, location_ids: Iterable[str]) -> dict[str, int]:
        """How many of the caller's stations hang directly at each of these locations."""
        wanted = set(location_ids)
        if not wanted:
            return {}
        rows = await self.session.execute(
            select(Station.location_id, func.count())
            .where(owned_by(Station, self.stations.organization_id))
            .where(Station.location_id.in_(wanted))
            .group_by(Station.location_id)
        )
        return {str(location_id): int(count) for location_id, count in rows.all()}

    async def maintenance_of(self, station: Station, now: datetime) -> list[MaintenanceWindow]:
        """The station's maintenance windows in force or ahead, its own and its location's
        (the first 5 of each), in start order."""
        ahead = [WindowFilter(station.id, since=now)]
        if station.location_id is not None:
            ahead.append(WindowFilter(location_id=station.location_id, since=now))
        found: list[MaintenanceWindow] = []
        for where in ahead:
            found += (await self.maintenance.search(where, Page(0, 5), None)).items
        return sorted(found, key=lambda w: (as_utc(w.starts_at), w.id))

    async def user_emails(self, user_ids: Iterable[str]) -> dict[str, str]:
        """The e-mail of each of these users of the organization (for lists that name them)."""
        wanted = set(user_ids)
        if not wanted:
            return {}
        rows = await self.session.execute(
            select(User.id, User.email).where(
                owned_by(User, self.stations.organization_id), User.id.in_(wanted)
            )
        )
        return {user_id: email for user_id, email in rows.all()}
