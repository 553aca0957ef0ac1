"""Station values and rules, free of I/O and of any OCPP version.

Statuses are kept in the 2.0.1 vocabulary (`ConnectorStatus`); the adapter for each protocol
translates its own statuses into it and keeps the raw value alongside for display.
"""

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum


class ConnectorStatus(StrEnum):
    AVAILABLE = "Available"
    OCCUPIED = "Occupied"
    RESERVED = "Reserved"
    UNAVAILABLE = "Unavailable"
    FAULTED = "Faulted"
    UNKNOWN = "Unknown"


class RegistrationStatus(StrEnum):
    ACCEPTED = "Accepted"
    PENDING = "Pending"
    REJECTED = "Rejected"


@dataclass(frozen=True)
class BootInfo:
    """What a station says about itself at boot, whatever its protocol."""

    vendor: str
    model: str
    serial_number: str | None = None
    charge_box_serial_number: str | None = None
    firmware_version: str | None = None
    iccid: str | None = None
    imsi: str | None = None
    meter_type: str | None = None
    meter_serial_number: str | None = None
    reason: str | None = None


@dataclass(frozen=True)
class BootDecision:
    status: RegistrationStatus
    interval_s: int


@dataclass(frozen=True)
class StatusReport:
    """A status the station reported; `evse_id is None` means the station as a whole."""

    status: ConnectorStatus
    ocpp_status: str
    timestamp: datetime
    evse_id: int | None = None
    connector_id: int | None = None
    error_code: str | None = None
    info: str | None = None
    vendor_id: str | None = None
    vendor_error_code: str | None = None


# A station's identity, as OCPP lets a station use it: at most 48 characters (1.6 security
# whitepaper, 2.0.1 part 4 "identity"), inside a URL path segment (/ocpp/{id}) without
# percent-encoding (RFC 3986 unreserved and sub-delims, and "@"), and in HTTP Basic's user name,
# so no ":". "." and ".." are path segments of their own, never an id.
STATION_ID_MAX_LENGTH = 48
_ID_CHAR = r"A-Za-z0-9\-_~!$&'()*+,;=@"  # and ".", which a whole id may not be alone
STATION_ID_PATTERN = (
    rf"^(?:[{_ID_CHAR}][.{_ID_CHAR}]{{0,47}}|\.[{_ID_CHAR}][.{_ID_CHAR}]{{0,46}}"
    rf"|\.\.[.{_ID_CHAR}]{{1,46}})$"
)

# A station must have a password of this length to authenticate with security profile 1 or 2.
PASSWORD_MIN_LENGTH = 16
PASSWORD_MAX_LENGTH = 40
# Station passwords are admitted by a fast keyed verifier (security/verifiers.py), which is only
# safe for passwords out of brute force's reach: refuse the obviously patterned ones
# ("aaaaaaaaaaaaaaaa", "abcabcabcabcabca") at once. A random password of 16 characters has
# about 12 different ones; fewer than this is almost certainly not random.
PASSWORD_MIN_DISTINCT_CHARACTERS = 6


def password_problem(password: str) -> str | None:
    """Why `password` cannot be a station password, or None."""
    if not PASSWORD_MIN_LENGTH <= len(password) <= PASSWORD_MAX_LENGTH:
        return f"a station password must have {PASSWORD_MIN_LENGTH} to {PASSWORD_MAX_LENGTH} characters"
    if len(set(password)) < PASSWORD_MIN_DISTINCT_CHARACTERS:
        return (
            f"a station password needs at least {PASSWORD_MIN_DISTINCT_CHARACTERS} different "
            "characters (use a random one: leave it out to have one generated)"
        )
    return None


def boot_decision(registration: RegistrationStatus, heartbeat_interval_s: int) -> BootDecision:
    """Answer a boot: an accepted station heartbeats at the configured interval; a pending or
    rejected one retries the boot sooner so an operator's acceptance takes effect quickly."""
    if registration is RegistrationStatus.ACCEPTED:
        return BootDecision(registration, heartbeat_interval_s)
    return BootDecision(registration, min(60, heartbeat_interval_s))


