"""Smart charging use cases: the circuit tree, EVSE wiring, vehicles, session needs, prices,
demand-response events and measurements. Never commits; every change records an event, which
is also what wakes the controller."""

from typing import Any

from chargeyard.clock import Clock, as_utc
from chargeyard.errors import Conflict, Invalid, NotFound
from chargeyard.events.payloads import (
    CIRCUIT_CREATED,
    CIRCUIT_DELETED,
    CIRCUIT_UPDATED,
    CIRCUIT_WINDOW_ADDED,
    CIRCUIT_WINDOW_REMOVED,
    DEMAND_RESPONSE_ADDED,
    ENERGY_PRICE_ADDED,
    EVSE_WIRING_UPDATED,
    MEASUREMENT_ADDED,
    SESSION_NEEDS_UPDATED,
    VEHICLE_CREATED,
    VEHICLE_DELETED,
    VEHICLE_UPDATED,
    CircuitCreated,
    CircuitEvent,
    CircuitUpdated,
    CircuitWindowChanged,
    DemandResponseAdded,
    EnergyPricesAdded,
    EventKind,
    EvseWiringUpdated,
    MeasurementsAdded,
    P,
    Removed,
    SessionNeedsUpdated,
    VehicleCreated,
    VehicleEvent,
    VehicleUpdated,
)
from chargeyard.events.recorder import record_event
from chargeyard.load_management.models import (
    CapacityWindowRow,
    CircuitRow,
    DemandResponseRow,
    EvseWiringRow,
    MeasurementRow,
    PriceRow,
    SessionNeedRow,
    VehicleRow,
)
from chargeyard.load_management.repository import (
    CircuitRepository,
    RecordRepository,
    SiteRepository,
    VehicleRepository,
)
from chargeyard.locations.repository import LocationRepository
from chargeyard.smart_charging.electrical import ElectricalSpec, Line, Supply
from chargeyard.stations.repository import StationRepository
from chargeyard.storage.session import flushed_unique
from chargeyard.storage.unit_of_work import UnitOfWork
from chargeyard.transactions.repository import TransactionRepository
from chargeyard.vehicle_groups.repository import VehicleGroupRepository


