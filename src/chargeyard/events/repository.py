"""All SQL about the event log: filtered pages, sequencing, and the rows after a reader's position.

A reader that follows the log (the live stream, the webhook fan-out, the smart-charging tail)
reads events in `position` order, which the sequencer (`sequencer.py`) assigns in commit order
(see `models.py`); an event without a position yet is not shown to readers.
"""

import json
from collections.abc import Callable, Sequence
from typing import Any, Literal, cast

from sqlalchemy import (
    ColumnElement,
    Select,
    Table,
    Text,
    bindparam,
    exists,
    func,
    or_,
    select,
    text,
    type_coerce,
    update,
)
from sqlalchemy.ext.asyncio import AsyncSession

from chargeyard.events.domain import EventFilter, RecordedEvent, like_pattern
from chargeyard.events.models import Event
from chargeyard.storage.cross_organization import across_organizations
from chargeyard.storage.repository import (
    Page,
    PageResult,
    ScopedRepository,
    owned_by,
    whole_organization,
)
from chargeyard.webhooks.models import WebhookSubscription

ACROSS_ORGANIZATIONS = (
    "the event sequencer (one in the cluster) numbers every organization's events in one order"
)

Order = Literal["asc", "desc"]
UNSEQUENCED = Event.position.is_(None)

SEQUENCER_LOCK = 0x63795F736571  # any constant of our own: the sequencer's advisory lock key
TRY_LOCK = text("SELECT pg_try_advisory_xact_lock(:key)").bindparams(key=SEQUENCER_LOCK)
WAIT_LOCK = text("SELECT pg_advisory_xact_lock(:key)").bindparams(key=SEQUENCER_LOCK)


async def lock_sequencing(session: AsyncSession) -> bool:
    """PostgreSQL only: take the sequencer's transaction lock, False when another sequencer
    holds it (it will number the same events). SQLite's single writer needs no lock."""
    return bool(await session.scalar(TRY_LOCK))


async def hold_sequencing(session: AsyncSession) -> None:
    """Wait for a sequencing batch in flight and keep the next one out until this transaction
    ends (PostgreSQL; on SQLite the single writer already serialises the two). Taken by what
    changes which organizations have an enabled webhook subscription, since a batch decides from
    that which events it marks fanned out (see `sequence`)."""
    if session.get_bind().dialect.name == "postgresql":
        await session.execute(WAIT_LOCK)


@across_organizations(ACROSS_ORGANIZATIONS)
def sequenced_after(position: int) -> Select[Event]:
    """Events past `position`, in position order (add filters and a limit)."""
    return select(Event).where(Event.position > position).order_by(Event.position)


_EVENTS = cast(Table, Event.__table__).c
_TAILED = (
    select(
        _EVENTS.position,
        _EVENTS.id,
        _EVENTS.organization_id,
        _EVENTS.type,
        _EVENTS.occurred_at,
        _EVENTS.station_id,
        _EVENTS.transaction_id,
        type_coerce(_EVENTS.data, Text),  # the stored JSON text: decoded only when wanted
    )
    .where(
        _EVENTS.position > bindparam("position"),
        _EVENTS.organization_id.in_(bindparam("organization_ids", expanding=True)),
    )
    .order_by(_EVENTS.position)
    .limit(bindparam("limit"))
)


async def recorded_after(
    session: AsyncSession,
    position: int,
    organization_ids: Sequence[str],
    *,
    limit: int,
    wanted: Callable[[str], bool],
) -> tuple[list[RecordedEvent], int | None]:
    """The organizations' events past `position`, in position order, those of a type `wanted`
    accepts as `RecordedEvent`s, and the position of the last event read (None if none was):
    a reader resumes after it, past the events it did not want as well.

    Plain rows, and `data` decoded only for the wanted events: the smart-charging tail reads
    every event of the organizations it controls (a MeterValues message records two), and
    building an ORM object and parsing the JSON of each cost the server about as much as a
    message's own statements."""
    rows = (
        await session.execute(
            _TAILED,
            {"position": position, "organization_ids": list(organization_ids), "limit": limit},
        )
    ).all()
    events = [
        RecordedEvent(
            id, organization_id, kind, occurred_at, station_id, transaction_id, _decoded(data)
        )
        for _, id, organization_id, kind, occurred_at, station_id, transaction_id, data in rows
        if wanted(kind)
    ]
    return events, (rows[-1][0] if rows else None)


