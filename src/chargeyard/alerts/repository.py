"""All SQL about alerts: the organization's list with filters and sort, rule settings, and the
evaluator's unscoped reads (events after its cursor, stations offline, alerts to resolve)."""

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Literal, Protocol, TypeVar, cast

from sqlalchemy import (
    Row,
    Select,
    Table,
    and_,
    bindparam,
    delete,
    exists,
    func,
    insert,
    or_,
    select,
    update,
)
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload

from chargeyard.alerts.conditions import Condition, Watch
from chargeyard.alerts.domain import RuleName
from chargeyard.alerts.models import Alert, AlertCursor, AlertRuleSetting, AlertWatch
from chargeyard.alerts.network import Presence
from chargeyard.charging_profiles.domain import Purpose
from chargeyard.events.models import Event
from chargeyard.load_management.in_force import stacked
from chargeyard.load_management.models import ProfileInForceRow
from chargeyard.stations.models import Connector, Evse, Station
from chargeyard.storage.cross_organization import across_organizations
from chargeyard.storage.repository import (
    Page,
    PageResult,
    ScopedRepository,
    matching,
    owned_by,
    within,
)
from chargeyard.transaction_events.repository import latest_charging_state
from chargeyard.transactions.models import Transaction

ACROSS_ORGANIZATIONS = (
    "the alert evaluator judges every organization's events in one batch and keys its verdicts"
    " by organization"
)

T = TypeVar("T")
WATCHES = cast(Table, AlertWatch.__table__)
"""The watches' table: the sweep writes it with Core statements (`store_watches`)."""
CURSOR = "alerts"
SORTS = {
    "started_at": Alert.started_at,
    "ended_at": Alert.ended_at,
    "updated_at": Alert.updated_at,
    "urgency": Alert.urgency,
    "name": Alert.name,
}
Sort = Literal[
    "started_at",
    "-started_at",
    "ended_at",
    "-ended_at",
    "updated_at",
    "-updated_at",
    "urgency",
    "-urgency",
    "name",
    "-name",
]


@dataclass(frozen=True)
class AlertFilter:
    status: Collection[str] = ()
    name: str | None = None
    category: str | None = None
    urgency: str | None = None
    station_id: str | None = None
    evse_id: int | None = None
    since: datetime | None = None
    until: datetime | None = None


class AlertRepository(ScopedRepository[Alert]):
    model = Alert
    noun = "Alert"

    def query(self) -> Select[Alert]:
        return super().query().options(selectinload(Alert.notes))

    async def search(
        self, where: AlertFilter, page: Page, sort: Sort, updated_since: datetime | None
    ) -> PageResult[Alert]:
        statement = self.filtered(where, self.query())
        column = SORTS[sort.removeprefix("-")]
        key = column.desc() if sort.startswith("-") else column.asc()
        return await self.page(
            statement, page, order_by=[key, Alert.id], updated_since=updated_since
        )

    async def export_page(
        self,
        where: AlertFilter,
        after: tuple[datetime, str] | None,
        limit: int,
        columns: Sequence[str],
    ) -> Sequence[Row[Any]]:
        """`columns` of the next `limit` alerts after the (started_at, id) key `after`, oldest
        first (keyset pagination, for exports)."""
        base: Select[Any] = select(*(getattr(Alert, name) for name in columns))
        statement = self.filtered(where, base.where(owned_by(Alert, self.organization_id)))
        if after is not None:
            started, alert_id = after
            statement = statement.where(
                or_(
                    Alert.started_at > started,
                    and_(Alert.started_at == started, Alert.id > alert_id),
                )
            )
        statement = statement.order_by(Alert.started_at, Alert.id).limit(limit)
        rows: Sequence[Row[Any]] = (await self.session.execute(statement)).all()
        return rows

    def filtered(self, where: AlertFilter, base: Select[T]) -> Select[T]:
        """What `where` selects, narrowing `base` (which is scoped to the organization)."""
        statement = matching(
            base,
            (Alert.name, where.name),
            (Alert.category, where.category),
            (Alert.urgency, where.urgency),
            (Alert.station_id, where.station_id),
            (Alert.evse_id, where.evse_id),
        )
        if where.status:
            statement = statement.where(Alert.status.in_(list(where.status)))
        return within(statement, Alert.started_at, where.since, where.until)


