"""All SQL of smart charging's control loop, scoped to one organization: what a control step
reads (over its inputs' tables, which their own packages write), what it records, and what it
remembers (profiles in force, rotation turns)."""

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from chargeyard.capacity_windows.models import CapacityWindowRow
from chargeyard.capacity_windows.repository import CapacityWindowRepository
from chargeyard.charging_limits.models import ChargingLimitRow
from chargeyard.charging_profiles.domain import Purpose
from chargeyard.circuits.models import CircuitRow
from chargeyard.commands.models import CommandRecord
from chargeyard.demand_response.models import DemandResponseRow
from chargeyard.device_model.models import DeviceVariable
from chargeyard.energy_prices.models import PriceRow
from chargeyard.evse_wiring.models import EvseWiringRow
from chargeyard.evse_wiring.repository import WiringRepository
from chargeyard.load_management.discharge import V2X_CONTROLLER, V2X_ENABLED, reports_enabled
from chargeyard.load_management.domain import SeriesFilter
from chargeyard.load_management.in_force import (
    Fingerprint,
    Held,
    fingerprint_text,
    profile_json,
)
from chargeyard.load_management.models import (
    AllocationRow,
    ProfileDeliveryRow,
    ProfileInForceRow,
    TurnRow,
    UnitPreferenceRow,
)
from chargeyard.locations.models import Location
from chargeyard.measurements.models import MeasurementRow
from chargeyard.session_needs.models import SessionNeedRow
from chargeyard.smart_charging.rotation import Turn
from chargeyard.stations.models import Evse
from chargeyard.storage.cross_organization import across_organizations
from chargeyard.storage.repository import (
    Page,
    PageResult,
    ScopedRepository,
    matching,
    owned_by,
    paginate,
    whole_organization,
    within,
)
from chargeyard.transactions.models import Transaction
from chargeyard.vehicles.models import VehicleRow

CHARGING_STATUSES = ("Accepted", "Unknown")
"""Authorization statuses of transactions that may draw power (`Unknown`: a 2.x transaction
whose token is not known yet)."""


PROFILE_COMMANDS = ("set-charging-profile", "clear-charging-profile")
PROFILE_COMMANDS_READ = 2000
"""Operators set a few limits a day per site; the latest 2,000 commands hold every one in force
short of an automation resending them all the time (the oldest would then be replaced)."""


@across_organizations("the smart-charging loop runs for every organization that has circuits")
async def managed_organizations(session: AsyncSession) -> list[str]:
    """Every organization with a circuit (across tenants: the controller leases each one)."""
    return list((await session.scalars(select(CircuitRow.organization_id).distinct())).all())


