"""The `data` of each event type, as a TypedDict, and `PAYLOADS`: every type the code emits ->
its payload type (None: not typed yet).

Why TypedDicts: an emitter builds its payload as an annotated dict literal (or, off the
per-message path, by calling the TypedDict, which makes the same dict), so mypy checks its keys
and value types at every call site, while at run time it is the same plain dict as before
(nothing more is built, copied or validated on the OCPP path). Key order follows each emitter's
literal, which is what the event log and webhook bodies serialize; the classes here only say
what the keys are. docs/events.md documents each typed payload's fields, and
tests/events/test_payloads.py keeps the two, the emitters and this mapping in step.

A field a station or operator may leave out is still present, as null (`T | None`); a field
only some emitters of a type write is `NotRequired`. Times are ISO 8601 strings (the payload is
JSON).
"""

from typing import Any, NotRequired, TypedDict


class StationEvent(TypedDict):
    station_id: str


class StationRegistered(StationEvent):
    registration_status: str


class StationUpdated(StationEvent):
    changed: list[str]  # names of the fields that changed, sorted


class StationPasswordChangePending(StationEvent):
    via: str  # the command that set it: "ChangeConfiguration" or "SetVariables"


# "from" is a Python keyword: the functional form.
StationSecurityProfileChanged = TypedDict(
    "StationSecurityProfileChanged",
    {"station_id": str, "from": int, "to": int, "actor": str | None},
)


class StationAuthenticationFailed(StationEvent):
    reason: str
    tls: bool


class StationConnected(StationEvent):
    protocol: str
    replaced_previous: bool


class StationBooted(StationEvent):
    status: str
    reason: str | None
    admission: str | None
    protocol: str | None
    vendor: str
    model: str
    serial_number: str | None
    charge_box_serial_number: str | None
    firmware_version: str | None
    iccid: str | None
    imsi: str | None
    meter_type: str | None
    meter_serial_number: str | None


class StationRequestStatus(StationEvent):
    """A firmware or log upload's progress."""

    status: str
    request_id: int | None


class StationDataTransfer(StationEvent):
    vendor_id: str
    message_id: str | None
    data: str | None


class StationSecurityEvent(TypedDict):
    type: str  # the station's own name for it (OCPP SecurityEventNotification)
    critical: bool
    source: str
    tech_info: str | None
    occurred_at: str


class StationCertificateRequested(TypedDict):
    use: str
    accepted: bool
    reason: str | None


class StationCertificateSigned(TypedDict):
    serial_number: str
    not_after: str
    station_status: str


class ConnectorStatusChanged(StationEvent):
    evse_id: int | None
    connector_id: int | None
    status: str
    ocpp_status: str
    error_code: str | None
    info: str | None
    vendor_error_code: str | None
    timestamp: str


class SessionSummary(TypedDict):
    """A charging session as `session.started`, `.updated` and `.stopped` carry it."""

    id: int
    station_id: str
    evse_id: int
    connector_id: int
    ocpp_transaction_id: str | None
    id_tag: str | None
    auth_status: str
    started_at: str
    stopped_at: str | None
    meter_start_wh: int
    meter_stop_wh: int | None
    energy_wh: int | None
    stop_reason: str | None
    force_stopped: bool


class TransactionEventLate(TypedDict):
    """A 2.x TransactionEvent whose chargingState arrived over a minute after its timestamp."""

    seq_no: int
    event_type: str
    charging_state: str
    offline: bool


class SessionCostUpdated(TypedDict):
    """Amounts are decimal strings in the currency's minor-unit precision."""

    transaction_id: int
    ocpp_transaction_id: str | None
    currency: str
    excl_tax: str
    incl_tax: str
    energy_wh: int
    final: bool
    tariff_id: str | None
    tariff_version: int | None


class SessionCreditExhausted(TypedDict):
    transaction_id: int
    ocpp_transaction_id: str | None
    driver_id: str
    balance: str
    cost: str
    currency: str
    reason: str


class SessionTariffDiffers(TypedDict):
    transaction_id: int
    ocpp_transaction_id: str | None
    station_tariff_id: str | None  # what the station named (null: none)
    tariff_id: str
    tariff_version: int


class SessionReconciled(TypedDict):
    transaction_id: int
    station_id: str
    evse_id: int
    connector_id: int
    zombie_reason: str
    since: str
    stop_reason: str
    last_meter_wh: int | None
    command_id: str
    by: str