class SmartChargingService:
    def __init__(self, uow: UnitOfWork, organization_id: str, clock: Clock) -> None:
        self.uow = uow
        self.organization_id = organization_id
        self.clock = clock
        self.circuits = CircuitRepository(uow.session, organization_id)
        self.records = RecordRepository(uow.session, organization_id)
        self.site = SiteRepository(uow.session, organization_id)
        self.vehicles = VehicleRepository(uow.session, organization_id)

    # -- circuits ------------------------------------------------------------------------

    async def create_circuit(self, fields: dict[str, Any]) -> CircuitRow:
        await self._check_parent(None, fields.get("parent_id"))
        await self._check_location(fields.get("location_id"))
        circuit = CircuitRow(organization_id=self.organization_id, revision=1, **fields)
        _check_circuit(circuit)
        self.circuits.add(circuit)
        await self.uow.session.flush()
        self._event(CIRCUIT_CREATED, CircuitCreated(circuit_id=circuit.id, name=circuit.name))
        return circuit

    async def update_circuit(self, circuit: CircuitRow, changes: dict[str, Any]) -> CircuitRow:
        if "parent_id" in changes and changes["parent_id"] != circuit.parent_id:
            await self._check_parent(circuit.id, changes["parent_id"])
        if changes.get("location_id") not in (None, circuit.location_id):
            await self._check_location(changes["location_id"])
        for name, value in changes.items():
            setattr(circuit, name, value)
        _check_circuit(circuit)
        circuit.touch()
        self._event(CIRCUIT_UPDATED, CircuitUpdated(circuit_id=circuit.id, changed=sorted(changes)))
        return circuit

    async def delete_circuit(self, circuit: CircuitRow) -> None:
        if await self.circuits.count_children(circuit.id):
            raise Conflict(f"Circuit {circuit.id!r} has sub-circuits; move or delete them first")
        if await self.circuits.stations_under([circuit.id]):
            raise Conflict(f"Circuit {circuit.id!r} still has stations; move them first")
        await self.circuits.delete(circuit)
        self._event(CIRCUIT_DELETED, CircuitEvent(circuit_id=circuit.id))

    async def _check_parent(self, circuit_id: str | None, parent_id: str | None) -> None:
        if parent_id is None:
            return
        rows = {row.id: row for row in await self.circuits.all()}
        current: str | None = parent_id
        if current not in rows:
            raise Invalid(f"parent_id: Circuit {parent_id!r} does not exist")
        while current is not None:
            if current == circuit_id:
                raise Invalid("parent_id: a circuit cannot hang below itself")
            current = rows[current].parent_id if current in rows else None

    async def _check_location(self, location_id: str | None) -> None:
        """A circuit belongs to a location of its own organization, or to none."""
        if location_id is None:
            return
        if (
            await LocationRepository(self.uow.session, self.organization_id).find(location_id)
            is None
        ):
            raise Invalid(f"location_id: Location {location_id!r} does not exist")

    async def add_window(self, circuit: CircuitRow, fields: dict[str, Any]) -> CapacityWindowRow:
        _check_interval(fields)
        if fields.get("max_power_kw") is None and fields.get("max_current_a") is None:
            raise Invalid("a capacity window needs max_power_kw or max_current_a")
        window = CapacityWindowRow(
            organization_id=self.organization_id, circuit_id=circuit.id, **fields
        )
        self.records.add(window)
        await self.uow.session.flush()
        self._event(
            CIRCUIT_WINDOW_ADDED, CircuitWindowChanged(circuit_id=circuit.id, window_id=window.id)
        )
        return window

    async def remove_window(self, circuit: CircuitRow, window_id: str) -> None:
        window = await self.circuits.window(circuit.id, window_id)
        if window is None:
            raise NotFound(f"Capacity window {window_id!r} does not exist")
        await self.records.delete(window)
        self._event(
            CIRCUIT_WINDOW_REMOVED,
            CircuitWindowChanged(circuit_id=circuit.id, window_id=window_id),
        )

    # -- EVSE wiring -----------------------------------------------------------------------

    async def set_wiring(
        self, station_id: str, evse_id: int, fields: dict[str, Any]
    ) -> EvseWiringRow:
        await StationRepository(self.uow.session, self.organization_id).get(station_id)
        lines = [str(x) for x in fields.pop("lines")]
        try:
            ElectricalSpec(
                Supply(fields["supply"]),
                fields["voltage_v"],
                fields["power_factor"],
                tuple(Line(x) for x in lines),
            )
        except ValueError as error:
            raise Invalid(f"wiring: {error}") from None
        row = await self.site.wiring_of(station_id, evse_id)
        if row is None:
            row = EvseWiringRow(
                organization_id=self.organization_id, station_id=station_id, evse_id=evse_id
            )
            self.records.add(row)
        for name, value in fields.items():
            setattr(row, name, getattr(value, "value", value))
        row.lines = ",".join(lines)
        await self.uow.session.flush()
        self._event(
            EVSE_WIRING_UPDATED,
            EvseWiringUpdated(station_id=station_id, evse_id=evse_id),
            station_id=station_id,
        )
        return row

    # -- vehicles and sessions ---------------------------------------------------------------

    async def create_vehicle(self, fields: dict[str, Any]) -> VehicleRow:
        await self._check_fleet_fields(None, fields)
        vehicle = VehicleRow(organization_id=self.organization_id, revision=1, **fields)
        self.vehicles.add(vehicle)
        if not await flushed_unique(self.uow.session):  # the same VIN added concurrently
            raise Conflict(f"VIN {vehicle.vin} is another vehicle's already")
        self._event(VEHICLE_CREATED, VehicleCreated(vehicle_id=vehicle.id, id_tag=vehicle.id_tag))
        return vehicle

    async def update_vehicle(self, vehicle: VehicleRow, changes: dict[str, Any]) -> VehicleRow:
        """`vehicle` as `to_change` read it (locked, its If-Match checked)."""
        await self._check_fleet_fields(vehicle, changes)
        for name, value in changes.items():
            setattr(vehicle, name, value)
        vehicle.touch()
        if not await flushed_unique(self.uow.session):  # the same VIN given concurrently
            raise Conflict(f"VIN {vehicle.vin} is another vehicle's already")
        self._event(VEHICLE_UPDATED, VehicleUpdated(vehicle_id=vehicle.id, changed=sorted(changes)))
        return vehicle

    async def delete_vehicle(self, vehicle: VehicleRow) -> None:
        await self.vehicles.delete(vehicle)
        self._event(VEHICLE_DELETED, VehicleEvent(vehicle_id=vehicle.id))

    async def _check_fleet_fields(self, vehicle: VehicleRow | None, fields: dict[str, Any]) -> None:
        """A VIN names one vehicle of the organization (409 for a second); a group must be
        one of the organization's (422: another's is as unknown as none)."""
        vin = fields.get("vin")
        if vin is not None and (vehicle is None or vin != vehicle.vin):
            holder = await self.vehicles.by_vin(vin)
            if holder is not None:
                raise Conflict(f"VIN {vin} is vehicle {holder.id!r}'s already")
        group_id = fields.get("group_id")
        groups = VehicleGroupRepository(self.uow.session, self.organization_id)
        if group_id is not None and await groups.find(group_id) is None:
            raise Invalid(f"group_id: vehicle group {group_id!r} does not exist")

    async def set_session_needs(
        self, transaction_id: int, fields: dict[str, Any]
    ) -> SessionNeedRow:
        tx = await TransactionRepository(self.uow.session, self.organization_id).get(transaction_id)
        if tx.stopped_at is not None:
            raise Conflict(f"transaction {transaction_id} has stopped already")
        if fields.get("vehicle_id") is not None:
            await self.vehicles.get(fields["vehicle_id"])
        row = await self.records.need(transaction_id)
        if row is None:
            row = SessionNeedRow(transaction_id=tx.id, organization_id=self.organization_id)
            self.records.add(row)
        for name, value in fields.items():
            setattr(row, name, value)
        row.updated_at = self.clock()
        await self.uow.session.flush()
        self._event(
            SESSION_NEEDS_UPDATED,
            SessionNeedsUpdated(transaction_id=tx.id, changed=sorted(fields)),
            station_id=tx.station_id,
            transaction_id=tx.id,
        )
        return row

    async def session_needs(self, transaction_id: int) -> SessionNeedRow:
        await TransactionRepository(self.uow.session, self.organization_id).get(transaction_id)
        row = await self.records.need(transaction_id)
        if row is None:
            raise NotFound(f"transaction {transaction_id} has no charging needs set")
        return row

    # -- prices, demand response, measurements ---------------------------------------------

    async def add_prices(self, items: list[dict[str, Any]]) -> list[PriceRow]:
        rows = []
        for fields in items:
            _check_interval(fields)
            if fields.get("circuit_id") is not None:
                await self.circuits.get(fields["circuit_id"])
            rows.append(PriceRow(organization_id=self.organization_id, **fields))
        self.records.add_all(rows)
        await self.uow.session.flush()
        self._event(ENERGY_PRICE_ADDED, EnergyPricesAdded(count=len(rows)))
        return rows

    async def add_demand_response(self, fields: dict[str, Any]) -> DemandResponseRow:
        _check_interval(fields)
        await self.circuits.get(fields["circuit_id"])
        if fields["kind"] == "curtailment" and fields.get("max_power_kw") is None:
            raise Invalid("a curtailment needs max_power_kw")
        if fields["kind"] == "curtailment" and fields["max_power_kw"] < 0:
            raise Invalid("a curtailment's max_power_kw must be 0 or more")
        row = DemandResponseRow(organization_id=self.organization_id, **fields)
        row.kind = str(getattr(row.kind, "value", row.kind))
        self.records.add(row)
        await self.uow.session.flush()
        self._event(
            DEMAND_RESPONSE_ADDED, DemandResponseAdded(id=row.id, circuit_id=row.circuit_id)
        )
        return row

    async def add_measurements(
        self, circuit: CircuitRow, items: list[dict[str, Any]]
    ) -> list[MeasurementRow]:
        rows = [
            MeasurementRow(
                organization_id=self.organization_id,
                circuit_id=circuit.id,
                **{**fields, "kind": str(getattr(fields["kind"], "value", fields["kind"]))},
            )
            for fields in items
        ]
        self.records.add_all(rows)
        await self.uow.session.flush()
        self._event(MEASUREMENT_ADDED, MeasurementsAdded(circuit_id=circuit.id, count=len(rows)))
        return rows

    async def remove(self, model: Any, key: str, noun: str, kind: EventKind[Removed]) -> None:
        if not await self.records.remove(model, key):
            raise NotFound(f"{noun} {key!r} does not exist")
        self._event(kind, Removed(id=key))

    def _event(
        self,
        kind: EventKind[P],
        data: P,
        *,
        station_id: str | None = None,
        transaction_id: int | None = None,
    ) -> None:
        record_event(
            self.uow,
            organization_id=self.organization_id,
            kind=kind,
            occurred_at=self.clock(),
            station_id=station_id,
            transaction_id=transaction_id,
            data=data,
        )


def _check_circuit(circuit: CircuitRow) -> None:
    if not 1 <= circuit.phases <= 3:
        raise Invalid("phases must be 1, 2 or 3")
    for name in ("max_power_kw", "max_current_a"):
        value = getattr(circuit, name)
        if value is not None and value <= 0:
            raise Invalid(f"{name} must be greater than 0")
    if circuit.max_power_kw is not None and circuit.buffer_kw >= circuit.max_power_kw:
        raise Invalid("buffer_kw must be below max_power_kw")
    if circuit.max_current_a is not None and circuit.buffer_a >= circuit.max_current_a:
        raise Invalid("buffer_a must be below max_current_a")
    circuit.objective = str(getattr(circuit.objective, "value", circuit.objective))


def _check_interval(fields: dict[str, Any]) -> None:
    """Read a naive `starts_at`/`ends_at` as UTC (as everywhere else) before comparing them: a
    naive one beside an aware one was a TypeError, a 500."""
    fields["starts_at"], fields["ends_at"] = as_utc(fields["starts_at"]), as_utc(fields["ends_at"])
    if fields["ends_at"] <= fields["starts_at"]:
        raise Invalid("ends_at must be after starts_at")
