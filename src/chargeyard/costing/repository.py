"""The SQL that gathers a session's evidence: its energy registers and charging states."""

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from chargeyard.stations.models import StatusChange
from chargeyard.storage.repository import owned_by
from chargeyard.transaction_events.models import TransactionEventRecord
from chargeyard.transactions.domain import ENERGY_REGISTER, Sample, register_wh
from chargeyard.transactions.models import MeterValue, Transaction


class EvidenceRepository:
    def __init__(self, session: AsyncSession, organization_id: str) -> None:
        self.session = session
        self.organization_id = organization_id

    async def registers(self, tx: Transaction) -> list[tuple[datetime, int]]:
        """(time, Wh) of every energy register reading of the session."""
        rows = await self.session.execute(
            select(MeterValue.timestamp, MeterValue.value, MeterValue.unit, MeterValue.format)
            .where(
                owned_by(MeterValue, self.organization_id),
                MeterValue.transaction_id == tx.id,
                MeterValue.measurand == ENERGY_REGISTER,
                MeterValue.phase.is_(None),
            )
            .order_by(MeterValue.timestamp)
        )
        found = []
        for at, value, unit, format in rows:
            wh = register_wh(Sample(ENERGY_REGISTER, value, unit, format=format))
            if wh is not None:
                found.append((at, wh))
        return found

    async def statuses(self, tx: Transaction, until: datetime) -> list[tuple[datetime, str | None]]:
        """The connector's reported statuses during the session (1.6) and the charging states
        of its transaction events (2.0.1), with the last status reported before it started."""
        base = select(StatusChange.occurred_at, StatusChange.ocpp_status).where(
            owned_by(StatusChange, self.organization_id),
            StatusChange.station_id == tx.station_id,
            StatusChange.evse_id == tx.evse_id,
        )
        during = await self.session.execute(
            base.where(StatusChange.occurred_at > tx.started_at, StatusChange.occurred_at <= until)
        )
        before = await self.session.execute(
            base.where(StatusChange.occurred_at <= tx.started_at)
            .order_by(StatusChange.occurred_at.desc())
            .limit(1)
        )
        states = await self.session.execute(
            select(TransactionEventRecord.occurred_at, TransactionEventRecord.charging_state).where(
                owned_by(TransactionEventRecord, self.organization_id),
                TransactionEventRecord.transaction_id == tx.id,
                TransactionEventRecord.charging_state.is_not(None),
                TransactionEventRecord.occurred_at <= until,
            )
        )
        changes: list[tuple[datetime, str | None]] = [
            (max(at, tx.started_at), status) for at, status in before
        ]
        changes += [(at, status) for at, status in during]
        changes += [(max(at, tx.started_at), state) for at, state in states]
        return changes
