"""Alert rules and the alert workflow, as pure values and functions (no I/O).

An alert is raised by a rule over what stations report. Rules come in two kinds:

- **Event rules** judge one committed domain event at a time (`judge`): a connector reported
  Faulted, a boot was rejected, a firmware update failed... Each answers `Raise` or `Clear` for a
  subject (station, EVSE, connector); a later event about the same subject clears the alert
  (the connector reports Available again, the next firmware status is Installed).
- **State rules** are swept from stored state on a timer (the evaluator): a station offline
  longer than its organization's threshold, counted from the stored disconnect time, so the
  rule holds across restarts. The station's `station.connected` event resolves it (an event
  rule), and so does the sweep finding the station connected.

The workflow is Triggered → Acknowledged → Resolved. Resolution is automatic when the condition
clears, or manual with a note; Resolved is final (a condition that comes back raises a new alert).
"""

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Any

from chargeyard.errors import Conflict, Invalid, NotFound
from chargeyard.events.payloads import (
    CHARGING_PROFILE_DELIVERED,
    CHARGING_PROFILE_REJECTED,
    COMMAND_ANSWERED,
    CONNECTOR_STATUS_CHANGED,
    STATION_BOOTED,
    STATION_CONNECTED,
    STATION_DELETED,
    STATION_DEVICE_EVENT,
    STATION_FIRMWARE_STATUS,
    STATION_LOG_UPLOAD_STATUS,
    STATION_SECURITY_EVENT,
    EventKind,
    StationRequestStatus,
)


class AlertStatus(StrEnum):
    TRIGGERED = "Triggered"
    ACKNOWLEDGED = "Acknowledged"
    RESOLVED = "Resolved"


class Urgency(StrEnum):
    HIGH = "High"
    MEDIUM = "Medium"
    LOW = "Low"


class Category(StrEnum):
    CONNECTIVITY = "Connectivity"
    HARDWARE = "Hardware"
    SECURITY = "Security"
    CHARGING = "Charging"
    FIRMWARE = "Firmware"
    CONFIGURATION = "Configuration"


class RuleName(StrEnum):
    STATION_OFFLINE = "station-offline"
    CONNECTOR_FAULTED = "connector-faulted"
    CONNECTOR_UNAVAILABLE = "connector-unavailable"
    VENDOR_ERROR = "vendor-error"
    SECURITY_EVENT = "security-event"
    CHARGING_PROFILE_REJECTED = "charging-profile-rejected"
    FIRMWARE_FAILED = "firmware-failed"
    LOG_UPLOAD_FAILED = "log-upload-failed"
    BOOT_REJECTED = "boot-rejected"
    BOOT_PENDING = "boot-pending"
    METER_STALLED = "meter-stalled"
    SESSION_ZOMBIE = "session-zombie"
    CLOCK_DRIFT = "clock-drift"
    STATION_NEVER_CONNECTED = "station-never-connected"
    STATION_LONG_TERM_UNAVAILABLE = "station-long-term-unavailable"
    POWER_BELOW_LIMIT = "power-below-limit"


@dataclass(frozen=True)
class Rule:
    """A rule's fixed description; `threshold_s` is its default threshold, None when the rule
    has none (it fires on the event itself)."""

    name: RuleName
    category: Category
    urgency: Urgency
    title: str
    description: str
    threshold_s: int | None = None
    fraction: float | None = None
    """The default share of a limit a measurement is judged against; None for rules without."""


