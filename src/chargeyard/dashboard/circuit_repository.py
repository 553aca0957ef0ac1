"""What the smart charging pages read about circuits: the list's figures, and a circuit's
sessions, power readings and accepted limits over a window.

Every statement is scoped to one organization, as the REST API's `/circuits` and
`/smart-charging/*` are.
"""

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Select, and_, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from chargeyard.dashboard.circuit_load import LimitAccepted, PowerReading, SessionSpan
from chargeyard.dashboard.domain import POWER, CircuitFigures
from chargeyard.dashboard.repository import contains
from chargeyard.load_management.domain import DeliveryStatus
from chargeyard.load_management.models import AllocationRow, CircuitRow, ProfileDeliveryRow
from chargeyard.load_management.repository import CircuitRepository
from chargeyard.stations.models import Station
from chargeyard.storage.repository import Page, PageResult, owned_by, paginate
from chargeyard.transactions.models import MeterValue, Transaction

MAX_SESSIONS = 2_000
MAX_ROWS = 20_000
"""A span with more sessions, readings or profiles than these keeps the newest (and says so)."""


class CircuitReads:
    def __init__(self, session: AsyncSession, organization_id: str) -> None:
        self.session = session
        self.organization_id = organization_id
        self.circuits = CircuitRepository(session, organization_id)

    async def search(self, page: Page, text: str | None) -> PageResult[CircuitRow]:
        statement: Select[Any] = self.circuits.query()
        if text:
            statement = statement.where(
                func.lower(CircuitRow.name).like(contains(text), escape="\\")
            )
        return await self.circuits.page(statement, page, order_by=[CircuitRow.name, CircuitRow.id])

    async def tree(self) -> dict[str, tuple[str | None, str]]:
        """Every circuit of the organization: its parent and its name, without the rows."""
        rows = await self.session.execute(
            select(CircuitRow.id, CircuitRow.parent_id, CircuitRow.name).where(
                CircuitRow.organization_id == self.organization_id
            )
        )
        return {circuit_id: (parent_id, name) for circuit_id, parent_id, name in rows.all()}

    async def direct_figures(self) -> dict[str, CircuitFigures]:
        """Per circuit: stations hung on it directly, their active sessions, and the sum of
        those sessions' last power readings (W)."""
        stations = await self.session.execute(
            select(Station.circuit_id, func.count())
            .where(owned_by(Station, self.organization_id), Station.circuit_id.is_not(None))
            .group_by(Station.circuit_id)
        )
        figures = {str(cid): CircuitFigures(stations=int(n)) for cid, n in stations.all()}
        active = await self.session.execute(
            select(
                Station.circuit_id,
                func.count(),
                func.coalesce(func.sum(Transaction.last_power_w), 0.0),
            )
            .join(Station, Station.id == Transaction.station_id)
            .where(
                owned_by(Transaction, self.organization_id),
                Transaction.stopped_at.is_(None),
                Station.circuit_id.is_not(None),
            )
            .group_by(Station.circuit_id)
        )
        for cid, sessions, power in active.all():
            count = figures.get(str(cid), CircuitFigures()).stations
            figures[str(cid)] = CircuitFigures(count, int(sessions), float(power or 0.0))
        return figures

    async def own_stations(self, circuit_id: str, count: int) -> PageResult[Station]:
        """The stations hung on this circuit itself (not below it), by id."""
        statement = select(Station).where(
            owned_by(Station, self.organization_id), Station.circuit_id == circuit_id
        )
        return await paginate(self.session, statement, Page(0, count), order_by=[Station.id])

    def station_ids(self, circuit_ids: Sequence[str]) -> Select[Any]:
        """The ids of the stations hung on these circuits, as a subquery (a circuit may hold
        thousands: they are never loaded)."""
        return select(Station.id).where(
            owned_by(Station, self.organization_id),
            Station.circuit_id.in_(circuit_ids),
        )

    async def station_count(self, circuit_ids: Sequence[str]) -> int:
        found = await self.session.scalar(
            select(func.count()).select_from(self.station_ids(circuit_ids).subquery())
        )
        return int(found or 0)

    async def sessions(
        self, circuit_ids: Sequence[str], since: datetime, until: datetime
    ) -> Sequence[Transaction]:
        """Sessions on these stations that ran at some time in the window, newest first."""
        return (
            await self.session.scalars(
                select(Transaction)
                .where(
                    owned_by(Transaction, self.organization_id),
                    Transaction.station_id.in_(self.station_ids(circuit_ids)),
                    Transaction.started_at <= until,
                    or_(Transaction.stopped_at.is_(None), Transaction.stopped_at > since),
                )
                .order_by(Transaction.started_at.desc(), Transaction.id.desc())
                .limit(MAX_SESSIONS)
            )
        ).all()

    async def readings(
        self, transaction_ids: Sequence[int], since: datetime, until: datetime
    ) -> list[PowerReading]:
        """Each session's power readings in the window, and its last one before it, in kW
        (OCPP's default unit is W; "kW" says otherwise)."""
        power = and_(
            owned_by(MeterValue, self.organization_id),
            MeterValue.transaction_id.in_(transaction_ids),
            MeterValue.measurand == POWER,
            MeterValue.phase.is_(None),
            MeterValue.numeric_value.is_not(None),
        )
        before = (
            select(func.max(MeterValue.id))
            .where(power, MeterValue.timestamp <= since)
            .group_by(MeterValue.transaction_id)
        )
        rows = await self.session.execute(
            select(
                MeterValue.transaction_id,
                MeterValue.timestamp,
                MeterValue.numeric_value,
                MeterValue.unit,
            )
            .where(
                power,
                or_(
                    and_(MeterValue.timestamp > since, MeterValue.timestamp <= until),
                    MeterValue.id.in_(before),
                ),
            )
            .order_by(MeterValue.timestamp.desc(), MeterValue.id.desc())
            .limit(MAX_ROWS)
        )
        return [
            PowerReading(
                int(tx or 0), at, (value or 0.0) / (1 if unit and unit[:1] in "kK" else 1000)
            )
            for tx, at, value, unit in reversed(rows.all())
        ]

    async def accepted(
        self, circuit_ids: Sequence[str], since: datetime, until: datetime
    ) -> list[LimitAccepted]:
        """Profiles smart charging put in force at these stations in the window, and the last
        one before it of each EVSE and purpose."""
        delivered = and_(
            owned_by(ProfileDeliveryRow, self.organization_id),
            ProfileDeliveryRow.station_id.in_(self.station_ids(circuit_ids)),
            ProfileDeliveryRow.status == DeliveryStatus.DELIVERED.value,
        )
        before = (
            select(func.max(ProfileDeliveryRow.id))
            .where(delivered, ProfileDeliveryRow.sent_at <= since)
            .group_by(
                ProfileDeliveryRow.station_id,
                ProfileDeliveryRow.evse_id,
                ProfileDeliveryRow.purpose,
            )
        )
        rows = await self.session.scalars(
            select(ProfileDeliveryRow)
            .where(
                delivered,
                or_(
                    and_(ProfileDeliveryRow.sent_at > since, ProfileDeliveryRow.sent_at <= until),
                    ProfileDeliveryRow.id.in_(before),
                ),
            )
            .order_by(ProfileDeliveryRow.sent_at.desc(), ProfileDeliveryRow.id.desc())
            .limit(MAX_ROWS)
        )
        return [
            LimitAccepted(
                r.station_id, r.evse_id, r.transaction_id, r.purpose, r.sent_at, r.limit_kw
            )
            for r in reversed(rows.all())
        ]

    async def recent_profiles(
        self, circuit_ids: Sequence[str], count: int
    ) -> Sequence[ProfileDeliveryRow]:
        """The newest profiles smart charging sent to these circuits' stations, whatever the
        station answered (`/api/v1/smart-charging/profiles`)."""
        return (
            await self.session.scalars(
                select(ProfileDeliveryRow)
                .where(
                    owned_by(ProfileDeliveryRow, self.organization_id),
                    ProfileDeliveryRow.station_id.in_(self.station_ids(circuit_ids)),
                )
                .order_by(ProfileDeliveryRow.sent_at.desc(), ProfileDeliveryRow.id.desc())
                .limit(count)
            )
        ).all()

    async def latest_allocations(self, transaction_ids: Sequence[int]) -> dict[int, AllocationRow]:
        """Each session's newest allocation (the control step's result for it)."""
        newest = (
            select(func.max(AllocationRow.id))
            .where(
                owned_by(AllocationRow, self.organization_id),
                AllocationRow.transaction_id.in_(transaction_ids),
            )
            .group_by(AllocationRow.transaction_id)
        )
        rows = await self.session.scalars(select(AllocationRow).where(AllocationRow.id.in_(newest)))
        return {int(r.transaction_id): r for r in rows if r.transaction_id is not None}


def spans(transactions: Sequence[Transaction]) -> list[SessionSpan]:
    return [
        SessionSpan(tx.id, tx.station_id, tx.evse_id, tx.started_at, tx.stopped_at)
        for tx in transactions
    ]