class SiteRepository:
    """What a control step reads: EVSEs, wiring, live sessions and their needs."""

    def __init__(self, session: AsyncSession, organization_id: str) -> None:
        self.session = session
        self.organization_id = organization_id

    async def evses(self, station_ids: Sequence[str]) -> Sequence[Evse]:
        return (
            await self.session.scalars(
                select(Evse).where(Evse.station_id.in_(station_ids), Evse.evse_id > 0)
            )
        ).all()

    async def wiring(self, station_ids: Sequence[str]) -> Sequence[EvseWiringRow]:
        return await WiringRepository(self.session, self.organization_id).of_stations(station_ids)

    async def windows(self, circuit_ids: Sequence[str]) -> Sequence[CapacityWindowRow]:
        windows = CapacityWindowRepository(self.session, self.organization_id)
        return await windows.on(circuit_ids)

    async def active_transactions(self, station_ids: Sequence[str]) -> Sequence[Transaction]:
        return (
            await self.session.scalars(
                select(Transaction).where(
                    owned_by(Transaction, self.organization_id),
                    Transaction.station_id.in_(station_ids),
                    Transaction.stopped_at.is_(None),
                    # A start refused (2.0.1 may keep its row open until the station's Ended):
                    # the station delivers no energy for it, so it holds no capacity.
                    Transaction.auth_status.in_(CHARGING_STATUSES),
                )
            )
        ).all()

    async def profile_commands(self, station_ids: Sequence[str]) -> Sequence[CommandRecord]:
        """The stations' latest answered set- and clear-charging-profile commands (operators'
        power limits are among them), newest first."""
        return (
            await self.session.scalars(
                select(CommandRecord)
                .where(
                    whole_organization(CommandRecord, self.organization_id),
                    CommandRecord.station_id.in_(station_ids),
                    CommandRecord.command.in_(PROFILE_COMMANDS),
                    CommandRecord.state == "answered",
                )
                .order_by(CommandRecord.requested_at.desc())
                .limit(PROFILE_COMMANDS_READ)
            )
        ).all()

    async def reported_v2x(self, station_ids: Sequence[str]) -> set[str]:
        """The stations whose reported device model says V2X charging is enabled
        (`V2XChargingCtrlr.Enabled`, actual value, `discharge.py`)."""
        rows = await self.session.execute(
            select(DeviceVariable.station_id, DeviceVariable.value).where(
                owned_by(DeviceVariable, self.organization_id),
                DeviceVariable.station_id.in_(station_ids),
                DeviceVariable.component_name == V2X_CONTROLLER,
                DeviceVariable.variable_name == V2X_ENABLED,
                DeviceVariable.attribute_type == "Actual",
            )
        )
        return {station_id for station_id, value in rows.all() if reports_enabled(value)}

    async def reported_limits(self, station_ids: Sequence[str]) -> Sequence[ChargingLimitRow]:
        """The charging limits the stations reported and have not cleared."""
        return (
            await self.session.scalars(
                select(ChargingLimitRow)
                .where(
                    owned_by(ChargingLimitRow, self.organization_id),
                    ChargingLimitRow.station_id.in_(station_ids),
                    ChargingLimitRow.cleared_at.is_(None),
                )
                .order_by(ChargingLimitRow.reported_at, ChargingLimitRow.id)
            )
        ).all()

    async def needs(self, transaction_ids: Sequence[int]) -> dict[int, SessionNeedRow]:
        rows = await self.session.scalars(
            select(SessionNeedRow).where(
                owned_by(SessionNeedRow, self.organization_id),
                SessionNeedRow.transaction_id.in_(transaction_ids),
            )
        )
        return {row.transaction_id: row for row in rows}

    async def past_stays(
        self, station_ids: Sequence[str], id_tag: str | None, before: datetime, limit: int
    ) -> Sequence[tuple[datetime, datetime]]:
        """(start, stop) of the latest `limit` sessions at these stations that ended by
        `before` and could draw power, of one ID tag (case-insensitive, as OCPP compares
        them), or of every driver when `id_tag` is None: what departures are learnt from."""
        query = select(Transaction.started_at, Transaction.stopped_at).where(
            owned_by(Transaction, self.organization_id),
            Transaction.station_id.in_(station_ids),
            Transaction.stopped_at.is_not(None),
            Transaction.stopped_at <= before,
            Transaction.auth_status.in_(CHARGING_STATUSES),
        )
        if id_tag is not None:
            query = query.where(func.lower(Transaction.id_tag) == id_tag.lower())
        rows = await self.session.execute(
            query.order_by(Transaction.stopped_at.desc()).limit(limit)
        )
        return [(row.started_at, row.stopped_at) for row in rows if row.stopped_at is not None]

    async def time_zone(self, location_id: str | None) -> str:
        """The IANA time zone of a site's location (UTC without one): where its days begin."""
        if location_id is None:
            return "UTC"
        zone = await self.session.scalar(
            select(Location.timezone).where(
                owned_by(Location, self.organization_id), Location.id == location_id
            )
        )
        return zone or "UTC"

    async def vehicles_by_tag(self, id_tags: Sequence[str]) -> dict[str, VehicleRow]:
        rows = await self.session.scalars(
            select(VehicleRow).where(
                owned_by(VehicleRow, self.organization_id),
                VehicleRow.id_tag.in_([tag.upper() for tag in id_tags]),
            )
        )
        return {row.id_tag.upper(): row for row in rows if row.id_tag}

    async def vehicles(self, vehicle_ids: Sequence[str]) -> dict[str, VehicleRow]:
        rows = await self.session.scalars(
            select(VehicleRow).where(
                owned_by(VehicleRow, self.organization_id),
                VehicleRow.id.in_(vehicle_ids),
            )
        )
        return {row.id: row for row in rows}

    async def prices(self, circuit_id: str, start: datetime, end: datetime) -> Sequence[PriceRow]:
        return (
            await self.session.scalars(
                select(PriceRow)
                .where(
                    owned_by(PriceRow, self.organization_id),
                    PriceRow.starts_at < end,
                    PriceRow.ends_at > start,
                    (PriceRow.circuit_id.is_(None)) | (PriceRow.circuit_id == circuit_id),
                )
                .order_by(PriceRow.starts_at)
            )
        ).all()

    async def demand_response(
        self, circuit_ids: Sequence[str], end: datetime, start: datetime
    ) -> Sequence[DemandResponseRow]:
        return (
            await self.session.scalars(
                select(DemandResponseRow).where(
                    owned_by(DemandResponseRow, self.organization_id),
                    DemandResponseRow.circuit_id.in_(circuit_ids),
                    DemandResponseRow.starts_at < end,
                    DemandResponseRow.ends_at > start,
                )
            )
        ).all()

    async def measurements(
        self, circuit_id: str, since: datetime, until: datetime
    ) -> Sequence[MeasurementRow]:
        """Every measurement in the window, plus the last one before it of each kind."""
        rows = list(
            (
                await self.session.scalars(
                    select(MeasurementRow)
                    .where(
                        owned_by(MeasurementRow, self.organization_id),
                        MeasurementRow.circuit_id == circuit_id,
                        MeasurementRow.measured_at <= until,
                        MeasurementRow.measured_at > since,
                    )
                    .order_by(MeasurementRow.measured_at)
                )
            ).all()
        )
        for kind in ("baseload", "solar"):
            last = await self.session.scalar(
                select(MeasurementRow)
                .where(
                    owned_by(MeasurementRow, self.organization_id),
                    MeasurementRow.circuit_id == circuit_id,
                    MeasurementRow.kind == kind,
                    MeasurementRow.measured_at <= since,
                )
                .order_by(MeasurementRow.measured_at.desc())
                .limit(1)
            )
            if last is not None:
                rows.insert(0, last)
        return rows

    async def unit_preferences(self) -> dict[tuple[str, str, str], str]:
        rows = await self.session.scalars(
            select(UnitPreferenceRow).where(owned_by(UnitPreferenceRow, self.organization_id))
        )
        return {(r.vendor, r.model, r.firmware): r.unit for r in rows}

    async def remember_unit(
        self, vendor: str, model: str, firmware: str, unit: str, at: datetime
    ) -> None:
        row = await self.session.scalar(
            select(UnitPreferenceRow).where(
                owned_by(UnitPreferenceRow, self.organization_id),
                UnitPreferenceRow.vendor == vendor,
                UnitPreferenceRow.model == model,
                UnitPreferenceRow.firmware == firmware,
            )
        )
        if row is None:
            self.session.add(
                UnitPreferenceRow(
                    organization_id=self.organization_id,
                    vendor=vendor,
                    model=model,
                    firmware=firmware,
                    unit=unit,
                    learnt_at=at,
                )
            )
        elif row.unit != unit:
            row.unit, row.learnt_at = unit, at


