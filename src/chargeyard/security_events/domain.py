"""Security events as values: what a station reported, or what the CSMS saw at its door. Pure.

Type names follow the OCPP 2.0.1 security event list (Appendix 1), which the 1.6 security
extension shares; a station may also send types of its own. A refused station connection is
recorded with the type `FailedToAuthenticateAtCsms` and the source `csms`, so one type filter
finds the failure whichever side reported it.
"""

from dataclasses import dataclass
from datetime import datetime
from enum import Enum

FAILED_AUTHENTICATION = "FailedToAuthenticateAtCsms"
INVALID_MESSAGES = "InvalidMessages"
"""A station sent what the CSMS will not read (e.g. a message over the size limit)."""
UNTRUSTED_FORWARDED_CERTIFICATE = "UntrustedForwardedCertificate"
"""A forwarded client-certificate header from an address that is not a trusted proxy."""

TECH_INFO_MAX_LENGTH = 255

CRITICAL_TYPES = frozenset(
    {
        "FirmwareUpdated",
        "FailedToAuthenticateAtCsms",
        "CsmsFailedToAuthenticate",
        "SettingSystemTime",
        "StartupOfTheDevice",
        "ResetOrReboot",
        "SecurityLogWasCleared",
        "ReconfigurationOfSecurityParameters",
        "MemoryExhaustion",
        "TamperDetectionActivated",
        "InvalidFirmwareSignature",
        "InvalidFirmwareSigningCertificate",
        "InvalidCsmsCertificate",
        "InvalidCentralSystemCertificate",
        "InvalidChargingStationCertificate",
        "InvalidChargePointCertificate",
        "InvalidTLSVersion",
        "InvalidTLSCipherSuite",
    }
)
"""The types OCPP marks critical (both the 2.0.1 and the 1.6 spellings); the others are not."""


class Source(Enum):
    STATION = "station"
    CSMS = "csms"


@dataclass(frozen=True)
class SecurityEventReport:
    """A SecurityEventNotification, whichever OCPP version carried it."""

    type: str
    occurred_at: datetime
    tech_info: str | None = None


@dataclass(frozen=True)
class SecurityEventFilter:
    station_id: str | None = None
    type: str | None = None
    since: datetime | None = None
    until: datetime | None = None
    critical: bool | None = None


def is_critical(type: str) -> bool:
    return type in CRITICAL_TYPES


def clip_tech_info(text: str | None) -> str | None:
    return None if text is None else text[:TECH_INFO_MAX_LENGTH]


PASSWORD_CHANGE_PENDING = "StationPasswordChangePending"
"""The station accepted a new password from the CSMS; the old one stays valid until it connects
with the new one."""
PASSWORD_ROTATED = "StationPasswordRotated"
"""The station connected with its new password; the old one no longer admits anyone."""
PASSWORD_SET = "StationPasswordSet"
"""An operator set the station's password through the API (the live connection is dropped)."""
CONNECTION_REPLACED = "ConnectionReplaced"
"""A second connection with valid credentials replaced the station's live one."""
SECURITY_PROFILE_CHANGED = "ReconfigurationOfSecurityParameters"
"""An operator changed the station's security profile (OCPP's own type name)."""
SIGN_IN_LOCKED = "AuthenticationLockout"
"""Repeated failed handshakes locked the station id out for a while."""