class AlertRuleRepository(ScopedRepository[AlertRuleSetting]):
    model = AlertRuleSetting
    noun = "Alert rule"

    async def all(self) -> Sequence[AlertRuleSetting]:
        return (await self.session.execute(self.query())).scalars().all()

    async def named(self, name: str) -> AlertRuleSetting | None:
        statement = self.query().where(AlertRuleSetting.name == name)
        return (await self.session.execute(statement)).scalars().first()


async def settings_of(
    session: AsyncSession, organization_ids: Collection[str]
) -> Sequence[AlertRuleSetting]:
    """The rule settings of these organizations (the evaluator judges several at once)."""
    if not organization_ids:
        return []
    statement = select(AlertRuleSetting).where(
        AlertRuleSetting.organization_id.in_(list(organization_ids))
    )
    return (await session.execute(statement)).scalars().all()


@across_organizations(ACROSS_ORGANIZATIONS)
async def open_alerts(session: AsyncSession, keys: Collection[str]) -> dict[str, Alert]:
    """The open alerts with these keys, by key, locked (`_locked`): the evaluator resolves
    them."""
    if not keys:
        return {}
    statement = _locked(select(Alert).where(Alert.open_key.in_(list(keys))))
    return {alert.open_key or "": alert for alert in (await session.execute(statement)).scalars()}


@across_organizations(ACROSS_ORGANIZATIONS)
async def alerts_by_id(session: AsyncSession, ids: Collection[str]) -> Sequence[Alert]:
    """These alerts, locked (`_locked`): the evaluator's sweep resolves them."""
    if not ids:
        return []
    statement = _locked(select(Alert).where(Alert.id.in_(list(ids))))
    return (await session.execute(statement)).scalars().all()


def _locked(statement: Select[Alert]) -> Select[Alert]:
    """Alerts the evaluator may resolve (which raises their revision): their rows locked until
    its unit of work ends and read afresh, as an operator's change guarded by If-Match reads
    one, so the two take turns; on PostgreSQL an alert an operator resolved meanwhile no longer
    matches `open_key` once the lock is granted. In id order, so two lockers never deadlock;
    SQLite ignores the clause, its single writer serialising the units."""
    return statement.order_by(Alert.id).with_for_update().execution_options(populate_existing=True)


async def cursor(
    session: AsyncSession, *, for_update: bool = False, name: str = CURSOR
) -> int | None:
    """The last event position a follower of the event log (`name`: the evaluator by default,
    or the alert mailer) has handled; FOR UPDATE (PostgreSQL) serialises two of them that both
    believe they hold the lease while it changes hands."""
    statement = select(AlertCursor.position).where(AlertCursor.name == name)
    if for_update:
        statement = statement.with_for_update()
    return await session.scalar(statement)


async def move_cursor(session: AsyncSession, position: int, *, name: str = CURSOR) -> None:
    found = await session.get(AlertCursor, name)
    if found is None:
        session.add(AlertCursor(name=name, position=position))
    else:
        found.position = position


class JudgedEvent(Protocol):
    """An event as the evaluator reads it (`events_after`)."""

    organization_id: str
    type: str
    station_id: str | None
    transaction_id: int | None
    occurred_at: datetime
    data: dict[str, Any]
    position: int | None


JUDGED_COLUMNS = (
    Event.organization_id,
    Event.type,
    Event.station_id,
    Event.transaction_id,
    Event.occurred_at,
    Event.data,
    Event.position,
)


@across_organizations(ACROSS_ORGANIZATIONS)
async def events_after(
    session: AsyncSession, position: int, upto: int, types: Collection[str], limit: int
) -> Sequence[JudgedEvent]:
    """Events in (position, upto] of the types the rules read, in commit order: the columns the
    rules judge, as plain rows (the evaluator only reads them; loading each as an ORM object
    cost it several times the row)."""
    statement = (
        select(*JUDGED_COLUMNS)
        .where(Event.position > position, Event.position <= upto, Event.type.in_(list(types)))
        .order_by(Event.position)
        .limit(limit)
    )
    return cast(Sequence[JudgedEvent], (await session.execute(statement)).all())


@across_organizations(ACROSS_ORGANIZATIONS)
async def open_vendor_errors(session: AsyncSession, stations: Collection[str]) -> Sequence[Alert]:
    """The open vendor-error alerts of these stations (those an accepted boot may renew),
    locked (`_locked`): the boot marks them."""
    if not stations:
        return []
    statement = select(Alert).where(
        Alert.name == RuleName.VENDOR_ERROR.value,
        Alert.open_key.is_not(None),
        Alert.station_id.in_(list(stations)),
    )
    return (await session.execute(_locked(statement))).scalars().all()


