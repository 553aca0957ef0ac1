"""The configuration keys of a simulated OCPP 1.6 charge point, kept in memory.

Holds the Core profile keys plus those of the other profiles the simulator implements,
with their access (read-only or read-write) and the type their values must parse as, so
ChangeConfiguration answers Accepted, Rejected or NotSupported the way a charger would.
Keys are matched case-insensitively, as OCPP's CiString type requires.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from enum import Enum

from ocpp.v16.enums import ConfigurationStatus, Measurand


class ValueType(Enum):
    INTEGER = "integer"
    BOOLEAN = "boolean"
    MEASURANDS = "measurands"  # comma-separated list of measurand names
    TEXT = "text"


@dataclass
class ConfigurationKey:
    name: str
    value: str
    readonly: bool
    type: ValueType


_MEASURANDS = frozenset(item.value for item in Measurand)
_SAMPLED = "Energy.Active.Import.Register,Power.Active.Import,Current.Import,Voltage,SoC"
_PROFILES = (
    "Core,FirmwareManagement,LocalAuthListManagement,Reservation,SmartCharging,RemoteTrigger"
)

INT, BOOL, LIST, TEXT = ValueType.INTEGER, ValueType.BOOLEAN, ValueType.MEASURANDS, ValueType.TEXT
# name, default value, read-only, type
_DEFAULTS: tuple[tuple[str, str, bool, ValueType], ...] = (
    ("AllowOfflineTxForUnknownId", "false", False, BOOL),
    ("AuthorizationCacheEnabled", "true", False, BOOL),
    ("AuthorizeRemoteTxRequests", "true", False, BOOL),
    ("ClockAlignedDataInterval", "0", False, INT),
    ("ConnectionTimeOut", "90", False, INT),
    ("ConnectorPhaseRotation", "NotApplicable", False, TEXT),
    ("GetConfigurationMaxKeys", "50", True, INT),
    ("HeartbeatInterval", "60", False, INT),
    ("LocalAuthorizeOffline", "true", False, BOOL),
    ("LocalPreAuthorize", "false", False, BOOL),
    ("MeterValuesAlignedData", "Energy.Active.Import.Register", False, LIST),
    ("MeterValuesSampledData", _SAMPLED, False, LIST),
    ("MeterValueSampleInterval", "60", False, INT),
    ("NumberOfConnectors", "2", True, INT),
    ("ResetRetries", "3", False, INT),
    ("StopTransactionOnEVSideDisconnect", "true", False, BOOL),
    ("StopTransactionOnInvalidId", "true", False, BOOL),
    ("StopTxnAlignedData", "", False, LIST),
    ("StopTxnSampledData", "Energy.Active.Import.Register", False, LIST),
    ("SupportedFeatureProfiles", _PROFILES, True, TEXT),
    ("TransactionMessageAttempts", "3", False, INT),
    ("TransactionMessageRetryInterval", "60", False, INT),
    ("UnlockConnectorOnEVSideDisconnect", "true", False, BOOL),
    ("WebSocketPingInterval", "0", False, INT),
    ("LocalAuthListEnabled", "true", False, BOOL),
    ("LocalAuthListMaxLength", "1000", True, INT),
    ("SendLocalListMaxLength", "100", True, INT),
    ("ReserveConnectorZeroSupported", "false", True, BOOL),
    ("ChargeProfileMaxStackLevel", "10", True, INT),
    ("ChargingScheduleAllowedChargingRateUnit", "Current,Power", True, TEXT),
    ("ChargingScheduleMaxPeriods", "24", True, INT),
    ("MaxChargingProfilesInstalled", "20", True, INT),
)


class Configuration:
    def __init__(self, *, connectors: int, heartbeat_interval: int, meter_interval: int) -> None:
        self._keys = {
            name.lower(): ConfigurationKey(name, value, readonly, kind)
            for name, value, readonly, kind in _DEFAULTS
        }
        self.set("NumberOfConnectors", str(connectors))
        self.set("HeartbeatInterval", str(heartbeat_interval))
        self.set("MeterValueSampleInterval", str(meter_interval))

    def __iter__(self) -> Iterator[ConfigurationKey]:
        return iter(tuple(self._keys.values()))

    def get(self, name: str) -> ConfigurationKey | None:
        return self._keys.get(name.lower())

    def integer(self, name: str) -> int:
        return int(self._value(name))

    def flag(self, name: str) -> bool:
        return self._value(name).lower() == "true"

    def items(self, name: str) -> tuple[str, ...]:
        return tuple(item for item in self._value(name).split(",") if item)

    def set(self, name: str, value: str) -> None:
        """Set a value from the station's side (boot interval, wiring), read-only or not."""
        key = self._keys[name.lower()]
        key.value = value

    def change(self, name: str, value: str) -> ConfigurationStatus:
        """Apply a ChangeConfiguration from the CSMS."""
        key = self.get(name)
        if key is None:
            return ConfigurationStatus.not_supported
        if key.readonly or not _valid(key.type, value):
            return ConfigurationStatus.rejected
        key.value = value.lower() if key.type is ValueType.BOOLEAN else value
        return ConfigurationStatus.accepted

    def _value(self, name: str) -> str:
        return self._keys[name.lower()].value


def _valid(kind: ValueType, value: str) -> bool:
    match kind:
        case ValueType.INTEGER:
            return value.isdigit()
        case ValueType.BOOLEAN:
            return value.lower() in ("true", "false")
        case ValueType.MEASURANDS:
            return all(item.strip() in _MEASURANDS for item in value.split(",") if item.strip())
    return True
