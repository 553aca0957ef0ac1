"""All SQL of reports. The pages of the report kinds that have no export query in their own
package (meter values, OCPP messages, CDRs and the stations an uptime report walks), each a
keyset page (`columns` of the next `limit` rows after a key, in key order) scoped to one
organization; and the asynchronous requests. The builder's lookups (`next_queued`, `running`,
`still_running`) are unscoped on purpose: one builder in the cluster serves every organization's
queue."""

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Row, and_, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from chargeyard.cdrs.models import Cdr
from chargeyard.locations.repository import LocationRepository
from chargeyard.message_log.models import LoggedMessage
from chargeyard.reports.domain import ReportStatus
from chargeyard.reports.models import ReportRequest
from chargeyard.stations.models import Station
from chargeyard.storage.cross_organization import across_organizations
from chargeyard.storage.repository import (
    Page,
    PageResult,
    ScopedRepository,
    matching,
    owned_by,
    within,
)
from chargeyard.transactions.models import MeterValue

ACROSS_ORGANIZATIONS = (
    "the report builder (one in the cluster) serves every organization's requests in turn"
)


class ReportRepository:
    def __init__(self, session: AsyncSession, organization_id: str) -> None:
        self.session = session
        self.organization_id = organization_id

    async def meter_values_page(
        self,
        after_id: int,
        limit: int,
        columns: Sequence[str],
        *,
        station_id: str | None = None,
        transaction_id: int | None = None,
        evse_id: int | None = None,
        measurand: str | None = None,
        since: datetime | None = None,
        until: datetime | None = None,
    ) -> Sequence[Row[Any]]:
        """In the order stored; `since`/`until` select by the sample's timestamp."""
        statement = matching(
            select(*(getattr(MeterValue, name) for name in columns)).where(
                owned_by(MeterValue, self.organization_id), MeterValue.id > after_id
            ),
            (MeterValue.station_id, station_id),
            (MeterValue.transaction_id, transaction_id),
            (MeterValue.evse_id, evse_id),
            (MeterValue.measurand, measurand),
        )
        statement = within(statement, MeterValue.timestamp, since, until)
        rows: Sequence[Row[Any]] = (
            await self.session.execute(statement.order_by(MeterValue.id).limit(limit))
        ).all()
        return rows

    async def messages_page(
        self,
        after_id: int,
        limit: int,
        columns: Sequence[str],
        *,
        station_id: str | None = None,
        direction: str | None = None,
        action: str | None = None,
        unique_id: str | None = None,
        since: datetime | None = None,
        until: datetime | None = None,
    ) -> Sequence[Row[Any]]:
        """In the order logged (frames are stored with station passwords already masked)."""
        statement = matching(
            select(*(getattr(LoggedMessage, name) for name in columns)).where(
                owned_by(LoggedMessage, self.organization_id),
                LoggedMessage.id > after_id,
            ),
            (LoggedMessage.station_id, station_id),
            (LoggedMessage.direction, direction),
            (LoggedMessage.action, action),
            (LoggedMessage.unique_id, unique_id),
        )
        statement = within(statement, LoggedMessage.logged_at, since, until)
        statement = statement.order_by(LoggedMessage.id).limit(limit)
        rows: Sequence[Row[Any]] = (await self.session.execute(statement)).all()
        return rows

    async def cdrs_page(
        self,
        after: tuple[datetime, str] | None,
        limit: int,
        columns: Sequence[str],
        *,
        transaction_id: int | None = None,
        station_id: str | None = None,
        id_tag: str | None = None,
        driver_id: str | None = None,
        credit: bool | None = None,
        since: datetime | None = None,
        until: datetime | None = None,
    ) -> Sequence[Row[Any]]:
        """By creation, oldest first; `since`/`until` select by the session's end, as `/cdrs`."""
        statement = matching(
            select(*(getattr(Cdr, name) for name in columns)).where(
                owned_by(Cdr, self.organization_id)
            ),
            (Cdr.transaction_id, transaction_id),
            (Cdr.station_id, station_id),
            (Cdr.id_tag, id_tag),
            (Cdr.driver_id, driver_id),
            (Cdr.credit, credit),
        )
        statement = within(statement, Cdr.stopped_at, since, until)
        if after is not None:
            created, cdr_id = after
            statement = statement.where(
                or_(Cdr.created_at > created, and_(Cdr.created_at == created, Cdr.id > cdr_id))
            )
        statement = statement.order_by(Cdr.created_at, Cdr.id).limit(limit)
        rows: Sequence[Row[Any]] = (await self.session.execute(statement)).all()
        return rows

    async def station_ids(
        self, after: str | None, limit: int, station_id: str | None, location_id: str | None
    ) -> Sequence[str]:
        """A page of the stations in scope: one, those of a location and every location below
        it, or all."""
        statement = matching(
            select(Station.id).where(owned_by(Station, self.organization_id)),
            (Station.id, station_id),
        )
        if location_id is not None:
            site = LocationRepository(self.session, self.organization_id).subtree_ids(location_id)
            statement = statement.where(Station.location_id.in_(site))
        if after is not None:
            statement = statement.where(Station.id > after)
        found = await self.session.scalars(statement.order_by(Station.id).limit(limit))
        return list(found)


class ReportRequestRepository(ScopedRepository[ReportRequest]):
    model = ReportRequest
    noun = "Report"

    async def search(
        self, page: Page, *, kind: str | None = None, status: str | None = None
    ) -> PageResult[ReportRequest]:
        """Newest first."""
        statement = matching(
            self.query(), (ReportRequest.kind, kind), (ReportRequest.status, status)
        )
        return await self.page(
            statement, page, order_by=(ReportRequest.created_at.desc(), ReportRequest.id)
        )


@across_organizations(ACROSS_ORGANIZATIONS)
async def next_queued(session: AsyncSession) -> ReportRequest | None:
    """The oldest queued request of any organization (the builder serves them all, in turn)."""
    found = await session.scalars(
        select(ReportRequest)
        .where(ReportRequest.status == ReportStatus.QUEUED)
        .order_by(ReportRequest.created_at, ReportRequest.id)
        .limit(1)
        .with_for_update()
    )
    return found.first()


@across_organizations(ACROSS_ORGANIZATIONS)
async def running(session: AsyncSession) -> Sequence[ReportRequest]:
    found = await session.scalars(
        select(ReportRequest).where(ReportRequest.status == ReportStatus.RUNNING).with_for_update()
    )
    return found.all()


@across_organizations(ACROSS_ORGANIZATIONS)
async def still_running(
    session: AsyncSession, request_id: str, attempt: int
) -> ReportRequest | None:
    """The request, if it is still the build `attempt` started (not taken over since)."""
    found = await session.scalars(
        select(ReportRequest)
        .where(
            ReportRequest.id == request_id,
            ReportRequest.status == ReportStatus.RUNNING,
            ReportRequest.attempts == attempt,
        )
        .with_for_update()
    )
    return found.first()