class MeterSample(TypedDict):
    timestamp: str
    measurand: str
    phase: str | None
    unit: str | None
    value: str


class MeterValuesReceived(StationEvent):
    evse_id: int
    connector_id: int
    transaction_id: int | None
    samples: list[MeterSample]


class AuthorizationDecided(StationEvent):
    """A tag a station presented (Authorize: every field) or started a session with (a refusal
    only, without the tag's details)."""

    id_tag: str
    status: str
    expires_at: NotRequired[str | None]
    parent_id_tag: NotRequired[str | None]
    group: NotRequired[str | None]
    reason: str | None


class IdTagChanged(TypedDict):
    id_tag: str  # the tag's value
    status: str


class TagGroupChanged(TypedDict):
    tag_group_id: str
    name: str


class VehicleGroupChanged(TypedDict):
    vehicle_group_id: str
    name: str


class TelematicsReceived(TypedDict):
    vehicle_id: str
    readings: int  # how many the request carried (new or replacing)
    latest_measured_at: str  # the last instant among them


class RouteChanged(TypedDict):
    vehicle_id: str
    route_id: str
    departs_at: str


class ExternalMeterChanged(TypedDict):
    external_meter_id: str
    name: str


class MeterReadingsReceived(TypedDict):
    external_meter_id: str
    readings: int
    latest_measured_at: str


class CommandEvent(TypedDict):
    command_id: str
    station_id: str
    command: str
    actor: str


class CommandSent(CommandEvent):
    ocpp_action: str


class CommandAnswered(CommandEvent):
    status: str


class CommandFailed(CommandEvent):
    error: str


class ChargingProfileDelivery(TypedDict):
    """`charging_profile.delivered` or `.rejected`: a limit smart charging sent, in the units
    tried (`A`, `W`) in order."""

    circuit_id: str
    station_id: str
    evse_id: int
    transaction_id: int | None
    purpose: str
    unit: str
    units_tried: list[str]
    limit_kw: float
    detail: str | None


class ProfileDeviation(TypedDict):
    start: str
    end: str
    requested_kw: float
    effective_kw: float


class ChargingProfileDeviation(StationEvent):
    evse_id: int
    transaction_id: int | None
    tolerance_kw: float
    deviations: list[ProfileDeviation]


class SmartChargingControl(StationEvent):
    """`.controllable` carries the circuit only; `.uncontrollable` says why and until when."""

    circuit_id: str
    detail: NotRequired[str | None]
    retry_at: NotRequired[str]


class AlertChanged(TypedDict):
    alert_id: str
    name: str
    category: str
    urgency: str
    status: str
    station_id: str
    evse_id: int | None
    connector_id: int | None
    started_at: str
    ended_at: str | None
    resolved_by: str | None
    detail: dict[str, Any]  # the rule's own facts: the alert catalogue in docs/alerts.md