RULES: Mapping[RuleName, Rule] = {
    rule.name: rule
    for rule in (
        Rule(
            RuleName.STATION_OFFLINE,
            Category.CONNECTIVITY,
            Urgency.HIGH,
            "Station offline",
            "The station's connection has been away longer than the threshold; resolved when "
            "it connects again.",
            threshold_s=300,
        ),
        Rule(
            RuleName.CONNECTOR_FAULTED,
            Category.HARDWARE,
            Urgency.HIGH,
            "Connector faulted",
            "A connector (or the station, connector 0) reported Faulted; resolved by its next "
            "status that is not Faulted.",
        ),
        Rule(
            RuleName.CONNECTOR_UNAVAILABLE,
            Category.HARDWARE,
            Urgency.MEDIUM,
            "Connector unavailable",
            "A connector (or the station) reported Unavailable; resolved by its next status "
            "that is not Unavailable.",
        ),
        Rule(
            RuleName.VENDOR_ERROR,
            Category.HARDWARE,
            Urgency.MEDIUM,
            "Connector error code",
            "A status notification carried an error code other than NoError or a vendor error "
            "code (2.x: a component's Problem turned true); resolved by the connector's next "
            "status without one (2.x: the Problem turns false or is cleared, or the station "
            "reboots and does not report it again within the threshold).",
            threshold_s=300,
        ),
        Rule(
            RuleName.SECURITY_EVENT,
            Category.SECURITY,
            Urgency.HIGH,
            "Critical security event",
            "The station reported (or the server observed) a critical security event (not the "
            "routine ones every reboot reports); resolved by an operator.",
        ),
        Rule(
            RuleName.CHARGING_PROFILE_REJECTED,
            Category.CHARGING,
            Urgency.MEDIUM,
            "Charging profile rejected",
            "The station rejected a charging profile; resolved when it accepts the next one.",
        ),
        Rule(
            RuleName.FIRMWARE_FAILED,
            Category.FIRMWARE,
            Urgency.MEDIUM,
            "Firmware update failed",
            "The station reported a failed firmware download, installation or signature check; "
            "resolved when it reports Installed.",
        ),
        Rule(
            RuleName.LOG_UPLOAD_FAILED,
            Category.FIRMWARE,
            Urgency.LOW,
            "Log upload failed",
            "The station could not upload its diagnostics or log file; resolved when an upload "
            "succeeds.",
        ),
        Rule(
            RuleName.BOOT_REJECTED,
            Category.CONFIGURATION,
            Urgency.HIGH,
            "Boot rejected",
            "The station's boot notification was rejected; resolved when a boot is accepted.",
        ),
        Rule(
            RuleName.BOOT_PENDING,
            Category.CONFIGURATION,
            Urgency.MEDIUM,
            "Boot not accepted",
            "The station booted and has not been accepted (Pending or Rejected) for longer than "
            "the threshold; resolved when a boot is accepted.",
            threshold_s=600,
        ),
        Rule(
            RuleName.METER_STALLED,
            Category.CHARGING,
            Urgency.MEDIUM,
            "No meter progress",
            "A session is charging (its connector reports Charging, or, OCPP 2.x, its "
            "transaction's chargingState is Charging) but its energy register has not moved for "
            "longer than the threshold; resolved when it moves, the session ends or the "
            "connector stops charging.",
            threshold_s=900,
        ),
        Rule(
            RuleName.SESSION_ZOMBIE,
            Category.CHARGING,
            Urgency.MEDIUM,
            "Zombie session",
            "A session is still open while its station is offline or silent, its connector "
            "reports Available, or its meter does not move while charging, for longer than the "
            "threshold; resolved when the session is "
            "closed (by the station, or by reconciliation) or the condition clears.",
            threshold_s=1800,
        ),
        Rule(
            RuleName.CLOCK_DRIFT,
            Category.CONFIGURATION,
            Urgency.LOW,
            "Station clock drift",
            "A status notification's timestamp is further from the server's time than the "
            "threshold; resolved by a status notification whose timestamp is within it.",
            threshold_s=300,
        ),
        Rule(
            RuleName.STATION_NEVER_CONNECTED,
            Category.CONNECTIVITY,
            Urgency.LOW,
            "Station never connected",
            "A registered station has never connected, longer than the threshold after its "
            "registration; resolved when it connects (or is deleted).",
            threshold_s=86_400,
        ),
        Rule(
            RuleName.STATION_LONG_TERM_UNAVAILABLE,
            Category.CONNECTIVITY,
            Urgency.HIGH,
            "Station unavailable long-term",
            "A station has been offline longer than the threshold, which is also where its "
            "network status turns from TemporarilyUnavailable to LongTermUnavailable; resolved "
            "when it connects (or is deleted).",
            threshold_s=86_400,
        ),
        Rule(
            RuleName.POWER_BELOW_LIMIT,
            Category.CHARGING,
            Urgency.LOW,
            "Power far below limit",
            "A charging session's measured power has stayed below `fraction` of the limit smart "
            "charging put in force for it, for longer than the threshold (the vehicle limits "
            "itself, or a fault); resolved when it draws enough, the limit changes to one it "
            "meets, or the session stops charging.",
            threshold_s=900,
            fraction=0.5,
        ),
    )
}


