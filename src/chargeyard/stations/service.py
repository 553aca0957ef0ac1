"""Station use cases, shared by the REST API and every OCPP version. Never commits."""

from collections.abc import Collection
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from chargeyard.circuits.repository import CircuitRepository
from chargeyard.clock import Clock
from chargeyard.errors import Conflict, Invalid, NameTaken, NotFound
from chargeyard.events.payloads import (
    STATION_BOOTED,
    STATION_DATA_TRANSFER,
    STATION_DELETED,
    STATION_FIRMWARE_STATUS,
    STATION_LOG_UPLOAD_STATUS,
    STATION_REGISTERED,
    STATION_UPDATED,
    EventKind,
    P,
    StationBooted,
    StationDataTransfer,
    StationEvent,
    StationRegistered,
    StationRequestStatus,
    StationUpdated,
)
from chargeyard.events.recorder import record_event
from chargeyard.hardware_templates.service import HardwareTemplateService
from chargeyard.load_management.admission import AdmissionPolicy, admit_boot, holds
from chargeyard.locations.repository import LocationRepository
from chargeyard.security.passwords import hash_password
from chargeyard.stations.connections import disconnection_event
from chargeyard.stations.credentials import CredentialService
from chargeyard.stations.domain import (
    BootDecision,
    BootInfo,
    ConnectorStatus,
    DeployState,
    RegistrationStatus,
    StatusReport,
    boot_decision,
    evse_status,
    password_problem,
)
from chargeyard.stations.layout import unplanned
from chargeyard.stations.models import Connector, Evse, Station
from chargeyard.stations.repository import StationRepository, mark_disconnected
from chargeyard.stations.status_reports import recorded
from chargeyard.storage.unit_of_work import UnitOfWork
from chargeyard.tariffs.service import TariffService
from chargeyard.transactions.repository import TransactionRepository

_BOOT_FIELDS = (
    "vendor",
    "model",
    "serial_number",
    "charge_box_serial_number",
    "firmware_version",
    "iccid",
    "imsi",
    "meter_type",
    "meter_serial_number",
)


@dataclass(frozen=True)
class StationDraft:
    id: str
    password: str | None = None
    name: str | None = None
    location_id: str | None = None
    security_profile: int = 1
    registration_status: RegistrationStatus = RegistrationStatus.ACCEPTED
    allow_all_tags: bool | None = None
    deploy_state: str | None = None
    latitude: Decimal | None = None
    longitude: Decimal | None = None
    capabilities: list[str] | None = None
    parking_restrictions: list[str] | None = None
    directions: str | None = None
    floor_level: str | None = None
    physical_reference: str | None = None
    template_id: str | None = None


# Description fields that have a value even when nobody gave one.
_DESCRIPTION_DEFAULTS: dict[str, Any] = {
    "allow_all_tags": False,
    "deploy_state": DeployState.PRODUCTION.value,
    "capabilities": [],
    "parking_restrictions": [],
}
DESCRIPTION_FIELDS = (
    *_DESCRIPTION_DEFAULTS,
    "latitude",
    "longitude",
    "directions",
    "floor_level",
    "physical_reference",
)


def described(fields: dict[str, Any]) -> dict[str, Any]:
    """The description fields as stored: enums as their values, absent ones as defaults."""
    out = dict(fields)
    for name, default in _DESCRIPTION_DEFAULTS.items():
        if name in out and out[name] is None:
            out[name] = default
    if out.get("deploy_state") is not None:
        out["deploy_state"] = DeployState(out["deploy_state"]).value
    for name in ("capabilities", "parking_restrictions"):
        if out.get(name) is not None:
            out[name] = sorted({str(v) for v in out[name]})
    return out


def check_password(password: str) -> None:
    problem = password_problem(password)
    if problem is not None:
        raise Invalid(problem)


