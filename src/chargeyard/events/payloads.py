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


class ReconciliationPolicyUpdated(TypedDict):
    auto_close: bool
    reason: str  # the stop reason a closed zombie session gets


class TariffGroupChanged(TypedDict):
    tariff_group_id: str
    name: str
    tariff_id: str


class CdrCreated(TypedDict):
    """Amounts are decimal strings in the currency's minor-unit precision."""

    cdr_id: str
    transaction_id: int
    currency: str
    total_excl_tax: str
    total_incl_tax: str
    credit: bool
    credit_reference_id: str | None  # the CDR a credit note reverses
    driver_id: str | None


class SubscriptionChanged(TypedDict):
    subscription_id: str
    driver_id: str
    plan_id: str
    status: str
    change: str
    auto_renew: bool
    period_number: int
    period_start: str
    period_end: str
    end_reason: str | None


class DeviceModelReported(StationEvent):
    """A 2.x NotifyReport or NotifyMonitoringReport stored in full."""

    request_id: int | None
    count: int  # variables (or monitors) reported


class DeviceMonitorsRead(StationEvent):
    """A read of a 2.x station's monitors (GetMonitoringReport) finished: its last
    NotifyMonitoringReport part arrived, or the station answered EmptyResultSet."""

    request_id: int
    whole: bool  # every monitor was asked for: the stored set is now what the read listed
    listed: int  # monitors the read's parts listed
    removed: int  # stored monitors the station no longer has (a whole read only)


class SettlementReceived(TypedDict):
    id: int
    station_id: str
    transaction_id: int | None
    ocpp_transaction_id: str | None
    psp_ref: str
    status: str
    amount: str  # a decimal string
    receipt_id: str | None


class EventStreamEvent(TypedDict):
    """A 2.1 periodic event stream, as every `event_stream.*` event starts."""

    id: int
    station_id: str
    stream_id: int
    variable_monitoring_id: int | None
    interval_s: int | None
    values_per_batch: int | None


class EventStreamOpened(EventStreamEvent):
    replaced_open: bool


class StreamValue(TypedDict):
    at: str
    value: str


class EventStreamValuesReceived(EventStreamEvent):
    pending: int
    values: list[StreamValue]


class EventStreamClosed(EventStreamEvent):
    value_count: int


class PermissionChanged(TypedDict):
    permission_id: str
    id_tag_id: str | None
    tag_group_id: str | None
    location_id: str | None
    station_id: str | None


class HardwareTemplateChanged(TypedDict):
    hardware_template_id: str
    vendor: str
    model: str


class HardwareTemplateApplied(TypedDict):
    hardware_template_id: str
    station_id: str
    changes: int
    kept_evse_ids: list[int]  # EVSEs the station reported that the template leaves alone


class MaintenanceWindowChanged(TypedDict):
    maintenance_window_id: str
    station_id: str | None
    location_id: str | None
    starts_at: str
    ends_at: str
    reason: str | None


class VendorErrorCodeChanged(TypedDict):
    id: str
    vendor: str
    model: str | None  # null: any model
    firmware_version: str | None  # null: any firmware
    code: str
    title: str
    severity: str


class VendorErrorCodesImported(TypedDict):
    created: int
    updated: int


class AlertRuleUpdated(TypedDict):
    name: str
    changed: list[str]


class AlertNotificationsUpdated(TypedDict):
    scope: str  # "channel" (the mail channel) or a rule's name
    changed: list[str]


class AlertMailFailed(TypedDict):
    mail_id: str
    kind: str
    alerts: int
    attempts: int
    error: str


class FileEvent(TypedDict):
    file_id: str
    kind: str
    station_id: str | None
    filename: str | None
    size: int | None
    sha256: str | None


class ReportOutcome(TypedDict):
    report_id: str
    kind: str
    format: str
    status: str
    rows: int | None
    file_id: str | None
    error: str | None


class WebhookDisabled(TypedDict):
    webhook_id: str
    url: str
    reason: str


class WebhookPing(TypedDict):
    webhook_id: str


class TariffEvent(TypedDict):
    tariff_id: str
    name: str
    version: int  # the current version's number
    currency: str
    is_default: bool


class TariffUpdated(TariffEvent):
    changed: list[str]  # "version" when the prices changed


class DriverEvent(TypedDict):
    driver_id: str


class DriverUpdated(DriverEvent):
    changed: list[str]


