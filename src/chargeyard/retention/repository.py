"""All SQL of retention: the purges, which cross every organization, and the scoped rollup reads.

The purges are maintenance over whole tables, like the event sequencer: they see every tenant's
rows, delete by age alone and never return a row to a caller. Each statement touches at most one
batch, selected by primary key, so a pass holds the writer briefly and stations keep being
served between batches.
"""

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, and_, delete, exists, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from chargeyard.events.models import Event
from chargeyard.kpis.repository import CONNECTIVITY_TYPES
from chargeyard.message_log.models import LoggedMessage
from chargeyard.retention.domain import Aggregate, RollupKey, Sample
from chargeyard.retention.models import MeterValueRollup
from chargeyard.storage.cross_organization import across_organizations
from chargeyard.storage.repository import Page, PageResult, ScopedRepository, matching, within
from chargeyard.transactions.models import MeterValue, Transaction
from chargeyard.webhooks.domain import DeliveryStatus
from chargeyard.webhooks.models import WebhookAttempt, WebhookDelivery

ACROSS_ORGANIZATIONS = (
    "the retention job (one in the cluster) purges and folds every organization's old rows"
)

_KEY_COLUMNS = (
    MeterValueRollup.organization_id,
    MeterValueRollup.station_id,
    MeterValueRollup.evse_id,
    MeterValueRollup.connector_id,
    MeterValueRollup.transaction_id,
    MeterValueRollup.measurand,
    MeterValueRollup.phase,
    MeterValueRollup.location,
    MeterValueRollup.unit,
    MeterValueRollup.hour,
)


async def _ids(
    session: AsyncSession, column: Any, *where: ColumnElement[bool], limit: int
) -> list[int]:
    found = await session.scalars(select(column).where(*where).order_by(column).limit(limit))
    return list(found)


async def _delete_ids(session: AsyncSession, column: Any, ids: Sequence[int]) -> int:
    if ids:
        await session.execute(delete(column.class_).where(column.in_(ids)))
    return len(ids)


async def count(session: AsyncSession, column: Any, *where: ColumnElement[bool]) -> int:
    """How many rows a purge would delete (for dry runs)."""
    return int(await session.scalar(select(func.count(column)).where(*where)) or 0)


# --- the message log --------------------------------------------------------------------------


def old_messages(cutoff: datetime) -> tuple[Any, ColumnElement[bool]]:
    return LoggedMessage.id, LoggedMessage.logged_at < cutoff


async def purge_messages(session: AsyncSession, cutoff: datetime, limit: int) -> int:
    column, where = old_messages(cutoff)
    return await _delete_ids(session, column, await _ids(session, column, where, limit=limit))


# --- events -----------------------------------------------------------------------------------


# Events that are history as well as news: connectivity KPIs are computed from them over any
# period, so they are kept for ever like the status history.
KEPT_EVENT_TYPES = CONNECTIVITY_TYPES


@across_organizations(ACROSS_ORGANIZATIONS)
def old_events(cutoff: datetime, last_position: int) -> tuple[Any, ColumnElement[bool]]:
    """Old events every reader is done with: sequenced, fanned out to webhooks, owed to no
    pending delivery (the sender reads the event to build its body), and never the newest
    sequenced one (the sequencer numbers on from the highest position left). Connectivity
    events are never old (`KEPT_EVENT_TYPES`)."""
    owed = exists().where(
        WebhookDelivery.event_seq == Event.seq, WebhookDelivery.status == DeliveryStatus.PENDING
    )
    return Event.seq, and_(
        Event.occurred_at < cutoff,
        Event.position.is_not(None),
        Event.position < last_position,
        Event.fanned_out.is_(True),
        Event.type.not_in(KEPT_EVENT_TYPES),
        ~owed,
    )


@across_organizations(ACROSS_ORGANIZATIONS)
async def last_event_position(session: AsyncSession) -> int:
    return int(await session.scalar(select(func.max(Event.position))) or 0)


async def purge_events(session: AsyncSession, cutoff: datetime, limit: int) -> int:
    column, where = old_events(cutoff, await last_event_position(session))
    return await _delete_ids(session, column, await _ids(session, column, where, limit=limit))


# --- webhook deliveries -----------------------------------------------------------------------


def old_deliveries(cutoff: datetime) -> tuple[Any, ColumnElement[bool]]:
    """Deliveries that ended (delivered or given up) before the cut-off; pending ones stay."""
    return WebhookDelivery.id, and_(
        WebhookDelivery.status != DeliveryStatus.PENDING, WebhookDelivery.completed_at < cutoff
    )


def old_attempts(cutoff: datetime) -> tuple[Any, ColumnElement[bool]]:
    return WebhookAttempt.id, WebhookAttempt.attempted_at < cutoff


async def purge_deliveries(session: AsyncSession, cutoff: datetime, limit: int) -> int:
    column, where = old_deliveries(cutoff)
    return await _delete_ids(session, column, await _ids(session, column, where, limit=limit))


