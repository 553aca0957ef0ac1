"""All SQL behind a circuit's load history (`load_history.py` sweeps it): the stations on a
circuit's sub-tree, their sessions, power readings and the profiles they accepted, newest first
and bounded. Every statement is scoped to one organization."""

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Select, and_, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from chargeyard.circuits.repository import CircuitRepository
from chargeyard.load_management.circuit_load import (
    LimitAccepted,
    PowerReading,
)
from chargeyard.load_management.domain import DeliveryStatus
from chargeyard.load_management.models import ProfileDeliveryRow
from chargeyard.stations.models import Station
from chargeyard.storage.repository import owned_by
from chargeyard.transactions.domain import POWER
from chargeyard.transactions.models import MeterValue, Transaction

MAX_SESSIONS = 2_000
MAX_ROWS = 20_000
"""A span with more sessions, readings or profiles than these keeps the newest (and says so)."""


class LoadHistoryReads:
    def __init__(self, session: AsyncSession, organization_id: str) -> None:
        self.session = session
        self.organization_id = organization_id
        self.circuits = CircuitRepository(session, organization_id)

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