class DriverBalanceChanged(DriverEvent):
    """Amounts are decimal strings in the currency's minor-unit precision."""

    entry_id: int
    kind: str
    direction: str  # "credit" or "debit"
    amount: str  # unsigned
    balance: str  # after the entry
    currency: str
    cdr_id: str | None


class ReservationSummary(TypedDict):
    id: int
    station_id: str
    evse_id: int
    id_tag: str
    expires_at: str
    status: str
    transaction_id: int | None


class ChargingLimitSet(StationEvent):
    source: str
    evse_id: int | None
    grid_critical: bool | None


class ChargingLimitCleared(StationEvent):
    source: str
    evse_id: int | None
    cleared: int  # how many limits were active


class ChargingLimitRead(StationEvent):
    """A read of the station's external constraints: one per EVSE and source it reported
    (with their profile ids), or NoProfiles (with how many earlier constraints it cleared)."""

    request_id: int
    evse_id: NotRequired[int | None]
    source: NotRequired[str]
    profiles: list[int]
    cleared: NotRequired[int]


class EvChargingNeeds(StationEvent):
    evse_id: int
    requested_energy_transfer: str
    energy_amount_wh: int | None
    departure_time: str | None


class EvChargingScheduleReported(StationEvent):
    evse_id: int
    time_base: str


class CircuitEvent(TypedDict):
    circuit_id: str


class CircuitCreated(CircuitEvent):
    name: str


class CircuitUpdated(CircuitEvent):
    changed: list[str]


class CircuitWindowChanged(CircuitEvent):
    window_id: str


class EvseWiringUpdated(StationEvent):
    evse_id: int


class VehicleEvent(TypedDict):
    vehicle_id: str


class VehicleCreated(VehicleEvent):
    id_tag: str | None


class VehicleUpdated(VehicleEvent):
    changed: list[str]


class SessionNeedsUpdated(TypedDict):
    transaction_id: int
    changed: list[str]


class EnergyPricesAdded(TypedDict):
    count: int


class DemandResponseAdded(TypedDict):
    id: str
    circuit_id: str


class Removed(TypedDict):
    """An energy price or demand-response event, removed."""

    id: str


class MeasurementsAdded(TypedDict):
    circuit_id: str
    count: int


class UserCreated(TypedDict):
    user_id: str
    email: str
    role: str


class UserUpdated(TypedDict):
    user_id: str
    changed: list[str]
    tokens_revoked: NotRequired[int]  # when deactivating the user revoked their tokens


class UserDeleted(TypedDict):
    user_id: str
    email: str


class OrganizationUpdated(TypedDict):
    changed: list[str]
    permissions_required: NotRequired[bool]  # when it changed: its new value


class ApiTokenEvent(TypedDict):
    """Never the secret nor its hash."""

    token_id: str
    name: str | None
    role: str
    prefix: str
    user_id: str | None  # null: a service token, or its user was deleted
    service: bool


class LocationEvent(TypedDict):
    location_id: str
    name: str


class LocationCreated(LocationEvent):
    parent_id: str | None


class LocationUpdated(LocationEvent):
    changed: list[str]


class EvseChanged(StationEvent):
    evse_id: int


class EvseUpdated(EvseChanged):
    changed: list[str]


class ConnectorChanged(EvseChanged):
    connector_id: int


class ConnectorConflict(StationEvent):
    connector_id: int
    conflicts: list[dict[str, Any]]  # each {field, planned, reported}


class CertificateChecked(TypedDict):
    serial_number: str
    source: str  # "OCSP" or "CRL"
    status: str
    reason: str | None


class StationReportEvent(StationEvent):
    """A `station.<kind>` report (`station_reports/`), as each starts; the kind's own fields
    (its `...Details`, which the OCPP adapter builds) follow."""

    request_id: int | None
    evse_id: int | None
    status: str | None


class NoDetails(TypedDict):
    """A report with nothing of its own (`station.log_status`)."""


class CustomerInformationDetails(TypedDict):
    data: str


class DisplayMessagesDetails(TypedDict):
    messages: list[dict[str, Any]]  # the station's MessageInfo objects, snake_case


class PublishFirmwareDetails(TypedDict):
    locations: list[str]


class ChargingProfilesDetails(TypedDict):
    charging_limit_source: str
    profiles: list[dict[str, Any]]  # the station's ChargingProfile objects, snake_case


class ReservationStatusDetails(TypedDict):
    reservation_id: int


