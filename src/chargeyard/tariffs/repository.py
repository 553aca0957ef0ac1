"""All SQL about tariffs, their versions, and where they are assigned."""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import BindParameter, Select, bindparam, func, select, update

from chargeyard.locations.models import Location
from chargeyard.locations.repository import LocationRepository
from chargeyard.stations.models import Evse, Station
from chargeyard.storage.repository import (
    Page,
    PageResult,
    ScopedRepository,
    matching,
    owned_by,
    whole_organization,
)
from chargeyard.tariff_groups.models import TariffGroup
from chargeyard.tariff_groups.repository import any_place
from chargeyard.tariffs.models import Tariff, TariffVersion
from chargeyard.transactions.models import Transaction


@dataclass(frozen=True)
class SessionPlacement:
    """What choosing a starting session's tariff reads about its station, in one statement."""

    station_tariff: str | None
    location_id: str | None
    organization_default: str | None
    evse_tariff: str | None
    has_groups: bool


def _session_placement(*, evse: bool, groups: bool) -> Select[Any]:
    organization_id: BindParameter[str] = bindparam("organization_id")
    default = select(Tariff.id).where(
        whole_organization(Tariff, organization_id), Tariff.is_default.is_(True)
    )
    columns: list[Any] = [
        Station.tariff_id,
        Station.location_id,
        default.limit(1).scalar_subquery(),
    ]
    if evse:
        columns.append(
            select(Evse.tariff_id)
            .where(Evse.station_id == Station.id, Evse.evse_id == bindparam("evse_id"))
            .limit(1)
            .scalar_subquery()
        )
    if groups:
        columns.append(any_place(organization_id))
    return select(*columns).where(
        whole_organization(Station, organization_id), Station.id == bindparam("station_id")
    )


_SESSION_PLACEMENT = {
    (evse, groups): _session_placement(evse=evse, groups=groups)
    for evse in (False, True)
    for groups in (False, True)
}


class TariffRepository(ScopedRepository[Tariff]):
    model = Tariff
    noun = "Tariff"

    async def search(
        self, page: Page, *, currency: str | None = None, updated_since: datetime | None = None
    ) -> PageResult[Tariff]:
        statement = matching(self.query(), (Tariff.currency, currency))
        return await self.page(
            statement, page, order_by=[Tariff.name, Tariff.id], updated_since=updated_since
        )

    async def clear_default(self, keep: str) -> None:
        await self.session.execute(
            update(Tariff)
            .where(owned_by(Tariff, self.organization_id), Tariff.id != keep)
            .values(is_default=False)
        )

    def add_version(self, version: TariffVersion) -> TariffVersion:
        """A tariff's next version: versions are appended, never changed."""
        self.session.add(version)
        return version

    async def versions(self, tariff_id: str) -> Sequence[TariffVersion]:
        result = await self.session.execute(
            select(TariffVersion)
            .where(
                owned_by(TariffVersion, self.organization_id),
                TariffVersion.tariff_id == tariff_id,
            )
            .order_by(TariffVersion.version)
        )
        return result.scalars().all()

    async def version(self, tariff_id: str, version: int) -> TariffVersion | None:
        result = await self.session.execute(
            select(TariffVersion).where(
                owned_by(TariffVersion, self.organization_id),
                TariffVersion.tariff_id == tariff_id,
                TariffVersion.version == version,
            )
        )
        return result.scalars().first()

    async def in_force(self, tariff_id: str, at: datetime) -> TariffVersion | None:
        """The version in force at `at`: the latest that became valid by then, else the first
        (a session replayed from before the tariff existed is priced as it first was)."""
        base = select(TariffVersion).where(
            owned_by(TariffVersion, self.organization_id),
            TariffVersion.tariff_id == tariff_id,
        )
        result = await self.session.execute(
            base.where(TariffVersion.valid_from <= at)
            .order_by(TariffVersion.version.desc())
            .limit(1)
        )
        found = result.scalars().first()
        if found is None:
            result = await self.session.execute(base.order_by(TariffVersion.version).limit(1))
            found = result.scalars().first()
        return found

    async def uses(self, tariff_id: str) -> list[str]:
        """What refers to the tariff, as words for an error message."""
        uses = []
        for model, noun in ((Station, "stations"), (Location, "locations")):
            count = await self.session.scalar(
                select(func.count()).where(
                    whole_organization(model, self.organization_id), model.tariff_id == tariff_id
                )
            )
            if count:
                uses.append(f"{count} {noun}")
        evses = await self.session.scalar(
            select(func.count())
            .select_from(Evse)
            .join(Station, Station.id == Evse.station_id)
            .where(whole_organization(Station, self.organization_id), Evse.tariff_id == tariff_id)
        )
        if evses:
            uses.append(f"{evses} EVSEs")
        groups = await self.session.scalar(
            select(func.count()).where(
                owned_by(TariffGroup, self.organization_id),
                TariffGroup.tariff_id == tariff_id,
            )
        )
        if groups:
            uses.append(f"{groups} tariff groups")
        priced = await self.session.scalar(
            select(func.count()).where(
                whole_organization(Transaction, self.organization_id),
                Transaction.tariff_id == tariff_id,
            )
        )
        if priced:
            uses.append(f"{priced} sessions")
        return uses

    async def station_placement(
        self, station_id: str
    ) -> tuple[str | None, str | None, str | None] | None:
        """(tariff id, location id, the organization's default tariff id) of a station: all
        that choosing its tariff needs but the location chain, in one statement (every
        session start asks)."""
        default = select(Tariff.id).where(
            owned_by(Tariff, self.organization_id), Tariff.is_default.is_(True)
        )
        row = (
            await self.session.execute(
                select(
                    Station.tariff_id, Station.location_id, default.limit(1).scalar_subquery()
                ).where(whole_organization(Station, self.organization_id), Station.id == station_id)
            )
        ).first()
        return None if row is None else (row[0], row[1], row[2])

    async def session_placement(
        self, station_id: str, evse_id: int | None, *, with_groups: bool
    ) -> SessionPlacement | None:
        """`station_placement` for a session's start, in the same one statement (prebuilt:
        every start makes it): with the EVSE's own tariff when `evse_id` is given and, when
        `with_groups`, whether the organization has placed any tariff group at all (only then
        is the group query made)."""
        statement = _SESSION_PLACEMENT[(evse_id is not None, with_groups)]
        parameters = {
            "organization_id": self.organization_id,
            "station_id": station_id,
            "evse_id": evse_id,
        }
        row = (await self.session.execute(statement, parameters)).first()
        if row is None:
            return None
        rest = list(row[3:])
        evse_tariff = rest.pop(0) if evse_id is not None else None
        has_groups = bool(rest.pop(0)) if with_groups else False
        return SessionPlacement(row[0], row[1], row[2], evse_tariff, has_groups)

    async def location_chain(self, location_id: str) -> list[tuple[str, str | None, str]]:
        """(id, tariff id, time zone) of the location and each of its ancestors, nearest
        first."""
        lineage = await LocationRepository(self.session, self.organization_id).lineage(location_id)
        rows = await self.session.execute(
            select(Location.id, Location.parent_id, Location.tariff_id, Location.timezone).where(
                whole_organization(Location, self.organization_id), Location.id.in_(lineage)
            )
        )
        by_id = {row.id: row for row in rows}
        chain: list[tuple[str, str | None, str]] = []
        seen: set[str] = set()
        current: str | None = location_id
        while current is not None and current in by_id and current not in seen:
            seen.add(current)
            row = by_id[current]
            chain.append((row.id, row.tariff_id, row.timezone))
            current = row.parent_id
        return chain