class StationService:
    def __init__(
        self, uow: UnitOfWork, organization_id: str, clock: Clock, actor: str | None = None
    ) -> None:
        self.uow = uow
        self.organization_id = organization_id
        self.clock = clock
        self.actor = actor
        """Who asks (`Principal.actor`), for the audit of security changes; None for OCPP."""
        self.stations = StationRepository(uow.session, organization_id)

    async def register(self, draft: StationDraft) -> Station:
        if not draft.id or "/" in draft.id or len(draft.id) > 64:
            raise Invalid("a station id has 1 to 64 characters and no '/'")
        if draft.security_profile not in (0, 1, 2, 3):
            raise Invalid("security_profile is 0 (no authentication), 1, 2 or 3")
        if await self.uow.session.get(Station, draft.id) is not None:
            raise NameTaken(f"the station id {draft.id!r} is not available")
        await self._check_location(draft.location_id)
        password_hash = None
        if draft.password is not None:
            check_password(draft.password)
            password_hash = await hash_password(draft.password)
        description = described(
            {name: getattr(draft, name) for name in DESCRIPTION_FIELDS}
            | {n: getattr(draft, n) or d for n, d in _DESCRIPTION_DEFAULTS.items()}
        )
        station = Station(
            **description,
            id=draft.id,
            organization_id=self.organization_id,
            name=draft.name,
            location_id=draft.location_id,
            password_hash=password_hash,
            security_profile=draft.security_profile,
            registration_status=draft.registration_status.value,
            evses=[],
            revision=1,
        )
        self.stations.add(station)
        registered: StationRegistered = {
            "station_id": station.id,
            "registration_status": station.registration_status,
        }
        self._event(STATION_REGISTERED, station, registered)
        if draft.template_id is not None:
            templates = HardwareTemplateService(self.uow, self.organization_id, self.clock)
            template = await templates.templates.find(draft.template_id)
            if template is None:
                raise Invalid(
                    f"template_id: Hardware template {draft.template_id!r} does not exist"
                )
            station.vendor, station.model = template.vendor, template.model
            await templates.lay_out(station, template)
        return station

    async def set_password(self, station: Station, password: str) -> None:
        check_password(password)
        await CredentialService(self.uow, self.organization_id, self.clock).set(station, password)

    async def update(self, station: Station, changes: dict[str, Any]) -> Station:
        if "security_profile" in changes and changes["security_profile"] not in (0, 1, 2, 3):
            raise Invalid("security_profile is 0 (no authentication), 1, 2 or 3")
        if changes.get("location_id") not in (None, station.location_id):
            await self._check_location(changes["location_id"])
        if changes.get("circuit_id") not in (None, station.circuit_id):
            await self._check_circuit(changes["circuit_id"])
        if changes.get("tariff_id") not in (None, station.tariff_id):
            await TariffService(self.uow, self.organization_id, self.clock).check_assignable(
                changes["tariff_id"]
            )
        if "password" in changes:
            password = changes.pop("password")
            if password is not None:
                await self.set_password(station, password)
        profile = changes.get("security_profile", station.security_profile)
        if profile != station.security_profile:
            CredentialService(self.uow, self.organization_id, self.clock).profile_changed(
                station, station.security_profile, profile, self.actor
            )
        if "registration_status" in changes:
            changes["registration_status"] = RegistrationStatus(
                changes["registration_status"]
            ).value
        changes = described(changes)
        for name, value in changes.items():
            setattr(station, name, value)
        station.touch()
        updated: StationUpdated = {"station_id": station.id, "changed": sorted(changes)}
        self._event(STATION_UPDATED, station, updated)
        return station

    async def delete(self, station: Station) -> None:
        if station.connected:
            raise Conflict("a connected station cannot be deleted; disconnect it first")
        if await TransactionRepository(self.uow.session, self.organization_id).exists_for(
            station.id
        ):
            raise Conflict(
                "the station has transactions, which are kept as billing records; "
                "set its registration_status to Rejected to retire it instead"
            )
        await self.stations.delete(station)
        deleted: StationEvent = {"station_id": station.id}
        self._event(STATION_DELETED, station, deleted)

    async def boot(
        self,
        station: Station,
        info: BootInfo,
        default_interval_s: int = 300,
        admission: AdmissionPolicy | None = None,
    ) -> BootDecision:
        """`default_interval_s` (the server's setting) applies unless the station has its own.
        With `admission`, a station on a managed circuit that its registration accepts waits
        (`Pending`) until smart charging admits it (`load_management/admission.py`)."""
        now = self.clock()
        changed = [n for n in _BOOT_FIELDS if getattr(station, n) != getattr(info, n)]
        for name in _BOOT_FIELDS:
            setattr(station, name, getattr(info, name))
        decision = boot_decision(
            RegistrationStatus(station.registration_status),
            station.heartbeat_interval or default_interval_s,
        )
        waited: str | None = None
        if admission is not None and decision.status is RegistrationStatus.ACCEPTED:
            waited = await admit_boot(
                self.uow.session, self.organization_id, station, now, admission
            )
            if holds(waited):
                decision = BootDecision(RegistrationStatus.PENDING, admission.retry_s)
        station.last_boot_at = now
        station.boot_accepted = decision.status is RegistrationStatus.ACCEPTED
        if changed:  # new hardware or firmware is a change of what the station is
            station.touch()
        templates = HardwareTemplateService(self.uow, self.organization_id, self.clock)
        await templates.lay_out_matching(station)
        booted: StationBooted = {
            "station_id": station.id,
            "status": decision.status.value,
            "reason": info.reason,
            "admission": waited,
            "protocol": station.protocol,
            "vendor": info.vendor,
            "model": info.model,
            "serial_number": info.serial_number,
            "charge_box_serial_number": info.charge_box_serial_number,
            "firmware_version": info.firmware_version,
            "iccid": info.iccid,
            "imsi": info.imsi,
            "meter_type": info.meter_type,
            "meter_serial_number": info.meter_serial_number,
        }
        self._event(STATION_BOOTED, station, booted)
        return decision

    async def report_status(self, station: Station, report: StatusReport) -> None:
        """A status report read against the loaded station (the path that decides what the
        connection's memory cannot: `status_reports.py`)."""
        if report.evse_id is None:
            station.status = report.status.value
            station.ocpp_status = report.ocpp_status
            station.error_code = report.error_code
            station.status_at = report.timestamp
        else:
            evse, connector = self.ensure_connector(
                station, report.evse_id, report.connector_id or 1
            )
            connector.status = report.status.value
            connector.ocpp_status = report.ocpp_status
            connector.error_code = report.error_code
            connector.info = report.info
            connector.vendor_id = report.vendor_id
            connector.vendor_error_code = report.vendor_error_code
            connector.status_at = report.timestamp
            evse.status = evse_status([ConnectorStatus(c.status) for c in evse.connectors]).value
        station.status_changed_at = self.clock()
        recorded(self.uow, self.organization_id, self.clock, station.id, report)

    def report_firmware_status(self, station: Station, status: str, request_id: int | None) -> None:
        station.firmware_status = status
        station.firmware_status_at = self.clock()
        firmware: StationRequestStatus = {
            "station_id": station.id,
            "status": status,
            "request_id": request_id,
        }
        self._event(STATION_FIRMWARE_STATUS, station, firmware)

    def report_upload_status(self, station: Station, status: str, request_id: int | None) -> None:
        """Diagnostics (1.6) and log (2.0.1) uploads share one status: both are a file the
        station sends to a URL the operator gave."""
        station.diagnostics_status = status
        station.diagnostics_status_at = self.clock()
        upload: StationRequestStatus = {
            "station_id": station.id,
            "status": status,
            "request_id": request_id,
        }
        self._event(STATION_LOG_UPLOAD_STATUS, station, upload)

    def record_data_transfer(
        self, station: Station, vendor_id: str, message_id: str | None, data: str | None
    ) -> None:
        transfer: StationDataTransfer = {
            "station_id": station.id,
            "vendor_id": vendor_id,
            "message_id": message_id,
            "data": data,
        }
        self._event(STATION_DATA_TRANSFER, station, transfer)

    def ensure_connector(
        self, station: Station, evse_id: int, connector_id: int
    ) -> tuple[Evse, Connector]:
        """Topology comes from what the station reports: unknown EVSEs and connectors appear
        (marked as not in the plan, when the station has a planned layout: `stations/layout.py`)."""
        evse = next((e for e in station.evses if e.evse_id == evse_id), None)
        if evse is None:
            evse = self.stations.add_evse(station, evse_id)
        connector = next((c for c in evse.connectors if c.connector_id == connector_id), None)
        if connector is None:
            connector = self.stations.add_connector(evse, connector_id)
            unplanned(station, connector)
        return evse, connector

    async def _check_location(self, location_id: str | None) -> None:
        """A station hangs only at a location of its own organization."""
        locations = LocationRepository(self.uow.session, self.organization_id)
        if location_id is not None and await locations.find(location_id) is None:
            raise Invalid(f"location_id: Location {location_id!r} does not exist")

    async def _check_circuit(self, circuit_id: str) -> None:
        """A station hangs only under a circuit of its own organization."""
        circuits = CircuitRepository(self.uow.session, self.organization_id)
        if await circuits.find(circuit_id) is None:
            raise Invalid(f"circuit_id: Circuit {circuit_id!r} does not exist")

    async def get(self, station_id: str) -> Station:
        return await self.stations.get(station_id)

    async def booting(self, station_id: str) -> Station:
        """The station a BootNotification changes, locked for it (`StationRepository.booting`)."""
        return await self.stations.booting(station_id)

    async def evse(self, station_id: str, evse_id: int) -> Evse:
        station = await self.get(station_id)
        for evse in station.evses:
            if evse.evse_id == evse_id:
                return evse
        raise NotFound(f"Station {station_id!r} has no EVSE {evse_id}")

    def _event(self, kind: EventKind[P], station: Station, data: P) -> None:
        record_event(
            self.uow,
            organization_id=self.organization_id,
            kind=kind,
            occurred_at=self.clock(),
            station_id=station.id,
            data=data,
        )


async def disconnect_holders(uow: UnitOfWork, holders: Collection[str], clock: Clock) -> list[str]:
    """Every station these workers hold is disconnected, in one write with one
    `station.disconnected` event each: what each session's own teardown would have recorded,
    without thousands of separate transactions. For a worker shutting down or starting again,
    and for workers found dead by the cluster's sweeper."""
    now = clock()
    rows = await mark_disconnected(uow.session, holders, now)
    for station_id, organization_id in rows:
        disconnection_event(uow, organization_id, station_id, now)
    return [station_id for station_id, _ in rows]