class CertificateRequestDetails(TypedDict):
    """What a station asked of the CSMS's certificate services: 2.x Get15118EVCertificate
    (schema_version, certificate_action), GetCertificateStatus (serial_number, responder_url)
    or 2.1 GetCertificateChainStatus (certificates)."""

    action: str
    schema_version: NotRequired[str]
    certificate_action: NotRequired[str]
    serial_number: NotRequired[str]
    responder_url: NotRequired[str]
    certificates: NotRequired[list[CertificateChecked]]


class BatterySwapDetails(TypedDict):
    id_token: str
    token_type: str
    batteries: list[dict[str, Any]]  # the station's BatteryData objects, snake_case


class VatNumberValidationDetails(TypedDict):
    vat_number: str
    company: dict[str, Any] | None  # the validated company's name and address
    reason: str | None


class DerAlarmDetails(TypedDict):
    control_type: str
    grid_event_fault: str | None
    alarm_ended: bool
    extra_info: str | None


class DerStartStopDetails(TypedDict):
    control_id: str
    superseded_ids: list[str]


class DerControlsDetails(TypedDict):
    controls: dict[str, Any]  # the station's control lists by type (curve, fixed_var, ...)


class PriorityChargingDetails(TypedDict):
    ocpp_transaction_id: str
    transaction_id: int | None


class ScheduleUpdateRequestDetails(TypedDict):
    """`limit` and `unit` when Chargeyard answered with the limit in force."""

    charging_profile_id: int
    limit: NotRequired[str]
    unit: NotRequired[str]


class DeviceEventDetails(TypedDict):
    """One NotifyEvent EventData, snake_case, its fields in this order whatever order the station
    sent them in (`protocol/v201/translate.py` `device_event`)."""

    event_id: int
    timestamp: str  # as the station wrote it
    trigger: str
    cause: NotRequired[int]
    actual_value: str
    tech_code: NotRequired[str]
    tech_info: NotRequired[str]
    cleared: NotRequired[bool]
    transaction_id: NotRequired[str]
    variable_monitoring_id: NotRequired[int]
    event_notification_type: str
    severity: NotRequired[int]  # 2.1
    component: dict[str, Any]
    variable: dict[str, Any]
    custom_data: NotRequired[dict[str, Any]]


class StationDeviceEvent(StationReportEvent, DeviceEventDetails):
    pass


class StationCustomerInformation(StationReportEvent, CustomerInformationDetails):
    pass


class StationDisplayMessages(StationReportEvent, DisplayMessagesDetails):
    pass


class StationPublishFirmwareStatus(StationReportEvent, PublishFirmwareDetails):
    pass


class StationChargingProfiles(StationReportEvent, ChargingProfilesDetails):
    pass


class StationReservationStatus(StationReportEvent, ReservationStatusDetails):
    pass


class StationCertificateRequest(StationReportEvent, CertificateRequestDetails):
    pass


class StationBatterySwap(StationReportEvent, BatterySwapDetails):
    pass


class StationVatNumberValidation(StationReportEvent, VatNumberValidationDetails):
    pass


class StationDerAlarm(StationReportEvent, DerAlarmDetails):
    pass


class StationDerStartStop(StationReportEvent, DerStartStopDetails):
    pass


class StationDerControls(StationReportEvent, DerControlsDetails):
    pass


class StationPriorityCharging(StationReportEvent, PriorityChargingDetails):
    pass


class StationScheduleUpdateRequest(StationReportEvent, ScheduleUpdateRequestDetails):
    pass