def rule_named(name: str) -> Rule:
    try:
        return RULES[RuleName(name)]
    except ValueError:
        known = ", ".join(sorted(RULES))
        raise NotFound(f"Alert rule {name!r} does not exist; the rules are {known}") from None


@dataclass(frozen=True)
class RuleSettings:
    """A rule as one organization runs it: the defaults, unless the organization changed them."""

    rule: Rule
    enabled: bool = True
    threshold_s: int | None = None
    urgency: Urgency | None = None
    fraction: float | None = None

    @property
    def effective_threshold_s(self) -> int | None:
        return self.threshold_s if self.threshold_s is not None else self.rule.threshold_s

    @property
    def effective_fraction(self) -> float | None:
        return self.fraction if self.fraction is not None else self.rule.fraction

    @property
    def effective_urgency(self) -> Urgency:
        return self.urgency or self.rule.urgency


def check_threshold(rule: Rule, threshold_s: int | None) -> None:
    if threshold_s is None:
        return
    if rule.threshold_s is None:
        raise Invalid(f"alert rule {rule.name!r} has no threshold: it fires on the event itself")
    if threshold_s < 1:
        raise Invalid("threshold_s is at least 1 second")


def check_fraction(rule: Rule, fraction: float | None) -> None:
    if fraction is None:
        return
    if rule.fraction is None:
        raise Invalid(f"alert rule {rule.name!r} has no fraction: it does not compare to a limit")
    if not 0 < fraction < 1:
        raise Invalid("fraction is between 0 and 1 (exclusive)")


def below_limit(power_w: float, limit_w: float, fraction: float) -> bool:
    """Whether a session drawing `power_w` under a limit of `limit_w` draws far below it; a
    limit of zero (a session paused by smart charging) asks for nothing, so nothing is below."""
    return limit_w > 0 and power_w < fraction * limit_w


@dataclass(frozen=True)
class Subject:
    """What an alert concerns; with the rule's name it keys the one open alert of a kind."""

    station_id: str
    evse_id: int | None = None
    connector_id: int | None = None
    qualifier: str | None = None
    """Separates alerts of one rule on one subject that must not merge (a security event type)."""

    def key(self, organization_id: str, rule: RuleName) -> str:
        parts = (self.evse_id, self.connector_id, self.qualifier)
        return ":".join([organization_id, rule.value, self.station_id, *map(_part, parts)])


def _part(value: object) -> str:
    return "-" if value is None else str(value)


@dataclass(frozen=True)
class Fact:
    """A committed domain event as the rules read it."""

    type: str
    station_id: str | None
    transaction_id: int | None
    occurred_at: datetime
    data: Mapping[str, Any]


@dataclass(frozen=True)
class Raise:
    rule: RuleName
    subject: Subject
    at: datetime
    transaction_id: int | None = None
    detail: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Clear:
    rule: RuleName
    subject: Subject
    at: datetime


@dataclass(frozen=True)
class Measure:
    """A measurement that raises when it reaches the organization's threshold (in either
    direction) and clears when it is within it: the threshold is a setting, so the rule itself
    only measures."""

    rule: RuleName
    subject: Subject
    at: datetime
    value_s: float
    detail: Mapping[str, Any] = field(default_factory=dict)

    def beyond(self, threshold_s: int) -> bool:
        return abs(self.value_s) >= threshold_s


