"""Planning a station's EVSEs and connectors through the API, and reconciling the plan with what
the station reports. Never commits.

EVSEs and connectors are the same rows whether planned or reported (`stations/models.py`):
planning one the station reported earlier adopts it; a station reporting one nobody planned
adds it with a visible conflict. A change of the layout is a change of the station's
configuration, so it moves the station's ETag.
"""

from dataclasses import dataclass
from typing import Any

from chargeyard.clock import Clock
from chargeyard.errors import Conflict, Invalid, NotFound
from chargeyard.events.payloads import (
    CONNECTOR_CONFLICT,
    CONNECTOR_PLANNED,
    CONNECTOR_REMOVED,
    CONNECTOR_UPDATED,
    EVSE_PLANNED,
    EVSE_REMOVED,
    EVSE_UPDATED,
    ConnectorChanged,
    ConnectorConflict,
    EventKind,
    EvseChanged,
    EvseUpdated,
    P,
)
from chargeyard.events.recorder import record_event
from chargeyard.stations.hardware import (
    HARDWARE_FIELDS,
    REPORTED_TYPES,
    UNPLANNED,
    PowerType,
    compare,
    max_electric_power_w,
    merge_conflicts,
)
from chargeyard.stations.models import Connector, Evse, Station
from chargeyard.stations.repository import StationRepository
from chargeyard.storage.unit_of_work import UnitOfWork
from chargeyard.tariffs.service import TariffService
from chargeyard.transactions.repository import TransactionRepository


@dataclass(frozen=True)
class ConnectorDraft:
    connector_id: int
    standard: str | None = None
    format: str | None = None
    power_type: str | None = None
    max_voltage: int | None = None
    max_amperage: int | None = None
    max_electric_power: int | None = None


def _fill_power(values: dict[str, Any], connector: Connector | None = None) -> None:
    """Derive max_electric_power from the other electrical data unless it was given."""
    if values.get("max_electric_power") is not None:
        return

    def current(name: str) -> Any:
        return values[name] if name in values else getattr(connector, name, None)

    power_type = current("power_type")
    derived = max_electric_power_w(
        None if power_type is None else PowerType(power_type),
        current("max_voltage"),
        current("max_amperage"),
    )
    if derived is not None:
        values["max_electric_power"] = derived


def _unplanned_cleared(connector: Connector) -> None:
    connector.conflicts = [c for c in connector.conflicts or [] if c.get("field") != "connector"]