@across_organizations(ACROSS_ORGANIZATIONS)
async def awaiting_report(
    session: AsyncSession, booted_before: datetime, *, locked: bool = False
) -> Sequence[Alert]:
    """Open alerts whose station booted before `booted_before` and has not reported them again
    since (a coarse filter: each organization's threshold then narrows); `locked`
    (`_locked`) when the sweep is about to resolve them."""
    statement = select(Alert).where(
        Alert.awaiting_report_since <= booted_before, Alert.open_key.is_not(None)
    )
    if locked:
        statement = _locked(statement)
    return (await session.execute(statement)).scalars().all()


@dataclass(frozen=True)
class Away:
    """A disconnected station without an offline alert for its current absence."""

    organization_id: str
    station_id: str
    disconnected_at: datetime


async def away_unalerted(session: AsyncSession) -> Sequence[Away]:
    """Stations disconnected (after having been connected) that have no offline alert since
    their disconnect: the candidates of the offline rule. A station stays a candidate only
    until its threshold passes, so the list is the recently disconnected, not the long gone."""
    alerted = exists().where(
        Alert.organization_id == Station.organization_id,
        Alert.name == RuleName.STATION_OFFLINE.value,
        Alert.station_id == Station.id,
        Alert.started_at >= Station.disconnected_at,
    )
    statement = select(Station.organization_id, Station.id, Station.disconnected_at).where(
        Station.connected.is_(False), Station.disconnected_at.is_not(None), ~alerted
    )
    rows = (await session.execute(statement)).all()
    return [Away(row[0], row[1], row[2]) for row in rows if row[2] is not None]


@across_organizations(ACROSS_ORGANIZATIONS)
async def offline_back(session: AsyncSession) -> Sequence[tuple[str, datetime | None]]:
    """Open offline alerts whose station is connected again: (alert id, when it connected)."""
    statement = select(Alert.id, Station.connected_at).join(
        Station, and_(Station.id == Alert.station_id, Station.connected.is_(True))
    )
    statement = statement.where(
        Alert.name == RuleName.STATION_OFFLINE.value, Alert.open_key.is_not(None)
    )
    return [(row[0], row[1]) for row in (await session.execute(statement)).all()]


@dataclass(frozen=True)
class Charging:
    """An open session whose connector reports Charging, with its latest energy reading."""

    organization_id: str
    transaction_id: int
    station_id: str
    evse_id: int
    connector_id: int
    last_meter_wh: int | None
    last_meter_at: datetime | None
    last_power_w: float | None


async def charging_sessions(session: AsyncSession) -> Sequence[Charging]:
    """Open sessions that are charging (what the meter-stalled rule watches): by the latest
    chargingState their 2.x transaction events reported, or, for a 1.6 session (which has
    none), by its connector's last status being the station's own `Charging`."""
    state = func.coalesce(latest_charging_state(Transaction.id), Connector.ocpp_status)
    statement = (
        select(
            Transaction.organization_id,
            Transaction.id,
            Transaction.station_id,
            Transaction.evse_id,
            Transaction.connector_id,
            Transaction.last_meter_wh,
            Transaction.last_meter_at,
            Transaction.last_power_w,
        )
        .join(
            Evse,
            and_(Evse.station_id == Transaction.station_id, Evse.evse_id == Transaction.evse_id),
        )
        .join(
            Connector,
            and_(Connector.evse_pk == Evse.id, Connector.connector_id == Transaction.connector_id),
        )
        .where(Transaction.stopped_at.is_(None), state == "Charging")
        .order_by(Transaction.id)
    )
    return [Charging(*row) for row in (await session.execute(statement)).all()]


