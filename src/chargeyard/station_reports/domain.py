"""Reports a station sends that Chargeyard keeps as received, for operators and later use.

Each kind is one station-to-CSMS message whose content is a record rather than a state change:
device events (NotifyEvent), customer information and display message listings (answers to
requests the operator made), log and firmware-publication progress, charging profile listings,
reservation updates, certificate requests, and (2.1) battery swaps, VAT number checks, DER
alarms, controls and listings, priority charging switches and schedule update pulls. Pure values.
"""

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Any

from chargeyard.events.payloads import (
    STATION_BATTERY_SWAP,
    STATION_CERTIFICATE_REQUEST,
    STATION_CHARGING_PROFILES,
    STATION_CUSTOMER_INFORMATION,
    STATION_DER_ALARM,
    STATION_DER_CONTROLS,
    STATION_DER_START_STOP,
    STATION_DEVICE_EVENT,
    STATION_DISPLAY_MESSAGES,
    STATION_LOG_STATUS,
    STATION_PRIORITY_CHARGING,
    STATION_PUBLISH_FIRMWARE_STATUS,
    STATION_RESERVATION_STATUS,
    STATION_SCHEDULE_UPDATE_REQUEST,
    STATION_VAT_NUMBER_VALIDATION,
    EventKind,
    NoDetails,
    ReportDetails,
)


class ReportKind(StrEnum):
    DEVICE_EVENT = "device_event"
    CUSTOMER_INFORMATION = "customer_information"
    DISPLAY_MESSAGES = "display_messages"
    LOG_STATUS = "log_status"
    PUBLISH_FIRMWARE_STATUS = "publish_firmware_status"
    CHARGING_PROFILES = "charging_profiles"
    RESERVATION_STATUS = "reservation_status"
    CERTIFICATE_REQUEST = "certificate_request"
    BATTERY_SWAP = "battery_swap"
    VAT_NUMBER_VALIDATION = "vat_number_validation"
    DER_ALARM = "der_alarm"
    DER_START_STOP = "der_start_stop"
    DER_CONTROLS = "der_controls"
    PRIORITY_CHARGING = "priority_charging"
    SCHEDULE_UPDATE_REQUEST = "schedule_update_request"


@dataclass(frozen=True)
class StationReport:
    kind: ReportKind
    occurred_at: datetime
    data: ReportDetails = field(default_factory=NoDetails)
    request_id: int | None = None
    seq_no: int | None = None
    tbc: bool = False
    evse_id: int | None = None
    status: str | None = None


# Each kind of report is recorded as its `station.<kind>` event. The payload is the common
# `StationReportEvent` fields followed by the kind's own details, merged at run time, so this
# mapping is typed loosely: the suite checks the recorded payloads against each kind's type.
EVENT_KINDS: dict[ReportKind, EventKind[Any]] = {
    ReportKind.DEVICE_EVENT: STATION_DEVICE_EVENT,
    ReportKind.CUSTOMER_INFORMATION: STATION_CUSTOMER_INFORMATION,
    ReportKind.DISPLAY_MESSAGES: STATION_DISPLAY_MESSAGES,
    ReportKind.LOG_STATUS: STATION_LOG_STATUS,
    ReportKind.PUBLISH_FIRMWARE_STATUS: STATION_PUBLISH_FIRMWARE_STATUS,
    ReportKind.CHARGING_PROFILES: STATION_CHARGING_PROFILES,
    ReportKind.RESERVATION_STATUS: STATION_RESERVATION_STATUS,
    ReportKind.CERTIFICATE_REQUEST: STATION_CERTIFICATE_REQUEST,
    ReportKind.BATTERY_SWAP: STATION_BATTERY_SWAP,
    ReportKind.VAT_NUMBER_VALIDATION: STATION_VAT_NUMBER_VALIDATION,
    ReportKind.DER_ALARM: STATION_DER_ALARM,
    ReportKind.DER_START_STOP: STATION_DER_START_STOP,
    ReportKind.DER_CONTROLS: STATION_DER_CONTROLS,
    ReportKind.PRIORITY_CHARGING: STATION_PRIORITY_CHARGING,
    ReportKind.SCHEDULE_UPDATE_REQUEST: STATION_SCHEDULE_UPDATE_REQUEST,
}


def tech_code(kind: str, data: Mapping[str, Any]) -> str | None:
    """The vendor's own code a report carries, for the organization's vendor error code table:
    a device event's `techCode`. 2.0.1 and 2.1 have no `vendorErrorCode` on StatusNotification;
    a station reports a fault as a NotifyEvent (typically a component's `Problem` variable)
    whose `techCode` is the code its maker documents."""
    if kind != ReportKind.DEVICE_EVENT.value:
        return None
    code = data.get("tech_code")
    return code if isinstance(code, str) and code else None
