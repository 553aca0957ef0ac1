"""Commands a CSMS sends a station, as protocol-free values, and the answers that come back.

Each protocol version has a renderer (protocol/v16/commands.py today) that turns these into its
own CALLs and parses the CALLRESULT into an `Answer`. A command a version cannot express is
`CommandNotSupported`. Ids are Chargeyard's: EVSE numbers (1.6 connector ids), and the station's
own wire transaction id where a station must recognise a transaction.
"""

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any, ClassVar

from chargeyard.charging_profiles.domain import ChargingProfile, Purpose, RateUnit
from chargeyard.errors import ChargeyardError, Invalid


class Command:
    """Base of every neutral command; `name` is its kebab-case name in the REST API."""

    name: ClassVar[str]


@dataclass(frozen=True)
class RemoteStart(Command):
    name = "remote-start"
    id_tag: str
    evse_id: int | None = None
    charging_profile: ChargingProfile | None = None
    # 2.x: the station echoes remote_start_id in its TransactionEvent; token_type is the
    # ID tag's (2.x idToken.type).
    remote_start_id: int | None = None
    token_type: str | None = None


@dataclass(frozen=True)
class RemoteStop(Command):
    name = "remote-stop"
    ocpp_transaction_id: str


class ResetType(StrEnum):
    """soft/hard are 1.6's; immediate/on_idle are 2.x's (soft renders as OnIdle there, hard
    as Immediate)."""

    SOFT = "soft"
    HARD = "hard"
    IMMEDIATE = "immediate"
    ON_IDLE = "on_idle"


@dataclass(frozen=True)
class Reset(Command):
    """`evse_id` (2.x only) resets one EVSE instead of the station."""

    name = "reset"
    type: ResetType
    evse_id: int | None = None


@dataclass(frozen=True)
class UnlockConnector(Command):
    name = "unlock-connector"
    evse_id: int
    connector_id: int = 1


@dataclass(frozen=True)
class ChangeAvailability(Command):
    """`evse_id` 0 is the whole station."""

    name = "change-availability"
    evse_id: int
    operative: bool
    connector_id: int | None = None


class TriggerableMessage(StrEnum):
    BOOT_NOTIFICATION = "BootNotification"
    HEARTBEAT = "Heartbeat"
    METER_VALUES = "MeterValues"
    STATUS_NOTIFICATION = "StatusNotification"
    FIRMWARE_STATUS_NOTIFICATION = "FirmwareStatusNotification"
    DIAGNOSTICS_STATUS_NOTIFICATION = "DiagnosticsStatusNotification"
    LOG_STATUS_NOTIFICATION = "LogStatusNotification"
    SIGN_CHARGING_STATION_CERTIFICATE = "SignChargingStationCertificate"
    SIGN_V2G_CERTIFICATE = "SignV2GCertificate"
    TRANSACTION_EVENT = "TransactionEvent"


@dataclass(frozen=True)
class TriggerMessage(Command):
    name = "trigger-message"
    message: TriggerableMessage
    evse_id: int | None = None


@dataclass(frozen=True)
class GetConfiguration(Command):
    name = "get-configuration"
    keys: tuple[str, ...] = ()


@dataclass(frozen=True)
class ChangeConfiguration(Command):
    name = "change-configuration"
    key: str
    value: str


@dataclass(frozen=True)
class ClearCache(Command):
    name = "clear-cache"


@dataclass(frozen=True)
class DataTransfer(Command):
    name = "data-transfer"
    vendor_id: str
    message_id: str | None = None
    data: str | None = None


@dataclass(frozen=True)
class ReserveNow(Command):
    name = "reserve-now"
    reservation_id: int
    evse_id: int
    id_tag: str
    expires_at: datetime
    parent_id_tag: str | None = None
    token_type: str | None = None


@dataclass(frozen=True)
class CancelReservation(Command):
    name = "cancel-reservation"
    reservation_id: int


class ListUpdate(StrEnum):
    FULL = "full"
    DIFFERENTIAL = "differential"


@dataclass(frozen=True)
class LocalListEntry:
    """`status` None removes the tag from the station's list (differential updates)."""

    id_tag: str
    status: str | None = None
    expires_at: datetime | None = None
    parent_id_tag: str | None = None
    token_type: str | None = None


@dataclass(frozen=True)
class SendLocalList(Command):
    name = "send-local-list"
    version: int
    update_type: ListUpdate
    entries: tuple[LocalListEntry, ...]


@dataclass(frozen=True)
class GetLocalListVersion(Command):
    name = "get-local-list-version"


@dataclass(frozen=True)
class UpdateFirmware(Command):
    name = "update-firmware"
    location: str
    retrieve_at: datetime
    retries: int | None = None
    retry_interval_s: int | None = None
    request_id: int | None = None  # 2.x: echoed in FirmwareStatusNotification


@dataclass(frozen=True)
class GetDiagnostics(Command):
    """2.x renders it as GetLog of the DiagnosticsLog."""

    name = "get-diagnostics"
    location: str
    retries: int | None = None
    retry_interval_s: int | None = None
    start: datetime | None = None
    stop: datetime | None = None
    request_id: int | None = None  # 2.x: echoed in LogStatusNotification


@dataclass(frozen=True)
class SetChargingProfile(Command):
    """`ocpp_transaction_id` is the station's id of the profile's transaction (TxProfile)."""

    name = "set-charging-profile"
    evse_id: int
    profile: ChargingProfile
    ocpp_transaction_id: str | None = None


@dataclass(frozen=True)
class ClearChargingProfile(Command):
    name = "clear-charging-profile"
    profile_id: int | None = None
    evse_id: int | None = None
    purpose: Purpose | None = None
    stack_level: int | None = None


@dataclass(frozen=True)
class GetCompositeSchedule(Command):
    name = "get-composite-schedule"
    evse_id: int
    duration_s: int
    unit: RateUnit | None = None


# Answers that carry no status of their own (a configuration listing) read as this one: the
# station answered with a result rather than an error.
ANSWERED = "Accepted"


@dataclass(frozen=True)
class Answer:
    """What the station said: its status value and the whole response, in snake_case."""

    status: str
    response: dict[str, Any]


@dataclass(frozen=True)
class Sent:
    """A command as it went on the wire, for the audit log."""

    action: str
    payload: dict[str, Any]


class CommandNotSupported(Invalid):
    """The station's protocol version has no such command (422)."""

    def __init__(self, command: str, protocol: str, instead: str | None = None) -> None:
        hint = f"; use {instead}" if instead else ""
        super().__init__(f"{command} is not available for stations speaking {protocol}{hint}")


class StationCallError(ChargeyardError):
    """The station answered with a CALLERROR instead of a result."""

    status = 502
    title = "Station answered with an error"

    def __init__(self, code: str, description: str) -> None:
        super().__init__(f"the station answered {code}: {description}".rstrip(": "))
        self.code = code