class RecordRepository:
    """Time series of results and deliveries."""

    def __init__(self, session: AsyncSession, organization_id: str) -> None:
        self.session = session
        self.organization_id = organization_id

    def add(self, row: Any) -> None:
        self.session.add(row)

    def add_all(self, rows: Sequence[Any]) -> None:
        self.session.add_all(rows)

    async def series(self, model: Any, page: Page, where: SeriesFilter) -> PageResult[Any]:
        at = model.at if model is AllocationRow else model.sent_at
        statement = matching(
            select(model).where(owned_by(model, self.organization_id)),
            (model.circuit_id, where.circuit_id),
            (model.station_id, where.station_id),
            (model.transaction_id, where.transaction_id),
        )
        statement = within(statement, at, where.since, None)
        return await paginate(self.session, statement, page, order_by=[at, model.id])


class InForceRepository(ScopedRepository[ProfileInForceRow]):
    """Delivery's memory: what each station accepted (or refused) from smart charging, one row
    per station, EVSE and purpose."""

    model = ProfileInForceRow
    noun = "profile in force"

    async def all(self) -> Sequence[ProfileInForceRow]:
        return (await self.session.scalars(self.query())).all()

    async def store(
        self, places: Sequence[tuple[tuple[str, int, Purpose], Held | None, Fingerprint | None]]
    ) -> None:
        """Store each place's memory (held, refused); a place with neither loses its row."""
        stations = {key[0] for key, _held, _refused in places}
        rows = await self.session.scalars(
            self.query().where(ProfileInForceRow.station_id.in_(stations))
        )
        existing = {(r.station_id, r.evse_id, r.purpose): r for r in rows}
        for (station_id, evse_id, purpose), held, refused in places:
            row = existing.get((station_id, evse_id, purpose.value))
            if held is None and refused is None:
                if row is not None:
                    await self.session.delete(row)
                continue
            if row is None:
                row = ProfileInForceRow(
                    organization_id=self.organization_id,
                    station_id=station_id,
                    evse_id=evse_id,
                    purpose=purpose.value,
                )
                self.session.add(row)
            _remember(row, held, refused)


def _remember(row: ProfileInForceRow, held: Held | None, refused: Fingerprint | None) -> None:
    row.refused = None if refused is None else fingerprint_text(refused)
    row.profile_id = None if held is None else held.profile.id
    row.transaction_id = None if held is None else held.profile.transaction_id
    row.fingerprint = None if held is None else fingerprint_text(held.fingerprint)
    row.first_kw = None if held is None else held.first_kw
    row.since = None if held is None else held.since
    row.profile = None if held is None else profile_json(held.profile)


class TurnRepository(ScopedRepository[TurnRow]):
    """The rotation's memory: each running session's turn (`smart_charging.rotation`), by
    transaction."""

    model = TurnRow
    noun = "turn"

    async def _rows(self) -> Sequence[TurnRow]:
        return (await self.session.scalars(self.query())).all()

    async def all(self) -> dict[int, Turn]:
        return {r.transaction_id: Turn(r.waiting_since, r.turn_ends) for r in await self._rows()}

    async def replace(self, turns: dict[int, Turn]) -> None:
        """Keep exactly `turns` (sessions gone lose their row)."""
        existing = {r.transaction_id: r for r in await self._rows()}
        for transaction_id, row in existing.items():
            if transaction_id not in turns:
                await self.session.delete(row)
        for transaction_id, turn in turns.items():
            found = existing.get(transaction_id)
            if found is None:
                found = TurnRow(organization_id=self.organization_id, transaction_id=transaction_id)
                self.session.add(found)
            found.waiting_since, found.turn_ends = turn.waiting_since, turn.turn_ends


__all__ = [
    "AllocationRow",
    "InForceRepository",
    "ProfileDeliveryRow",
    "RecordRepository",
    "SiteRepository",
    "TurnRepository",
]