@dataclass(frozen=True)
class Renew:
    """An accepted boot: the station reports its state afresh, so the faults it reported before
    hold only if it reports them again (a 2.x component's `Problem`: `renewed_by_boot`)."""

    subject: Subject
    at: datetime


Verdict = Raise | Clear | Measure | Renew

NO_ERROR = frozenset({None, "", "NoError"})
PROBLEM = "Problem"
"""The device-model variable a 2.x component turns true while it has a fault."""
FIRMWARE_FAILURES = frozenset(
    {
        "DownloadFailed",
        "InstallationFailed",
        "InstallVerificationFailed",
        "InvalidSignature",
        "SignatureError",
    }
)
UPLOAD_FAILURES = frozenset(
    {"UploadFailed", "UploadFailure", "BadMessage", "NotSupportedOperation", "PermissionDenied"}
)
ROUTINE_SECURITY_EVENTS = frozenset(
    {"StartupOfTheDevice", "ResetOrReboot", "SettingSystemTime", "FirmwareUpdated"}
)
"""Critical in OCPP's list, but what every reboot or update reports: not worth an alert."""
EVENT_TYPES = (
    STATION_CONNECTED.name,
    STATION_DELETED.name,
    CONNECTOR_STATUS_CHANGED.name,
    STATION_BOOTED.name,
    STATION_FIRMWARE_STATUS.name,
    STATION_LOG_UPLOAD_STATUS.name,
    STATION_SECURITY_EVENT.name,
    STATION_DEVICE_EVENT.name,
    CHARGING_PROFILE_DELIVERED.name,
    CHARGING_PROFILE_REJECTED.name,
    COMMAND_ANSWERED.name,
)
"""The event types any event rule reads; the evaluator asks the log for these only."""


def judge(fact: Fact) -> list[Verdict]:
    """What the event rules make of one event (nothing for events they do not read)."""
    if fact.station_id is None:
        return []
    judged = _JUDGES.get(fact.type)
    return [] if judged is None else judged(fact, fact.station_id)


def _status_changed(fact: Fact, station_id: str) -> list[Verdict]:
    data, at = CONNECTOR_STATUS_CHANGED.data_of(fact), fact.occurred_at
    if data is None:
        return []
    subject = Subject(station_id, data["evse_id"], data["connector_id"])
    status = data["status"]
    verdicts: list[Verdict] = []
    detail: dict[str, Any]
    for rule, wanted in (
        (RuleName.CONNECTOR_FAULTED, "Faulted"),
        (RuleName.CONNECTOR_UNAVAILABLE, "Unavailable"),
    ):
        detail = {"status": status, "ocpp_status": data["ocpp_status"]}
        verdicts.append(
            Raise(rule, subject, at, detail=detail)
            if status == wanted
            else Clear(rule, subject, at)
        )
    error, vendor_error = data["error_code"], data["vendor_error_code"]
    if error in NO_ERROR and not vendor_error:
        verdicts.append(Clear(RuleName.VENDOR_ERROR, subject, at))
    else:
        detail = {"error_code": error, "vendor_error_code": vendor_error, "info": data["info"]}
        verdicts.append(Raise(RuleName.VENDOR_ERROR, subject, at, detail=detail))
    drift = clock_drift(fact, station_id)
    return verdicts if drift is None else [*verdicts, drift]


def clock_drift(fact: Fact, station_id: str) -> Measure | None:
    """How far the station's timestamp on a status notification is from the server's time of
    the event (`occurred_at` is the server's, `timestamp` the station's). A notification
    without a timestamp carries the server's time, and so measures no drift."""
    changed = CONNECTOR_STATUS_CHANGED.data_of(fact)
    if changed is None:
        return None
    stamp = changed["timestamp"]
    try:
        station_time = datetime.fromisoformat(stamp)
    except ValueError:
        return None
    if station_time.tzinfo is None:
        return None
    drift_s = round((station_time - fact.occurred_at).total_seconds(), 3)
    detail = {"drift_s": drift_s, "station_time": stamp}
    return Measure(RuleName.CLOCK_DRIFT, Subject(station_id), fact.occurred_at, drift_s, detail)