def _decoded(data: str | dict[str, Any]) -> dict[str, Any]:
    """The JSON column's value as the `JSON` type reads it (the drivers we use hand its text)."""
    return data if isinstance(data, dict) else cast(dict[str, Any], json.loads(data))


@across_organizations(ACROSS_ORGANIZATIONS)
async def last_position(session: AsyncSession) -> int:
    return int(await session.scalar(select(func.max(Event.position))) or 0)


@across_organizations(ACROSS_ORGANIZATIONS)
async def has_unsequenced(session: AsyncSession) -> bool:
    return bool(await session.scalar(select(exists().where(UNSEQUENCED))))


@across_organizations(ACROSS_ORGANIZATIONS)
async def sequence(session: AsyncSession, limit: int) -> int:
    """Give the committed events that have none the next positions, in `seq` order; answers how
    many. Callers serialise this (one sequencer in the cluster, see `sequencer.py`).

    One statement: the positions are numbered by the database (`row_number` over `seq`, after
    the largest position given), not read out and written back row by row.

    The same statement marks fanned out the events of organizations with no enabled webhook
    subscription: nothing is owed for them (a subscription receives the events sequenced after
    its creation, `after_seq`), so the webhook fan-out never reads or marks them. A subscription
    created or enabled takes `hold_sequencing` first, so no batch decides on a stale list."""
    events = cast(Table, Event.__table__)
    start = select(func.coalesce(func.max(events.c.position), 0)).scalar_subquery()
    numbered = (
        select(
            events.c.seq,
            (start + func.row_number().over(order_by=events.c.seq)).label("position"),
        )
        .where(events.c.position.is_(None))
        .order_by(events.c.seq)
        .limit(limit)
        .subquery()
    )
    result = await session.execute(
        update(events)
        .where(events.c.seq == numbered.c.seq)
        .values(position=numbered.c.position, fanned_out=~_subscribed(events.c.organization_id))
    )
    return int(getattr(result, "rowcount", 0) or 0)


def _subscribed(organization_id: ColumnElement[str]) -> ColumnElement[bool]:
    """The organization has an enabled webhook subscription (its events are fanned out)."""
    return exists().where(
        WebhookSubscription.organization_id == organization_id,
        WebhookSubscription.enabled.is_(True),
    )


class EventRepository(ScopedRepository[Event]):
    model = Event
    noun = "Event"

    def conditions(self, where: EventFilter) -> list[ColumnElement[bool]]:
        found: list[ColumnElement[bool]] = []
        if where.types:
            found.append(or_(*(Event.type.like(like_pattern(p), escape="\\") for p in where.types)))
        if where.station_id is not None:
            found.append(Event.station_id == where.station_id)
        if where.transaction_id is not None:
            found.append(Event.transaction_id == where.transaction_id)
        if where.since is not None:
            found.append(Event.occurred_at >= where.since)
        if where.until is not None:
            found.append(Event.occurred_at < where.until)
        return found

    async def search(self, where: EventFilter, page: Page, order: Order) -> PageResult[Event]:
        key = Event.seq.asc() if order == "asc" else Event.seq.desc()
        return await self.page(self.query().where(*self.conditions(where)), page, order_by=[key])

    async def after(self, position: int, where: EventFilter, limit: int = 500) -> Sequence[Event]:
        """The organization's events after `position`, in commit order (what a stream sends
        next)."""
        statement = (
            sequenced_after(position)
            .where(owned_by(Event, self.organization_id), *self.conditions(where))
            .limit(limit)
        )
        return (await self.session.execute(statement)).scalars().all()

    async def committed_unsequenced(self) -> frozenset[int]:
        """`seq` of the organization's events committed but not yet given a position."""
        statement = select(Event.seq).where(
            whole_organization(Event, self.organization_id), Event.position.is_(None)
        )
        return frozenset(await self.session.scalars(statement))

    async def last_position(self) -> int:
        """Where a new reader starts: after the organization's last sequenced event (one not yet
        sequenced, committed or not, will come after it)."""
        statement = select(func.max(Event.position)).where(
            whole_organization(Event, self.organization_id)
        )
        return int(await self.session.scalar(statement) or 0)