def evse_status(connector_statuses: list[ConnectorStatus]) -> ConnectorStatus:
    """An EVSE is as busy as its busiest connector: one in use makes the EVSE in use."""
    for status in (
        ConnectorStatus.FAULTED,
        ConnectorStatus.OCCUPIED,
        ConnectorStatus.RESERVED,
        ConnectorStatus.UNAVAILABLE,
        ConnectorStatus.AVAILABLE,
    ):
        if status in connector_statuses:
            return status
    return ConnectorStatus.UNKNOWN


class DeployState(StrEnum):
    """Where a station is in its life. Only Production stations count in KPIs."""

    PLANNED = "Planned"
    STOCK = "Stock"
    PRODUCTION = "Production"
    DEPRECATED = "Deprecated"


class Capability(StrEnum):
    """OCPI 2.2.1 `Capability`: what a station offers drivers and roaming partners."""

    CHARGING_PROFILE_CAPABLE = "CHARGING_PROFILE_CAPABLE"
    CHARGING_PREFERENCES_CAPABLE = "CHARGING_PREFERENCES_CAPABLE"
    CHIP_CARD_SUPPORT = "CHIP_CARD_SUPPORT"
    CONTACTLESS_CARD_SUPPORT = "CONTACTLESS_CARD_SUPPORT"
    CREDIT_CARD_PAYABLE = "CREDIT_CARD_PAYABLE"
    DEBIT_CARD_PAYABLE = "DEBIT_CARD_PAYABLE"
    PED_TERMINAL = "PED_TERMINAL"
    REMOTE_START_STOP_CAPABLE = "REMOTE_START_STOP_CAPABLE"
    RESERVABLE = "RESERVABLE"
    RFID_READER = "RFID_READER"
    START_SESSION_CONNECTOR_REQUIRED = "START_SESSION_CONNECTOR_REQUIRED"
    TOKEN_GROUP_CAPABLE = "TOKEN_GROUP_CAPABLE"
    UNLOCK_CAPABLE = "UNLOCK_CAPABLE"


class ParkingRestriction(StrEnum):
    """OCPI 2.2.1 `ParkingRestriction`."""

    EV_ONLY = "EV_ONLY"
    PLUGGED = "PLUGGED"
    DISABLED = "DISABLED"
    CUSTOMERS = "CUSTOMERS"
    MOTORCYCLES = "MOTORCYCLES"


class OcpiStatus(StrEnum):
    """OCPI 2.2.1 `Status`, the view of an EVSE roaming partners and maps read."""

    AVAILABLE = "AVAILABLE"
    BLOCKED = "BLOCKED"
    CHARGING = "CHARGING"
    INOPERATIVE = "INOPERATIVE"
    OUTOFORDER = "OUTOFORDER"
    PLANNED = "PLANNED"
    REMOVED = "REMOVED"
    RESERVED = "RESERVED"
    UNKNOWN = "UNKNOWN"


_OCPI_STATUS = {
    ConnectorStatus.AVAILABLE: OcpiStatus.AVAILABLE,
    ConnectorStatus.OCCUPIED: OcpiStatus.CHARGING,
    ConnectorStatus.RESERVED: OcpiStatus.RESERVED,
    ConnectorStatus.UNAVAILABLE: OcpiStatus.INOPERATIVE,
    ConnectorStatus.FAULTED: OcpiStatus.OUTOFORDER,
    ConnectorStatus.UNKNOWN: OcpiStatus.UNKNOWN,
}


def ocpi_status(status: ConnectorStatus, deploy_state: DeployState, connected: bool) -> OcpiStatus:
    """An EVSE's status as OCPI says it: a station not yet built is PLANNED, a retired one
    REMOVED, and one that is offline has no status information (UNKNOWN)."""
    if deploy_state is DeployState.PLANNED:
        return OcpiStatus.PLANNED
    if deploy_state is DeployState.DEPRECATED:
        return OcpiStatus.REMOVED
    if not connected:
        return OcpiStatus.UNKNOWN
    return _OCPI_STATUS[status]