# Every event type -> its payload (None: not typed yet; tests/events/test_payloads.py lets that
# list only shrink).
PAYLOADS: dict[str, type | None] = {
    "station.registered": StationRegistered,
    "station.updated": StationUpdated,
    "station.deleted": StationEvent,
    "station.password_changed": StationEvent,
    "station.password_change_pending": StationPasswordChangePending,
    "station.password_rotated": StationEvent,
    "station.security_profile_changed": StationSecurityProfileChanged,
    "station.authentication_failed": StationAuthenticationFailed,
    "station.connected": StationConnected,
    "station.disconnected": StationEvent,
    "station.booted": StationBooted,
    "station.firmware_status": StationRequestStatus,
    "station.log_upload_status": StationRequestStatus,
    "station.data_transfer": StationDataTransfer,
    "station.security_event": StationSecurityEvent,
    "station.certificate_requested": StationCertificateRequested,
    "station.certificate_signed": StationCertificateSigned,
    "connector.status_changed": ConnectorStatusChanged,
    "session.started": SessionSummary,
    "session.updated": SessionSummary,
    "session.stopped": SessionSummary,
    "session.cost_updated": SessionCostUpdated,
    "transaction_event.late": TransactionEventLate,
    "session.credit_exhausted": SessionCreditExhausted,
    "session.tariff_differs": SessionTariffDiffers,
    "session.reconciled": SessionReconciled,
    "meter_values.received": MeterValuesReceived,
    "authorization.accepted": AuthorizationDecided,
    "authorization.rejected": AuthorizationDecided,
    "command.sent": CommandSent,
    "command.answered": CommandAnswered,
    "command.failed": CommandFailed,
    "id_tag.created": IdTagChanged,
    "id_tag.updated": IdTagChanged,
    "id_tag.deleted": IdTagChanged,
    "tag_group.created": TagGroupChanged,
    "tag_group.updated": TagGroupChanged,
    "tag_group.deleted": TagGroupChanged,
    "charging_profile.delivered": ChargingProfileDelivery,
    "charging_profile.rejected": ChargingProfileDelivery,
    "charging_profile.deviation": ChargingProfileDeviation,
    "smart_charging.uncontrollable": SmartChargingControl,
    "smart_charging.controllable": SmartChargingControl,
    "alert.triggered": AlertChanged,
    "alert.acknowledged": AlertChanged,
    "alert.resolved": AlertChanged,
    # Not typed yet.
    "reconciliation_policy.updated": None,
    "tariff.created": None,
    "tariff.updated": None,
    "tariff.deleted": None,
    "tariff_group.created": None,
    "tariff_group.updated": None,
    "tariff_group.deleted": None,
    "cdr.created": None,
    "driver.created": None,
    "driver.updated": None,
    "driver.deleted": None,
    "driver.balance_changed": None,
    "subscription.changed": None,
    "reservation.created": None,
    "reservation.updated": None,
    "device_model.reported": None,
    "device_model.monitors_reported": None,
    "station.device_event": None,
    "station.customer_information": None,
    "station.display_messages": None,
    "station.log_status": None,
    "station.publish_firmware_status": None,
    "station.charging_profiles": None,
    "station.reservation_status": None,
    "charging_limit.set": None,
    "charging_limit.cleared": None,
    "charging_limit.read": None,
    "ev.charging_needs": None,
    "ev.charging_schedule": None,
    "station.battery_swap": None,
    "station.vat_number_validation": None,
    "settlement.received": None,
    "station.der_alarm": None,
    "station.der_start_stop": None,
    "station.der_controls": None,
    "station.priority_charging": None,
    "station.schedule_update_request": None,
    "station.certificate_request": None,
    "event_stream.opened": None,
    "event_stream.values_received": None,
    "event_stream.closed": None,
    "circuit.created": None,
    "circuit.updated": None,
    "circuit.deleted": None,
    "circuit.window_added": None,
    "circuit.window_removed": None,
    "evse_wiring.updated": None,
    "vehicle.created": None,
    "vehicle.updated": None,
    "vehicle.deleted": None,
    "vehicle.telematics_received": TelematicsReceived,
    "vehicle.route_planned": RouteChanged,
    "vehicle.route_removed": RouteChanged,
    "vehicle_group.created": VehicleGroupChanged,
    "vehicle_group.updated": VehicleGroupChanged,
    "vehicle_group.deleted": VehicleGroupChanged,
    "external_meter.created": ExternalMeterChanged,
    "external_meter.updated": ExternalMeterChanged,
    "external_meter.deleted": ExternalMeterChanged,
    "external_meter.readings_received": MeterReadingsReceived,
    "session_needs.updated": None,
    "energy_price.added": None,
    "energy_price.removed": None,
    "demand_response.added": None,
    "demand_response.removed": None,
    "measurement.added": None,
    "user.created": None,
    "user.updated": None,
    "user.deleted": None,
    "api_token.created": None,
    "api_token.revoked": None,
    "location.created": None,
    "location.updated": None,
    "location.deleted": None,
    "webhook.disabled": None,
    "webhook.ping": None,
    "evse.planned": None,
    "evse.updated": None,
    "evse.removed": None,
    "connector.planned": None,
    "connector.updated": None,
    "connector.removed": None,
    "connector.conflict": None,
    "permission.created": None,
    "permission.updated": None,
    "permission.deleted": None,
    "organization.updated": None,
    "hardware_template.created": None,
    "hardware_template.updated": None,
    "hardware_template.deleted": None,
    "hardware_template.applied": None,
    "maintenance_window.created": None,
    "maintenance_window.updated": None,
    "maintenance_window.deleted": None,
    "vendor_error_code.created": None,
    "vendor_error_code.updated": None,
    "vendor_error_code.deleted": None,
    "vendor_error_code.imported": None,
    "alert_rule.updated": None,
    "alert_notifications.updated": None,
    "alert_mail.failed": None,
    "file.uploaded": None,
    "file.stored": None,
    "file.downloaded": None,
    "report.ready": None,
    "report.failed": None,
}