class LayoutService:
    def __init__(self, uow: UnitOfWork, organization_id: str, clock: Clock) -> None:
        self.uow = uow
        self.organization_id = organization_id
        self.clock = clock
        self.stations = StationRepository(uow.session, organization_id)

    async def add_evse(
        self,
        station: Station,
        evse_id: int,
        connectors: list[ConnectorDraft],
        physical_reference: str | None = None,
    ) -> Evse:
        """Plan an EVSE, or adopt one the station reported that nobody had planned."""
        evse = _find_evse(station, evse_id)
        if evse is not None and evse.planned:
            raise Conflict(f"Station {station.id!r} has EVSE {evse_id} already")
        if len({c.connector_id for c in connectors}) < len(connectors):
            raise Invalid("connectors: connector ids repeat")
        if evse is None:
            evse = self.stations.add_evse(station, evse_id)
        evse.planned = True
        evse.physical_reference = physical_reference
        for draft in connectors:
            self._plan_connector(evse, draft)
        self._changed(station, EVSE_PLANNED, EvseChanged(station_id=station.id, evse_id=evse_id))
        return evse

    async def update_evse(self, station: Station, evse: Evse, changes: dict[str, Any]) -> Evse:
        """`tariff_id` must name a tariff of the organization (null: the station's applies)."""
        if changes.get("tariff_id") not in (None, evse.tariff_id):
            await TariffService(self.uow, self.organization_id, self.clock).check_assignable(
                changes["tariff_id"]
            )
        for name, value in changes.items():
            setattr(evse, name, value)
        self._changed(
            station,
            EVSE_UPDATED,
            EvseUpdated(station_id=station.id, evse_id=evse.evse_id, changed=sorted(changes)),
        )
        return evse

    async def remove_evse(self, station: Station, evse: Evse) -> None:
        await self._refuse_if_charging(station, evse)
        station.evses.remove(evse)
        self._changed(
            station, EVSE_REMOVED, EvseChanged(station_id=station.id, evse_id=evse.evse_id)
        )

    def add_connector(self, station: Station, evse: Evse, draft: ConnectorDraft) -> Connector:
        existing = _find_connector(evse, draft.connector_id)
        if existing is not None and existing.planned:
            raise Conflict(f"EVSE {evse.evse_id} has connector {draft.connector_id} already")
        evse.planned = True
        connector = self._plan_connector(evse, draft)
        self._changed(
            station,
            CONNECTOR_PLANNED,
            ConnectorChanged(
                station_id=station.id, evse_id=evse.evse_id, connector_id=draft.connector_id
            ),
        )
        return connector

    def update_connector(
        self, station: Station, evse: Evse, connector: Connector, changes: dict[str, Any]
    ) -> Connector:
        if any(name in changes for name in ("power_type", "max_voltage", "max_amperage")):
            changes.setdefault("max_electric_power", None)
            _fill_power(changes, connector)
        for name, value in changes.items():
            setattr(connector, name, value)
        connector.planned = True
        self._recheck(connector, set(changes))
        self._changed(
            station,
            CONNECTOR_UPDATED,
            ConnectorChanged(
                station_id=station.id, evse_id=evse.evse_id, connector_id=connector.connector_id
            ),
        )
        return connector

    async def remove_connector(self, station: Station, evse: Evse, connector: Connector) -> None:
        await self._refuse_if_charging(station, evse)
        evse.connectors.remove(connector)
        self._changed(
            station,
            CONNECTOR_REMOVED,
            ConnectorChanged(
                station_id=station.id, evse_id=evse.evse_id, connector_id=connector.connector_id
            ),
        )

    def report_connector_type(self, station: Station, connector: Connector, reported: str) -> None:
        """A station's own ConnectorType (2.0.1 device model): it fills what nobody planned and
        is recorded as a conflict where it contradicts the plan."""
        connector.connector_type = reported
        standard_format = REPORTED_TYPES.get(reported)
        if standard_format is None:
            return
        self._recheck(connector, {"standard", "format"})
        if connector.conflicts:
            record_event(
                self.uow,
                organization_id=self.organization_id,
                kind=CONNECTOR_CONFLICT,
                occurred_at=self.clock(),
                station_id=station.id,
                data=ConnectorConflict(
                    station_id=station.id,
                    connector_id=connector.connector_id,
                    conflicts=connector.conflicts,
                ),
            )

    def _recheck(self, connector: Connector, fields: set[str]) -> None:
        """Compare the planned standard and format with the reported type again."""
        standard_format = REPORTED_TYPES.get(connector.connector_type or "")
        if standard_format is None or not fields & {"standard", "format"}:
            return
        reported = {"standard": standard_format[0].value, "format": standard_format[1].value}
        planned = {"standard": connector.standard, "format": connector.format}
        fill, conflicts = compare(planned, reported)
        for name, value in fill.items():
            setattr(connector, name, value)
        connector.conflicts = merge_conflicts(
            connector.conflicts or [], conflicts, {"standard", "format"}
        )

    def _plan_connector(self, evse: Evse, draft: ConnectorDraft) -> Connector:
        connector = _find_connector(evse, draft.connector_id)
        if connector is None:
            connector = self.stations.add_connector(evse, draft.connector_id)
        values = {name: getattr(draft, name) for name in HARDWARE_FIELDS}
        _fill_power(values)
        for name, value in values.items():
            setattr(connector, name, value)
        connector.planned = True
        _unplanned_cleared(connector)
        self._recheck(connector, {"standard", "format"})
        return connector

    async def _refuse_if_charging(self, station: Station, evse: Evse) -> None:
        transactions = TransactionRepository(self.uow.session, self.organization_id)
        if await transactions.active_on(station.id, evse.evse_id):
            raise Conflict(f"EVSE {evse.evse_id} has a session running; stop it first")

    def _changed(self, station: Station, kind: EventKind[P], data: P) -> None:
        station.touch()
        record_event(
            self.uow,
            organization_id=self.organization_id,
            kind=kind,
            occurred_at=self.clock(),
            station_id=station.id,
            data=data,
        )


def _find_evse(station: Station, evse_id: int) -> Evse | None:
    return next((e for e in station.evses if e.evse_id == evse_id), None)


def _find_connector(evse: Evse, connector_id: int) -> Connector | None:
    return next((c for c in evse.connectors if c.connector_id == connector_id), None)


def evse_of(station: Station, evse_id: int) -> Evse:
    evse = _find_evse(station, evse_id)
    if evse is None:
        raise NotFound(f"Station {station.id!r} has no EVSE {evse_id}")
    return evse


def connector_of(evse: Evse, connector_id: int) -> Connector:
    connector = _find_connector(evse, connector_id)
    if connector is None:
        raise NotFound(f"EVSE {evse.evse_id} has no connector {connector_id}")
    return connector


def unplanned(station: Station, connector: Connector) -> None:
    """A connector a station reported: if the station has a planned layout and this is not in
    it, the connector says so (it is kept: the station is the truth about what exists)."""
    if any(e.planned for e in station.evses) and not connector.planned:
        connector.conflicts = merge_conflicts(connector.conflicts or [], [UNPLANNED], {"connector"})
