"""Commands only OCPP 2.x stations know, as protocol-free values: the device model (variables,
reports, monitoring), display messages, certificates, customer information, logs, signed
firmware and charging-profile reports.

The vocabulary (report bases, monitor types, message priorities, certificate uses) is 2.0.1's,
since no other version has these concepts. The 1.6 renderer has none of them, so a 1.6 station
answers each with `CommandNotSupported` (422). Request ids are chosen by Chargeyard (or the
caller) and come back in the station's follow-up notifications.
"""

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from enum import StrEnum

from chargeyard.charging_profiles.domain import ReportedPurpose
from chargeyard.commands.domain import Command
from chargeyard.device_model.domain import ComponentRef, VariableRef


class AttributeType(StrEnum):
    ACTUAL = "Actual"
    TARGET = "Target"
    MIN_SET = "MinSet"
    MAX_SET = "MaxSet"


@dataclass(frozen=True)
class VariableQuery:
    component: ComponentRef
    variable: VariableRef
    attribute: AttributeType | None = None


@dataclass(frozen=True)
class VariableSetting:
    component: ComponentRef
    variable: VariableRef
    value: str
    attribute: AttributeType | None = None


@dataclass(frozen=True)
class GetVariables(Command):
    name = "get-variables"
    queries: tuple[VariableQuery, ...]


@dataclass(frozen=True)
class SetVariables(Command):
    name = "set-variables"
    settings: tuple[VariableSetting, ...]


class ReportBase(StrEnum):
    CONFIGURATION = "ConfigurationInventory"
    FULL = "FullInventory"
    SUMMARY = "SummaryInventory"


@dataclass(frozen=True)
class GetBaseReport(Command):
    name = "get-base-report"
    request_id: int
    report_base: ReportBase


class ComponentCriterion(StrEnum):
    ACTIVE = "Active"
    AVAILABLE = "Available"
    ENABLED = "Enabled"
    PROBLEM = "Problem"


@dataclass(frozen=True)
class ComponentVariable:
    """A component, or one variable of it."""

    component: ComponentRef
    variable: VariableRef | None = None


@dataclass(frozen=True)
class GetReport(Command):
    name = "get-report"
    request_id: int
    criteria: tuple[ComponentCriterion, ...] = ()
    variables: tuple[ComponentVariable, ...] = ()


class MonitorType(StrEnum):
    UPPER_THRESHOLD = "UpperThreshold"
    LOWER_THRESHOLD = "LowerThreshold"
    DELTA = "Delta"
    PERIODIC = "Periodic"
    PERIODIC_CLOCK_ALIGNED = "PeriodicClockAligned"


@dataclass(frozen=True)
class Monitor:
    """`id` None asks the station to create a monitor; an id replaces that monitor."""

    component: ComponentRef
    variable: VariableRef
    type: MonitorType
    value: Decimal
    severity: int
    id: int | None = None
    transaction: bool = False


@dataclass(frozen=True)
class SetVariableMonitoring(Command):
    name = "set-variable-monitoring"
    monitors: tuple[Monitor, ...]


@dataclass(frozen=True)
class ClearVariableMonitoring(Command):
    name = "clear-variable-monitoring"
    ids: tuple[int, ...]


class MonitoringCriterion(StrEnum):
    THRESHOLD = "ThresholdMonitoring"
    DELTA = "DeltaMonitoring"
    PERIODIC = "PeriodicMonitoring"


@dataclass(frozen=True)
class GetMonitoringReport(Command):
    """The monitors arrive in NotifyMonitoringReport parts; without criteria and components
    they are every monitor the station has (device_model/service.py replaces the stored set)."""

    name = "get-monitoring-report"
    request_id: int
    criteria: tuple[MonitoringCriterion, ...] = ()
    variables: tuple[ComponentVariable, ...] = ()


class MonitoringBase(StrEnum):
    ALL = "All"
    FACTORY_DEFAULT = "FactoryDefault"
    HARD_WIRED_ONLY = "HardWiredOnly"


@dataclass(frozen=True)
class SetMonitoringBase(Command):
    name = "set-monitoring-base"
    base: MonitoringBase


@dataclass(frozen=True)
class SetMonitoringLevel(Command):
    name = "set-monitoring-level"
    severity: int


class HashAlgorithm(StrEnum):
    SHA256 = "SHA256"
    SHA384 = "SHA384"
    SHA512 = "SHA512"


@dataclass(frozen=True)
class CertificateHash:
    """How OCPP names a certificate: hashes of its issuer, and its serial number."""

    hash_algorithm: HashAlgorithm
    issuer_name_hash: str
    issuer_key_hash: str
    serial_number: str