# What a station report's `data` may be (`station_reports.domain.StationReport.data`).
ReportDetails = (
    DeviceEventDetails
    | CustomerInformationDetails
    | DisplayMessagesDetails
    | PublishFirmwareDetails
    | ChargingProfilesDetails
    | ReservationStatusDetails
    | CertificateRequestDetails
    | BatterySwapDetails
    | VatNumberValidationDetails
    | DerAlarmDetails
    | DerStartStopDetails
    | DerControlsDetails
    | PriorityChargingDetails
    | ScheduleUpdateRequestDetails
    | NoDetails
)


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
    "reconciliation_policy.updated": ReconciliationPolicyUpdated,
    "tariff_group.created": TariffGroupChanged,
    "tariff_group.updated": TariffGroupChanged,
    "tariff_group.deleted": TariffGroupChanged,
    "cdr.created": CdrCreated,
    "subscription.changed": SubscriptionChanged,
    "device_model.reported": DeviceModelReported,
    "device_model.monitors_reported": DeviceModelReported,
    "device_model.monitors_read": DeviceMonitorsRead,
    "settlement.received": SettlementReceived,
    "event_stream.opened": EventStreamOpened,
    "event_stream.values_received": EventStreamValuesReceived,
    "event_stream.closed": EventStreamClosed,
    "permission.created": PermissionChanged,
    "permission.updated": PermissionChanged,
    "permission.deleted": PermissionChanged,
    "hardware_template.created": HardwareTemplateChanged,
    "hardware_template.updated": HardwareTemplateChanged,
    "hardware_template.deleted": HardwareTemplateChanged,
    "hardware_template.applied": HardwareTemplateApplied,
    "maintenance_window.created": MaintenanceWindowChanged,
    "maintenance_window.updated": MaintenanceWindowChanged,
    "maintenance_window.deleted": MaintenanceWindowChanged,
    "vendor_error_code.created": VendorErrorCodeChanged,
    "vendor_error_code.updated": VendorErrorCodeChanged,
    "vendor_error_code.deleted": VendorErrorCodeChanged,
    "vendor_error_code.imported": VendorErrorCodesImported,
    "alert_rule.updated": AlertRuleUpdated,
    "alert_notifications.updated": AlertNotificationsUpdated,
    "alert_mail.failed": AlertMailFailed,
    "file.uploaded": FileEvent,
    "file.stored": FileEvent,
    "file.downloaded": FileEvent,
    "report.ready": ReportOutcome,
    "report.failed": ReportOutcome,
    "webhook.disabled": WebhookDisabled,
    "webhook.ping": WebhookPing,
    "tariff.created": TariffEvent,
    "tariff.deleted": TariffEvent,
    "tariff.updated": TariffUpdated,
    "driver.created": DriverEvent,
    "driver.deleted": DriverEvent,
    "driver.updated": DriverUpdated,
    "driver.balance_changed": DriverBalanceChanged,
    "reservation.created": ReservationSummary,
    "reservation.updated": ReservationSummary,
    "charging_limit.set": ChargingLimitSet,
    "charging_limit.cleared": ChargingLimitCleared,
    "charging_limit.read": ChargingLimitRead,
    "ev.charging_needs": EvChargingNeeds,
    "ev.charging_schedule": EvChargingScheduleReported,
    "circuit.created": CircuitCreated,
    "circuit.updated": CircuitUpdated,
    "circuit.deleted": CircuitEvent,
    "circuit.window_added": CircuitWindowChanged,
    "circuit.window_removed": CircuitWindowChanged,
    "evse_wiring.updated": EvseWiringUpdated,
    "vehicle.created": VehicleCreated,
    "vehicle.updated": VehicleUpdated,
    "vehicle.deleted": VehicleEvent,
    "session_needs.updated": SessionNeedsUpdated,
    "energy_price.added": EnergyPricesAdded,
    "energy_price.removed": Removed,
    "demand_response.added": DemandResponseAdded,
    "demand_response.removed": Removed,
    "measurement.added": MeasurementsAdded,
    "user.created": UserCreated,
    "user.updated": UserUpdated,
    "user.deleted": UserDeleted,
    "api_token.created": ApiTokenEvent,
    "api_token.revoked": ApiTokenEvent,
    "location.created": LocationCreated,
    "location.updated": LocationUpdated,
    "location.deleted": LocationEvent,
    "evse.planned": EvseChanged,
    "evse.removed": EvseChanged,
    "evse.updated": EvseUpdated,
    "connector.planned": ConnectorChanged,
    "connector.updated": ConnectorChanged,
    "connector.removed": ConnectorChanged,
    "connector.conflict": ConnectorConflict,
    "organization.updated": OrganizationUpdated,
    "station.device_event": StationDeviceEvent,
    "station.customer_information": StationCustomerInformation,
    "station.display_messages": StationDisplayMessages,
    "station.log_status": StationReportEvent,
    "station.publish_firmware_status": StationPublishFirmwareStatus,
    "station.charging_profiles": StationChargingProfiles,
    "station.reservation_status": StationReservationStatus,
    "station.certificate_request": StationCertificateRequest,
    "station.battery_swap": StationBatterySwap,
    "station.vat_number_validation": StationVatNumberValidation,
    "station.der_alarm": StationDerAlarm,
    "station.der_start_stop": StationDerStartStop,
    "station.der_controls": StationDerControls,
    "station.priority_charging": StationPriorityCharging,
    "station.schedule_update_request": StationScheduleUpdateRequest,
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
}