def _device_event(fact: Fact, station_id: str) -> list[Verdict]:
    """A 2.x station's `Problem` variable (a NotifyEvent): true raises the vendor-error rule for
    its component (on the station, an EVSE or a connector), with the maker's `techCode` as the
    vendor error code; false, or the event `cleared`, clears it. Other device events (monitors
    tripping, periodic reports) are not faults of this rule. The component's name (and
    instance) qualify the alert: two components of one EVSE are two faults, and the
    connector's statuses, which in 2.x carry no error and so clear the 1.6-style alert of
    their connector, leave this one alone."""
    data = STATION_DEVICE_EVENT.data_of(fact)
    if data is None:
        return []
    variable, component = data["variable"], data["component"]
    if variable.get("name") != PROBLEM:
        return []
    evse = component.get("evse")
    evse = evse if isinstance(evse, dict) else {}
    name = ":".join(
        str(part) for part in (component.get("name"), component.get("instance")) if part
    )
    subject = Subject(station_id, evse.get("id"), evse.get("connector_id"), f"{PROBLEM}:{name}")
    if data.get("cleared") or data["actual_value"].lower() != "true":
        return [Clear(RuleName.VENDOR_ERROR, subject, fact.occurred_at)]
    detail = {
        "error_code": None,
        "vendor_error_code": data.get("tech_code"),
        "info": data.get("tech_info"),
        "component": component.get("name"),
    }
    return [Raise(RuleName.VENDOR_ERROR, subject, fact.occurred_at, detail=detail)]


def renewed_by_boot(key: str, organization_id: str, station_id: str) -> bool:
    """Whether the open alert keyed `key` is one of this station's 2.x `Problem` alerts, which
    an accepted boot renews (`Renew`). A 1.6 connector's error needs no renewal: the status
    notifications a 1.6 station sends after every boot raise or clear it."""
    prefix = f"{organization_id}:{RuleName.VENDOR_ERROR.value}:{station_id}:"
    if not key.startswith(prefix):
        return False
    parts = key[len(prefix) :].split(":", 2)  # EVSE, connector, qualifier
    return len(parts) == 3 and parts[2].startswith(f"{PROBLEM}:")


def report_overdue(booted_at: datetime, threshold_s: int, now: datetime) -> bool:
    """Whether a station that booted at `booted_at` has had its threshold to report a Problem
    again, and so the Problem's alert is resolved by the reboot."""
    return (now - booted_at).total_seconds() >= threshold_s


def _booted(fact: Fact, station_id: str) -> list[Verdict]:
    booted = STATION_BOOTED.data_of(fact)
    if booted is None:
        return []
    status, subject, at = booted["status"], Subject(station_id), fact.occurred_at
    if status == "Rejected":
        return [Raise(RuleName.BOOT_REJECTED, subject, fact.occurred_at, detail={"status": status})]
    if status == "Accepted":
        return [Clear(RuleName.BOOT_REJECTED, subject, fact.occurred_at), Renew(subject, at)]
    return []


def _outcome(
    rule: RuleName,
    failures: frozenset[str],
    success: str,
    kind: EventKind[StationRequestStatus],
    fact: Fact,
    station_id: str,
) -> list[Verdict]:
    data = kind.data_of(fact)
    if data is None:
        return []
    status, subject = data["status"], Subject(station_id)
    if status in failures:
        detail = {"status": status, "request_id": data["request_id"]}
        return [Raise(rule, subject, fact.occurred_at, detail=detail)]
    if status == success:
        return [Clear(rule, subject, fact.occurred_at)]
    return []


def _firmware(fact: Fact, station_id: str) -> list[Verdict]:
    rule, failures, kind = RuleName.FIRMWARE_FAILED, FIRMWARE_FAILURES, STATION_FIRMWARE_STATUS
    return _outcome(rule, failures, "Installed", kind, fact, station_id)