async def limits_in_force(
    session: AsyncSession, sessions: Collection[Charging]
) -> dict[int, float]:
    """The limit (kW) smart charging holds in force for each of these sessions, by transaction
    id: from delivery's memory of what each station accepted per EVSE and purpose (one row per
    place, however long the history), stacked as OCPP stacks them
    (`load_management.in_force.stacked`); a session without one is left out."""
    if not sessions:
        return {}
    rows = await session.execute(
        select(
            ProfileInForceRow.organization_id,
            ProfileInForceRow.station_id,
            ProfileInForceRow.evse_id,
            ProfileInForceRow.purpose,
            ProfileInForceRow.transaction_id,
            ProfileInForceRow.first_kw,
        ).where(
            ProfileInForceRow.station_id.in_({s.station_id for s in sessions}),
            ProfileInForceRow.purpose.in_([Purpose.TX.value, Purpose.TX_DEFAULT.value]),
            ProfileInForceRow.first_kw.is_not(None),
        )
    )
    own: dict[tuple[str, int], float] = {}
    defaults: dict[tuple[str, str, int], float] = {}
    for organization, station, evse, purpose, tx, kw in rows.all():
        if kw is None:
            continue
        if purpose == Purpose.TX.value and tx is not None:
            own[organization, int(tx)] = kw
        elif purpose == Purpose.TX_DEFAULT.value:
            defaults[organization, station, evse] = kw
    found = {}
    for s in sessions:
        limit = stacked(
            own.get((s.organization_id, s.transaction_id)),
            defaults.get((s.organization_id, s.station_id, s.evse_id)),
            defaults.get((s.organization_id, s.station_id, 0)),
        )
        if limit is not None:
            found[s.transaction_id] = limit
    return found


async def unaccepted_stations(session: AsyncSession) -> Sequence[tuple[str, str]]:
    """(organization, station) of stations whose last boot was not accepted (Pending or
    Rejected): the boot-pending rule's candidates."""
    statement = select(Station.organization_id, Station.id).where(
        Station.boot_accepted.is_(False), Station.last_boot_at.is_not(None)
    )
    return [(row[0], row[1]) for row in (await session.execute(statement)).all()]


@across_organizations(ACROSS_ORGANIZATIONS)
async def smallest_threshold(session: AsyncSession, name: RuleName, default: int) -> int:
    """The smallest threshold any organization runs a rule with (a coarse filter for reads
    that every organization's threshold then narrows)."""
    found = await session.scalar(
        select(func.min(AlertRuleSetting.threshold_s)).where(AlertRuleSetting.name == name.value)
    )
    return default if found is None else min(int(found), default)


@across_organizations(ACROSS_ORGANIZATIONS)
async def watches(session: AsyncSession) -> dict[str, Watch]:
    """Every stored watch, by key (columns, not entities: the sweep reads them every second)."""
    statement = select(WATCHES.c.key, WATCHES.c.since, WATCHES.c.value, WATCHES.c.alert_id)
    rows = (await session.execute(statement)).all()
    return {row[0]: Watch(row[0], row[1], row[2], row[3]) for row in rows}


async def store_watches(
    session: AsyncSession,
    inserted: Collection[tuple[Condition, Watch]],
    updated: Collection[tuple[Condition, Watch]],
    forget: Collection[str],
) -> None:
    """Write what changed of the watches, in at most three Core statements: the forgotten ones
    deleted by one DELETE, the changed ones (restarted, or alerted) updated in place by one
    executemany UPDATE, the new ones inserted by one executemany INSERT."""
    if forget:
        await session.execute(delete(WATCHES).where(WATCHES.c.key.in_(list(forget))))
    if updated:
        statement = (
            update(WATCHES)
            .where(WATCHES.c.key == bindparam("w_key"))
            .values(
                since=bindparam("w_since"),
                value=bindparam("w_value"),
                alert_id=bindparam("w_alert_id"),
                transaction_id=bindparam("w_transaction_id"),
            )
        )
        await session.execute(
            statement,
            [
                {
                    "w_key": watch.key,
                    "w_since": watch.since,
                    "w_value": watch.value,
                    "w_alert_id": watch.alert_id,
                    "w_transaction_id": condition.transaction_id,
                }
                for condition, watch in updated
            ],
        )
    if inserted:
        await session.execute(
            insert(WATCHES),
            [
                {
                    "key": watch.key,
                    "organization_id": condition.organization_id,
                    "name": condition.rule.value,
                    "since": watch.since,
                    "value": watch.value,
                    "alert_id": watch.alert_id,
                    "transaction_id": condition.transaction_id,
                }
                for condition, watch in inserted
            ],
        )


async def presences(
    session: AsyncSession, *, organization_id: str | None = None, offline_only: bool = False
) -> Sequence[Presence]:
    """The stations' connection facts (of one organization, or of all), for network status."""
    statement = select(
        Station.organization_id,
        Station.id,
        Station.created_at,
        Station.connected,
        Station.connected_at,
        Station.disconnected_at,
    ).order_by(Station.id)
    if organization_id is not None:
        statement = statement.where(owned_by(Station, organization_id))
    if offline_only:
        statement = statement.where(Station.connected.is_(False))
    return [Presence(*row) for row in (await session.execute(statement)).all()]