@dataclass(frozen=True)
class CustomerInformation(Command):
    """Report and/or clear what the station holds about one customer (by identifier, ID tag
    or certificate)."""

    name = "customer-information"
    request_id: int
    report: bool
    clear: bool
    customer_identifier: str | None = None
    id_tag: str | None = None
    token_type: str | None = None
    certificate: CertificateHash | None = None


class MessagePriority(StrEnum):
    ALWAYS_FRONT = "AlwaysFront"
    IN_FRONT = "InFront"
    NORMAL_CYCLE = "NormalCycle"


class MessageState(StrEnum):
    CHARGING = "Charging"
    FAULTED = "Faulted"
    IDLE = "Idle"
    UNAVAILABLE = "Unavailable"


class MessageFormat(StrEnum):
    ASCII = "ASCII"
    HTML = "HTML"
    URI = "URI"
    UTF8 = "UTF8"


@dataclass(frozen=True)
class DisplayMessage:
    """`ocpp_transaction_id` is the station's id of the transaction the message belongs to."""

    id: int
    priority: MessagePriority
    text: str
    format: MessageFormat = MessageFormat.UTF8
    language: str | None = None
    state: MessageState | None = None
    start_at: datetime | None = None
    end_at: datetime | None = None
    evse_id: int | None = None
    ocpp_transaction_id: str | None = None


@dataclass(frozen=True)
class SetDisplayMessage(Command):
    name = "set-display-message"
    message: DisplayMessage


@dataclass(frozen=True)
class GetDisplayMessages(Command):
    name = "get-display-messages"
    request_id: int
    ids: tuple[int, ...] = ()
    priority: MessagePriority | None = None
    state: MessageState | None = None


@dataclass(frozen=True)
class ClearDisplayMessage(Command):
    name = "clear-display-message"
    id: int


class InstallCertificateUse(StrEnum):
    V2G_ROOT = "V2GRootCertificate"
    MO_ROOT = "MORootCertificate"
    CSMS_ROOT = "CSMSRootCertificate"
    MANUFACTURER_ROOT = "ManufacturerRootCertificate"


class CertificateIdUse(StrEnum):
    V2G_ROOT = "V2GRootCertificate"
    MO_ROOT = "MORootCertificate"
    CSMS_ROOT = "CSMSRootCertificate"
    V2G_CHAIN = "V2GCertificateChain"
    MANUFACTURER_ROOT = "ManufacturerRootCertificate"


@dataclass(frozen=True)
class InstallCertificate(Command):
    name = "install-certificate"
    certificate_type: InstallCertificateUse
    certificate: str


@dataclass(frozen=True)
class DeleteCertificate(Command):
    name = "delete-certificate"
    certificate: CertificateHash


@dataclass(frozen=True)
class GetInstalledCertificateIds(Command):
    name = "get-installed-certificate-ids"
    certificate_types: tuple[CertificateIdUse, ...] = ()


class LogType(StrEnum):
    DIAGNOSTICS = "DiagnosticsLog"
    SECURITY = "SecurityLog"


@dataclass(frozen=True)
class GetLog(Command):
    name = "get-log"
    request_id: int
    log_type: LogType
    location: str
    start: datetime | None = None
    stop: datetime | None = None
    retries: int | None = None
    retry_interval_s: int | None = None


@dataclass(frozen=True)
class SignedUpdateFirmware(Command):
    """Firmware whose signature the station checks against the signing certificate."""

    name = "signed-update-firmware"
    request_id: int
    location: str
    retrieve_at: datetime
    signing_certificate: str
    signature: str
    install_at: datetime | None = None
    retries: int | None = None
    retry_interval_s: int | None = None


@dataclass(frozen=True)
class GetChargingProfiles(Command):
    """The matching profiles arrive in ReportChargingProfiles messages (station reports)."""

    name = "get-charging-profiles"
    request_id: int
    evse_id: int | None = None
    purpose: ReportedPurpose | None = None
    stack_level: int | None = None
    profile_ids: tuple[int, ...] = ()


@dataclass(frozen=True)
class CostUpdated(Command):
    """The running cost of a transaction (including tax, in the station's configured currency),
    for a station that shows it (TariffCostCtrlr). Sent by `costing/running_cost.py`, not
    through the REST API: the cost is Chargeyard's own computation, never a caller's."""

    name = "cost-updated"
    ocpp_transaction_id: str
    total_cost: Decimal