def _upload(fact: Fact, station_id: str) -> list[Verdict]:
    rule, failures, kind = RuleName.LOG_UPLOAD_FAILED, UPLOAD_FAILURES, STATION_LOG_UPLOAD_STATUS
    return _outcome(rule, failures, "Uploaded", kind, fact, station_id)


def _security(fact: Fact, station_id: str) -> list[Verdict]:
    data = STATION_SECURITY_EVENT.data_of(fact)
    if data is None:
        return []
    kind = data["type"]
    if not data["critical"] or kind in ROUTINE_SECURITY_EVENTS:
        return []
    detail = {"type": kind, "tech_info": data["tech_info"]}
    subject = Subject(station_id, qualifier=kind)
    return [Raise(RuleName.SECURITY_EVENT, subject, fact.occurred_at, detail=detail)]


def _profile(fact: Fact, station_id: str) -> list[Verdict]:
    """Smart charging's deliveries (per EVSE) and operators' set-charging-profile commands (per
    station) both say whether the station took a profile."""
    rule = RuleName.CHARGING_PROFILE_REJECTED
    detail: dict[str, Any]
    answered = COMMAND_ANSWERED.data_of(fact)
    delivered = CHARGING_PROFILE_DELIVERED.data_of(fact)
    refused = CHARGING_PROFILE_REJECTED.data_of(fact)
    if answered is not None:
        if answered["command"] != "set-charging-profile":
            return []
        subject, rejected = Subject(station_id), answered["status"] != "Accepted"
        detail = {"status": answered["status"], "command_id": answered["command_id"]}
    elif (delivery := delivered if delivered is not None else refused) is not None:
        subject, rejected = Subject(station_id, delivery["evse_id"]), refused is not None
        detail = {"detail": delivery["detail"]}
    else:
        return []
    if rejected:
        return [Raise(rule, subject, fact.occurred_at, fact.transaction_id, detail)]
    return [Clear(rule, subject, fact.occurred_at)]


def _connected(fact: Fact, station_id: str) -> list[Verdict]:
    """A station back ends its offline alert, even when it is gone again before the evaluator's
    next sweep could see it connected; a station deleted will not come back, and its offline
    alert ends too."""
    return [Clear(RuleName.STATION_OFFLINE, Subject(station_id), fact.occurred_at)]


_JUDGES = {
    STATION_CONNECTED.name: _connected,
    STATION_DELETED.name: _connected,
    CONNECTOR_STATUS_CHANGED.name: _status_changed,
    STATION_BOOTED.name: _booted,
    STATION_FIRMWARE_STATUS.name: _firmware,
    STATION_LOG_UPLOAD_STATUS.name: _upload,
    STATION_SECURITY_EVENT.name: _security,
    STATION_DEVICE_EVENT.name: _device_event,
    CHARGING_PROFILE_DELIVERED.name: _profile,
    CHARGING_PROFILE_REJECTED.name: _profile,
    COMMAND_ANSWERED.name: _profile,
}


def away_long_enough(disconnected_at: datetime, threshold_s: int, now: datetime) -> bool:
    """Whether a station away since `disconnected_at` is now offline long enough to alert."""
    return (now - disconnected_at).total_seconds() >= threshold_s


def manual_transition(
    current: AlertStatus, wanted: AlertStatus | None, note: str | None
) -> AlertStatus:
    """The status an operator's change leads to. A change to the same status (or none, with a
    note) only adds the note; Resolved is final; resolving by hand needs a note saying why."""
    if wanted is None or wanted is current:
        if wanted is None and not note:
            raise Invalid("send a status, a note, or both")
        return current
    if current is AlertStatus.RESOLVED:
        raise Conflict("the alert is resolved; a condition that comes back raises a new alert")
    if wanted is AlertStatus.TRIGGERED:
        raise Conflict("an alert cannot go back to Triggered")
    if wanted is AlertStatus.RESOLVED and not note:
        raise Invalid("resolving an alert by hand needs a note saying why")
    return wanted