async def purge_attempts(session: AsyncSession, cutoff: datetime, limit: int) -> int:
    column, where = old_attempts(cutoff)
    return await _delete_ids(session, column, await _ids(session, column, where, limit=limit))


# --- meter values -----------------------------------------------------------------------------


@across_organizations(ACROSS_ORGANIZATIONS)
def old_meter_values(cutoff: datetime) -> tuple[Any, ColumnElement[bool]]:
    """Raw samples older than the cut-off, except those of a session still open: a session is
    costed and checked from its full samples until it ends."""
    open_session = exists().where(
        Transaction.id == MeterValue.transaction_id, Transaction.stopped_at.is_(None)
    )
    return MeterValue.id, and_(
        MeterValue.timestamp < cutoff,
        or_(MeterValue.transaction_id.is_(None), ~open_session),
    )


async def old_samples(
    session: AsyncSession, cutoff: datetime, limit: int
) -> list[tuple[int, Sample]]:
    column, where = old_meter_values(cutoff)
    rows = await session.execute(
        select(
            MeterValue.id,
            MeterValue.organization_id,
            MeterValue.station_id,
            MeterValue.evse_id,
            MeterValue.connector_id,
            MeterValue.transaction_id,
            MeterValue.measurand,
            MeterValue.phase,
            MeterValue.location,
            MeterValue.unit,
            MeterValue.timestamp,
            MeterValue.numeric_value.label("number"),
        )
        .where(where)
        .order_by(column)
        .limit(limit)
    )
    found = []
    for row in rows.mappings():
        fields = dict(row)
        found.append((int(fields.pop("id")), Sample(**fields)))
    return found


async def delete_meter_values(session: AsyncSession, ids: Sequence[int]) -> int:
    return await _delete_ids(session, MeterValue.id, ids)


@across_organizations(ACROSS_ORGANIZATIONS)
async def merge_rollups(session: AsyncSession, folded: dict[RollupKey, Aggregate]) -> int:
    """Add the aggregates to the stored rollups of the same series and hour (or store them).
    Callers serialise this (one retention job in the cluster), so read-then-write is safe."""
    if not folded:
        return 0
    stations = {key.station_id for key in folded}
    hours = {key.hour for key in folded}
    stored = await session.scalars(
        select(MeterValueRollup).where(
            MeterValueRollup.station_id.in_(stations), MeterValueRollup.hour.in_(hours)
        )
    )
    by_key = {_key_of(row): row for row in stored}
    for key, aggregate in folded.items():
        row = by_key.get(key)
        if row is None:
            session.add(MeterValueRollup(**_key_fields(key), **_aggregate_fields(aggregate)))
        else:
            merged = _aggregate_of(row).merge(aggregate)
            for name, value in _aggregate_fields(merged).items():
                setattr(row, name, value)
    await session.flush()
    return len(folded)


def _key_of(row: MeterValueRollup) -> RollupKey:
    return RollupKey(*(getattr(row, column.key) for column in _KEY_COLUMNS))


def _key_fields(key: RollupKey) -> dict[str, Any]:
    return {column.key: getattr(key, column.key) for column in _KEY_COLUMNS}


def _aggregate_of(row: MeterValueRollup) -> Aggregate:
    return Aggregate(
        count=row.count,
        numeric_count=row.numeric_count,
        total=row.total,
        minimum=row.minimum,
        maximum=row.maximum,
        first_at=row.first_at,
        first_value=row.first_value,
        last_at=row.last_at,
        last_value=row.last_value,
    )


def _aggregate_fields(aggregate: Aggregate) -> dict[str, Any]:
    return {
        "count": aggregate.count,
        "numeric_count": aggregate.numeric_count,
        "total": aggregate.total,
        "minimum": aggregate.minimum,
        "maximum": aggregate.maximum,
        "first_at": aggregate.first_at,
        "first_value": aggregate.first_value,
        "last_at": aggregate.last_at,
        "last_value": aggregate.last_value,
    }


class RollupRepository(ScopedRepository[MeterValueRollup]):
    """An organization's hourly rollups, for the API."""

    model = MeterValueRollup
    noun = "Meter value rollup"

    async def search(
        self,
        page: Page,
        *,
        station_id: str | None = None,
        transaction_id: int | None = None,
        measurand: str | None = None,
        since: datetime | None = None,
        until: datetime | None = None,
    ) -> PageResult[MeterValueRollup]:
        statement = matching(
            self.query(),
            (MeterValueRollup.station_id, station_id),
            (MeterValueRollup.transaction_id, transaction_id),
            (MeterValueRollup.measurand, measurand),
        )
        statement = within(statement, MeterValueRollup.hour, since, until)
        return await self.page(
            statement, page, order_by=(MeterValueRollup.hour, MeterValueRollup.id)
        )
