"""All SQL about reservations."""

from collections.abc import Sequence
from datetime import datetime
from typing import cast

from sqlalchemy import Exists, Select, Table, bindparam, exists, select
from sqlalchemy.ext.asyncio import AsyncSession

from chargeyard.reservations.domain import ACTIVE
from chargeyard.reservations.models import Reservation
from chargeyard.storage.cross_organization import across_organizations
from chargeyard.storage.repository import Page, PageResult, ScopedRepository, matching

_ACTIVE = [s.value for s in ACTIVE]
_COLUMNS = cast(Table, Reservation.__table__).c
# Most connector reports find no reservation: asked first with one prebuilt Core statement,
# which costs a fraction of loading (none) through the ORM.
_ANY_ACTIVE_ON = (
    select(_COLUMNS.id)
    .where(
        _COLUMNS.organization_id == bindparam("organization_id"),
        _COLUMNS.station_id == bindparam("station_id"),
        _COLUMNS.evse_id == bindparam("evse_id"),
        _COLUMNS.status.in_(_ACTIVE),
    )
    .limit(1)
)


def active_on_station_evse() -> Exists:
    """Whether an active reservation holds EVSE `:held_evse_id` of station `:held_station_id`
    (of `:held_organization_id`), for an UPDATE that must not apply when one does (the names
    keep clear of the updated table's columns)."""
    return exists().where(
        _COLUMNS.organization_id == bindparam("held_organization_id"),
        _COLUMNS.station_id == bindparam("held_station_id"),
        _COLUMNS.evse_id == bindparam("held_evse_id"),
        _COLUMNS.status.in_(_ACTIVE),
    )


class ReservationRepository(ScopedRepository[Reservation]):
    model = Reservation
    noun = "Reservation"

    async def search(
        self,
        page: Page,
        *,
        station_id: str | None = None,
        status: str | None = None,
        active: bool | None = None,
        updated_since: datetime | None = None,
    ) -> PageResult[Reservation]:
        statement = matching(
            self.query(), (Reservation.station_id, station_id), (Reservation.status, status)
        )
        if active is not None:
            in_active = Reservation.status.in_(_ACTIVE)
            statement = statement.where(in_active if active else ~in_active)
        return await self.page(
            statement, page, order_by=[Reservation.id.desc()], updated_since=updated_since
        )

    async def active_on(self, station_id: str, evse_id: int) -> Sequence[Reservation]:
        parameters = {
            "organization_id": self.organization_id,
            "station_id": station_id,
            "evse_id": evse_id,
        }
        if (await self.session.execute(_ANY_ACTIVE_ON, parameters)).first() is None:
            return []
        result = await self.session.execute(
            locked(
                self.query().where(
                    Reservation.station_id == station_id,
                    Reservation.evse_id == evse_id,
                    Reservation.status.in_(_ACTIVE),
                )
            )
        )
        return result.scalars().all()

    async def on_station(self, station_id: str, reservation_id: int) -> Reservation | None:
        result = await self.session.execute(
            locked(
                self.query().where(
                    Reservation.station_id == station_id, Reservation.id == reservation_id
                )
            )
        )
        return result.scalars().first()


def locked(statement: Select[Reservation]) -> Select[Reservation]:
    """Reservations a write is about to move (which raises their revision): every writer of a
    reservation is a station's message, a command's outcome or the expiry sweep, and each reads
    the rows locked until its unit of work ends, and afresh, so two take turns instead of the
    second writing over the first from what it read before (a reservation just used expired
    by the sweep). On PostgreSQL a row that no longer matches once its lock is granted (no
    longer active) drops out. In id order, so two lockers never deadlock; SQLite ignores the
    clause, its single writer serialising the units."""
    return (
        statement.order_by(Reservation.id)
        .with_for_update()
        .execution_options(populate_existing=True)
    )


@across_organizations(
    "the reservation expiry sweep is node-wide; each reservation keeps its organization"
)
async def due_reservations(
    session: AsyncSession, now: datetime, *, to_expire: bool = False
) -> Sequence[Reservation]:
    """Every organization's reservations whose time is up (the expiry sweep is node-wide);
    `to_expire`: locked (`locked`), for the sweep's write."""
    statement = select(Reservation).where(
        Reservation.status.in_(_ACTIVE), Reservation.expires_at <= now
    )
    if to_expire:
        statement = locked(statement)
    return (await session.execute(statement)).scalars().all()
