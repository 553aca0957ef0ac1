"""Every event type as an `EventKind` constant: its name and the TypedDict of its `data`.

`record_event(uow, kind=STATION_BOOTED, data=booted, ...)` takes the kind, not a name, and its
payload must be of the kind's type: `EventKind[P]` ties the two, so mypy refuses a
`StationConnected` recorded as `STATION_BOOTED` (tests/events/test_kinds.py runs mypy on such a
snippet). `KINDS` (name -> kind) and `PAYLOADS` (name -> payload type) are derived from the
constants, so there is one list of event types. Readers compare with a kind's `name`
(`event.type == STATION_BOOTED.name`), never a literal: this module is the one place a type's
name is spelt out (tests/events/test_kind_names.py); `kind.data_of(event)` gives a listener the
payload typed.

Adding an event type:
1. its payload's TypedDict below (or reuse one), documented in docs/events.md;
2. one constant at the end, `NOUN_VERB: EventKind[Payload] = EventKind("noun.verb", Payload)`;
3. the emitter builds the payload as an annotated variable (`booted: StationBooted = {...}`) or
   by calling the TypedDict, and passes the constant: mypy infers the kind's payload type from
   the variable, not from a bare dict literal written inside the call. Where the type is chosen
   at run time, choose between constants (`A if x else B`, or a `dict[str, EventKind[P]]`),
   never build a name.

Why TypedDicts: at run time a payload is the same plain dict as before (nothing more is built,
copied or validated on the OCPP path; the kind is a module constant, its name read once per
event). Key order follows each emitter's literal, which is what the event log and webhook bodies
serialize; the classes here only say what the keys are. docs/events.md documents each typed
payload's fields, and tests/events/test_payloads.py keeps the two, the emitters and this module
in step.

A field a station or operator may leave out is still present, as null (`T | None`); a field
only some emitters of a type write is `NotRequired`. Times are ISO 8601 strings (the payload is
JSON). A payload type is checked structurally: a variable of a subtype (`StationBooted` where a
`StationEvent` is due) passes mypy, and its extra keys are caught by the suite's end-of-test
payload check (tests/conftest.py), not by the checker.
"""

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Generic, NotRequired, Protocol, TypedDict, TypeVar, cast

P = TypeVar("P", bound=Mapping[str, object])


class Recorded(Protocol):
    """What a reader holds of a recorded event: a stored `Event`, a `RecordedEvent` published
    after commit, an alert rule's `Fact`."""

    @property
    def type(self) -> str: ...

    @property
    def data(self) -> Mapping[str, Any]: ...


@dataclass(frozen=True, slots=True)
class EventKind(Generic[P]):
    """An event type: the `name` stored and sent as the event's `type`, and the TypedDict its
    `data` is (for the checks that read payloads back; nothing checks it while recording)."""

    name: str
    payload: type[P]

    def data_of(self, event: Recorded) -> P | None:
        """The event's `data` as this kind's payload when the event is of this kind, else
        `None`: the same mapping, nothing copied or checked at run time. Indexing it
        (`booted["protocol"]`) is checked by mypy against the payload's keys (`.get` is not:
        mypy lets any key through it). For events just recorded (a commit listener's), whose
        payloads are built to their type, and for events read back from the log: a field
        added to a payload type that events were already recorded without is `NotRequired`,
        and its readers `.get` it."""
        return cast(P, event.data) if event.type == self.name else None

    def payload_of(self, type: str, data: Mapping[str, Any]) -> P | None:
        """`data_of` for a reader holding an event's columns rather than an event (a query's
        row): `data` as this kind's payload when `type` is this kind's name, else `None`."""
        return cast(P, data) if type == self.name else None


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


# One constant per event type: the name recorded and sent, and its payload type.
STATION_REGISTERED: EventKind[StationRegistered] = EventKind(
    "station.registered", StationRegistered
)
STATION_UPDATED: EventKind[StationUpdated] = EventKind("station.updated", StationUpdated)
STATION_DELETED: EventKind[StationEvent] = EventKind("station.deleted", StationEvent)
STATION_PASSWORD_CHANGED: EventKind[StationEvent] = EventKind(
    "station.password_changed", StationEvent
)
STATION_PASSWORD_CHANGE_PENDING: EventKind[StationPasswordChangePending] = EventKind(
    "station.password_change_pending", StationPasswordChangePending
)
STATION_PASSWORD_ROTATED: EventKind[StationEvent] = EventKind(
    "station.password_rotated", StationEvent
)
STATION_SECURITY_PROFILE_CHANGED: EventKind[StationSecurityProfileChanged] = EventKind(
    "station.security_profile_changed", StationSecurityProfileChanged
)
STATION_AUTHENTICATION_FAILED: EventKind[StationAuthenticationFailed] = EventKind(
    "station.authentication_failed", StationAuthenticationFailed
)
STATION_CONNECTED: EventKind[StationConnected] = EventKind("station.connected", StationConnected)
STATION_DISCONNECTED: EventKind[StationEvent] = EventKind("station.disconnected", StationEvent)
STATION_BOOTED: EventKind[StationBooted] = EventKind("station.booted", StationBooted)
STATION_FIRMWARE_STATUS: EventKind[StationRequestStatus] = EventKind(
    "station.firmware_status", StationRequestStatus
)
STATION_LOG_UPLOAD_STATUS: EventKind[StationRequestStatus] = EventKind(
    "station.log_upload_status", StationRequestStatus
)
STATION_DATA_TRANSFER: EventKind[StationDataTransfer] = EventKind(
    "station.data_transfer", StationDataTransfer
)
STATION_SECURITY_EVENT: EventKind[StationSecurityEvent] = EventKind(
    "station.security_event", StationSecurityEvent
)
STATION_CERTIFICATE_REQUESTED: EventKind[StationCertificateRequested] = EventKind(
    "station.certificate_requested", StationCertificateRequested
)
STATION_CERTIFICATE_SIGNED: EventKind[StationCertificateSigned] = EventKind(
    "station.certificate_signed", StationCertificateSigned
)
CONNECTOR_STATUS_CHANGED: EventKind[ConnectorStatusChanged] = EventKind(
    "connector.status_changed", ConnectorStatusChanged
)
SESSION_STARTED: EventKind[SessionSummary] = EventKind("session.started", SessionSummary)
SESSION_UPDATED: EventKind[SessionSummary] = EventKind("session.updated", SessionSummary)
SESSION_STOPPED: EventKind[SessionSummary] = EventKind("session.stopped", SessionSummary)
SESSION_COST_UPDATED: EventKind[SessionCostUpdated] = EventKind(
    "session.cost_updated", SessionCostUpdated
)
TRANSACTION_EVENT_LATE: EventKind[TransactionEventLate] = EventKind(
    "transaction_event.late", TransactionEventLate
)
SESSION_CREDIT_EXHAUSTED: EventKind[SessionCreditExhausted] = EventKind(
    "session.credit_exhausted", SessionCreditExhausted
)
SESSION_TARIFF_DIFFERS: EventKind[SessionTariffDiffers] = EventKind(
    "session.tariff_differs", SessionTariffDiffers
)
SESSION_RECONCILED: EventKind[SessionReconciled] = EventKind(
    "session.reconciled", SessionReconciled
)
METER_VALUES_RECEIVED: EventKind[MeterValuesReceived] = EventKind(
    "meter_values.received", MeterValuesReceived
)
AUTHORIZATION_ACCEPTED: EventKind[AuthorizationDecided] = EventKind(
    "authorization.accepted", AuthorizationDecided
)
AUTHORIZATION_REJECTED: EventKind[AuthorizationDecided] = EventKind(
    "authorization.rejected", AuthorizationDecided
)
COMMAND_SENT: EventKind[CommandSent] = EventKind("command.sent", CommandSent)
COMMAND_ANSWERED: EventKind[CommandAnswered] = EventKind("command.answered", CommandAnswered)
COMMAND_FAILED: EventKind[CommandFailed] = EventKind("command.failed", CommandFailed)
ID_TAG_CREATED: EventKind[IdTagChanged] = EventKind("id_tag.created", IdTagChanged)
ID_TAG_UPDATED: EventKind[IdTagChanged] = EventKind("id_tag.updated", IdTagChanged)
ID_TAG_DELETED: EventKind[IdTagChanged] = EventKind("id_tag.deleted", IdTagChanged)
TAG_GROUP_CREATED: EventKind[TagGroupChanged] = EventKind("tag_group.created", TagGroupChanged)
TAG_GROUP_UPDATED: EventKind[TagGroupChanged] = EventKind("tag_group.updated", TagGroupChanged)
TAG_GROUP_DELETED: EventKind[TagGroupChanged] = EventKind("tag_group.deleted", TagGroupChanged)
CHARGING_PROFILE_DELIVERED: EventKind[ChargingProfileDelivery] = EventKind(
    "charging_profile.delivered", ChargingProfileDelivery
)
CHARGING_PROFILE_REJECTED: EventKind[ChargingProfileDelivery] = EventKind(
    "charging_profile.rejected", ChargingProfileDelivery
)
CHARGING_PROFILE_DEVIATION: EventKind[ChargingProfileDeviation] = EventKind(
    "charging_profile.deviation", ChargingProfileDeviation
)
SMART_CHARGING_UNCONTROLLABLE: EventKind[SmartChargingControl] = EventKind(
    "smart_charging.uncontrollable", SmartChargingControl
)
SMART_CHARGING_CONTROLLABLE: EventKind[SmartChargingControl] = EventKind(
    "smart_charging.controllable", SmartChargingControl
)
ALERT_TRIGGERED: EventKind[AlertChanged] = EventKind("alert.triggered", AlertChanged)
ALERT_ACKNOWLEDGED: EventKind[AlertChanged] = EventKind("alert.acknowledged", AlertChanged)
ALERT_RESOLVED: EventKind[AlertChanged] = EventKind("alert.resolved", AlertChanged)
RECONCILIATION_POLICY_UPDATED: EventKind[ReconciliationPolicyUpdated] = EventKind(
    "reconciliation_policy.updated", ReconciliationPolicyUpdated
)
TARIFF_GROUP_CREATED: EventKind[TariffGroupChanged] = EventKind(
    "tariff_group.created", TariffGroupChanged
)
TARIFF_GROUP_UPDATED: EventKind[TariffGroupChanged] = EventKind(
    "tariff_group.updated", TariffGroupChanged
)
TARIFF_GROUP_DELETED: EventKind[TariffGroupChanged] = EventKind(
    "tariff_group.deleted", TariffGroupChanged
)
CDR_CREATED: EventKind[CdrCreated] = EventKind("cdr.created", CdrCreated)
SUBSCRIPTION_CHANGED: EventKind[SubscriptionChanged] = EventKind(
    "subscription.changed", SubscriptionChanged
)
DEVICE_MODEL_REPORTED: EventKind[DeviceModelReported] = EventKind(
    "device_model.reported", DeviceModelReported
)
DEVICE_MODEL_MONITORS_REPORTED: EventKind[DeviceModelReported] = EventKind(
    "device_model.monitors_reported", DeviceModelReported
)
DEVICE_MODEL_MONITORS_READ: EventKind[DeviceMonitorsRead] = EventKind(
    "device_model.monitors_read", DeviceMonitorsRead
)
SETTLEMENT_RECEIVED: EventKind[SettlementReceived] = EventKind(
    "settlement.received", SettlementReceived
)
EVENT_STREAM_OPENED: EventKind[EventStreamOpened] = EventKind(
    "event_stream.opened", EventStreamOpened
)
EVENT_STREAM_VALUES_RECEIVED: EventKind[EventStreamValuesReceived] = EventKind(
    "event_stream.values_received", EventStreamValuesReceived
)
EVENT_STREAM_CLOSED: EventKind[EventStreamClosed] = EventKind(
    "event_stream.closed", EventStreamClosed
)
PERMISSION_CREATED: EventKind[PermissionChanged] = EventKind(
    "permission.created", PermissionChanged
)
PERMISSION_UPDATED: EventKind[PermissionChanged] = EventKind(
    "permission.updated", PermissionChanged
)
PERMISSION_DELETED: EventKind[PermissionChanged] = EventKind(
    "permission.deleted", PermissionChanged
)
HARDWARE_TEMPLATE_CREATED: EventKind[HardwareTemplateChanged] = EventKind(
    "hardware_template.created", HardwareTemplateChanged
)
HARDWARE_TEMPLATE_UPDATED: EventKind[HardwareTemplateChanged] = EventKind(
    "hardware_template.updated", HardwareTemplateChanged
)
HARDWARE_TEMPLATE_DELETED: EventKind[HardwareTemplateChanged] = EventKind(
    "hardware_template.deleted", HardwareTemplateChanged
)
HARDWARE_TEMPLATE_APPLIED: EventKind[HardwareTemplateApplied] = EventKind(
    "hardware_template.applied", HardwareTemplateApplied
)
MAINTENANCE_WINDOW_CREATED: EventKind[MaintenanceWindowChanged] = EventKind(
    "maintenance_window.created", MaintenanceWindowChanged
)
MAINTENANCE_WINDOW_UPDATED: EventKind[MaintenanceWindowChanged] = EventKind(
    "maintenance_window.updated", MaintenanceWindowChanged
)
MAINTENANCE_WINDOW_DELETED: EventKind[MaintenanceWindowChanged] = EventKind(
    "maintenance_window.deleted", MaintenanceWindowChanged
)
VENDOR_ERROR_CODE_CREATED: EventKind[VendorErrorCodeChanged] = EventKind(
    "vendor_error_code.created", VendorErrorCodeChanged
)
VENDOR_ERROR_CODE_UPDATED: EventKind[VendorErrorCodeChanged] = EventKind(
    "vendor_error_code.updated", VendorErrorCodeChanged
)
VENDOR_ERROR_CODE_DELETED: EventKind[VendorErrorCodeChanged] = EventKind(
    "vendor_error_code.deleted", VendorErrorCodeChanged
)
VENDOR_ERROR_CODE_IMPORTED: EventKind[VendorErrorCodesImported] = EventKind(
    "vendor_error_code.imported", VendorErrorCodesImported
)
ALERT_RULE_UPDATED: EventKind[AlertRuleUpdated] = EventKind("alert_rule.updated", AlertRuleUpdated)
ALERT_NOTIFICATIONS_UPDATED: EventKind[AlertNotificationsUpdated] = EventKind(
    "alert_notifications.updated", AlertNotificationsUpdated
)
ALERT_MAIL_FAILED: EventKind[AlertMailFailed] = EventKind("alert_mail.failed", AlertMailFailed)
FILE_UPLOADED: EventKind[FileEvent] = EventKind("file.uploaded", FileEvent)
FILE_STORED: EventKind[FileEvent] = EventKind("file.stored", FileEvent)
FILE_DOWNLOADED: EventKind[FileEvent] = EventKind("file.downloaded", FileEvent)
REPORT_READY: EventKind[ReportOutcome] = EventKind("report.ready", ReportOutcome)
REPORT_FAILED: EventKind[ReportOutcome] = EventKind("report.failed", ReportOutcome)
WEBHOOK_DISABLED: EventKind[WebhookDisabled] = EventKind("webhook.disabled", WebhookDisabled)
WEBHOOK_PING: EventKind[WebhookPing] = EventKind("webhook.ping", WebhookPing)
TARIFF_CREATED: EventKind[TariffEvent] = EventKind("tariff.created", TariffEvent)
TARIFF_DELETED: EventKind[TariffEvent] = EventKind("tariff.deleted", TariffEvent)
TARIFF_UPDATED: EventKind[TariffUpdated] = EventKind("tariff.updated", TariffUpdated)
DRIVER_CREATED: EventKind[DriverEvent] = EventKind("driver.created", DriverEvent)
DRIVER_DELETED: EventKind[DriverEvent] = EventKind("driver.deleted", DriverEvent)
DRIVER_UPDATED: EventKind[DriverUpdated] = EventKind("driver.updated", DriverUpdated)
DRIVER_BALANCE_CHANGED: EventKind[DriverBalanceChanged] = EventKind(
    "driver.balance_changed", DriverBalanceChanged
)
RESERVATION_CREATED: EventKind[ReservationSummary] = EventKind(
    "reservation.created", ReservationSummary
)
RESERVATION_UPDATED: EventKind[ReservationSummary] = EventKind(
    "reservation.updated", ReservationSummary
)
CHARGING_LIMIT_SET: EventKind[ChargingLimitSet] = EventKind("charging_limit.set", ChargingLimitSet)
CHARGING_LIMIT_CLEARED: EventKind[ChargingLimitCleared] = EventKind(
    "charging_limit.cleared", ChargingLimitCleared
)
CHARGING_LIMIT_READ: EventKind[ChargingLimitRead] = EventKind(
    "charging_limit.read", ChargingLimitRead
)
EV_CHARGING_NEEDS: EventKind[EvChargingNeeds] = EventKind("ev.charging_needs", EvChargingNeeds)
EV_CHARGING_SCHEDULE: EventKind[EvChargingScheduleReported] = EventKind(
    "ev.charging_schedule", EvChargingScheduleReported
)
CIRCUIT_CREATED: EventKind[CircuitCreated] = EventKind("circuit.created", CircuitCreated)
CIRCUIT_UPDATED: EventKind[CircuitUpdated] = EventKind("circuit.updated", CircuitUpdated)
CIRCUIT_DELETED: EventKind[CircuitEvent] = EventKind("circuit.deleted", CircuitEvent)
CIRCUIT_WINDOW_ADDED: EventKind[CircuitWindowChanged] = EventKind(
    "circuit.window_added", CircuitWindowChanged
)
CIRCUIT_WINDOW_REMOVED: EventKind[CircuitWindowChanged] = EventKind(
    "circuit.window_removed", CircuitWindowChanged
)
EVSE_WIRING_UPDATED: EventKind[EvseWiringUpdated] = EventKind(
    "evse_wiring.updated", EvseWiringUpdated
)
VEHICLE_CREATED: EventKind[VehicleCreated] = EventKind("vehicle.created", VehicleCreated)
VEHICLE_UPDATED: EventKind[VehicleUpdated] = EventKind("vehicle.updated", VehicleUpdated)
VEHICLE_DELETED: EventKind[VehicleEvent] = EventKind("vehicle.deleted", VehicleEvent)
SESSION_NEEDS_UPDATED: EventKind[SessionNeedsUpdated] = EventKind(
    "session_needs.updated", SessionNeedsUpdated
)
ENERGY_PRICE_ADDED: EventKind[EnergyPricesAdded] = EventKind(
    "energy_price.added", EnergyPricesAdded
)
ENERGY_PRICE_REMOVED: EventKind[Removed] = EventKind("energy_price.removed", Removed)
DEMAND_RESPONSE_ADDED: EventKind[DemandResponseAdded] = EventKind(
    "demand_response.added", DemandResponseAdded
)
DEMAND_RESPONSE_REMOVED: EventKind[Removed] = EventKind("demand_response.removed", Removed)
MEASUREMENT_ADDED: EventKind[MeasurementsAdded] = EventKind("measurement.added", MeasurementsAdded)
USER_CREATED: EventKind[UserCreated] = EventKind("user.created", UserCreated)
USER_UPDATED: EventKind[UserUpdated] = EventKind("user.updated", UserUpdated)
USER_DELETED: EventKind[UserDeleted] = EventKind("user.deleted", UserDeleted)
API_TOKEN_CREATED: EventKind[ApiTokenEvent] = EventKind("api_token.created", ApiTokenEvent)
API_TOKEN_REVOKED: EventKind[ApiTokenEvent] = EventKind("api_token.revoked", ApiTokenEvent)
LOCATION_CREATED: EventKind[LocationCreated] = EventKind("location.created", LocationCreated)
LOCATION_UPDATED: EventKind[LocationUpdated] = EventKind("location.updated", LocationUpdated)
LOCATION_DELETED: EventKind[LocationEvent] = EventKind("location.deleted", LocationEvent)
EVSE_PLANNED: EventKind[EvseChanged] = EventKind("evse.planned", EvseChanged)
EVSE_REMOVED: EventKind[EvseChanged] = EventKind("evse.removed", EvseChanged)
EVSE_UPDATED: EventKind[EvseUpdated] = EventKind("evse.updated", EvseUpdated)
CONNECTOR_PLANNED: EventKind[ConnectorChanged] = EventKind("connector.planned", ConnectorChanged)
CONNECTOR_UPDATED: EventKind[ConnectorChanged] = EventKind("connector.updated", ConnectorChanged)
CONNECTOR_REMOVED: EventKind[ConnectorChanged] = EventKind("connector.removed", ConnectorChanged)
CONNECTOR_CONFLICT: EventKind[ConnectorConflict] = EventKind(
    "connector.conflict", ConnectorConflict
)
ORGANIZATION_UPDATED: EventKind[OrganizationUpdated] = EventKind(
    "organization.updated", OrganizationUpdated
)
STATION_DEVICE_EVENT: EventKind[StationDeviceEvent] = EventKind(
    "station.device_event", StationDeviceEvent
)
STATION_CUSTOMER_INFORMATION: EventKind[StationCustomerInformation] = EventKind(
    "station.customer_information", StationCustomerInformation
)
STATION_DISPLAY_MESSAGES: EventKind[StationDisplayMessages] = EventKind(
    "station.display_messages", StationDisplayMessages
)
STATION_LOG_STATUS: EventKind[StationReportEvent] = EventKind(
    "station.log_status", StationReportEvent
)
STATION_PUBLISH_FIRMWARE_STATUS: EventKind[StationPublishFirmwareStatus] = EventKind(
    "station.publish_firmware_status", StationPublishFirmwareStatus
)
STATION_CHARGING_PROFILES: EventKind[StationChargingProfiles] = EventKind(
    "station.charging_profiles", StationChargingProfiles
)
STATION_RESERVATION_STATUS: EventKind[StationReservationStatus] = EventKind(
    "station.reservation_status", StationReservationStatus
)
STATION_CERTIFICATE_REQUEST: EventKind[StationCertificateRequest] = EventKind(
    "station.certificate_request", StationCertificateRequest
)
STATION_BATTERY_SWAP: EventKind[StationBatterySwap] = EventKind(
    "station.battery_swap", StationBatterySwap
)
STATION_VAT_NUMBER_VALIDATION: EventKind[StationVatNumberValidation] = EventKind(
    "station.vat_number_validation", StationVatNumberValidation
)
STATION_DER_ALARM: EventKind[StationDerAlarm] = EventKind("station.der_alarm", StationDerAlarm)
STATION_DER_START_STOP: EventKind[StationDerStartStop] = EventKind(
    "station.der_start_stop", StationDerStartStop
)
STATION_DER_CONTROLS: EventKind[StationDerControls] = EventKind(
    "station.der_controls", StationDerControls
)
STATION_PRIORITY_CHARGING: EventKind[StationPriorityCharging] = EventKind(
    "station.priority_charging", StationPriorityCharging
)
STATION_SCHEDULE_UPDATE_REQUEST: EventKind[StationScheduleUpdateRequest] = EventKind(
    "station.schedule_update_request", StationScheduleUpdateRequest
)
VEHICLE_TELEMATICS_RECEIVED: EventKind[TelematicsReceived] = EventKind(
    "vehicle.telematics_received", TelematicsReceived
)
VEHICLE_ROUTE_PLANNED: EventKind[RouteChanged] = EventKind("vehicle.route_planned", RouteChanged)
VEHICLE_ROUTE_REMOVED: EventKind[RouteChanged] = EventKind("vehicle.route_removed", RouteChanged)
VEHICLE_GROUP_CREATED: EventKind[VehicleGroupChanged] = EventKind(
    "vehicle_group.created", VehicleGroupChanged
)
VEHICLE_GROUP_UPDATED: EventKind[VehicleGroupChanged] = EventKind(
    "vehicle_group.updated", VehicleGroupChanged
)
VEHICLE_GROUP_DELETED: EventKind[VehicleGroupChanged] = EventKind(
    "vehicle_group.deleted", VehicleGroupChanged
)
EXTERNAL_METER_CREATED: EventKind[ExternalMeterChanged] = EventKind(
    "external_meter.created", ExternalMeterChanged
)
EXTERNAL_METER_UPDATED: EventKind[ExternalMeterChanged] = EventKind(
    "external_meter.updated", ExternalMeterChanged
)
EXTERNAL_METER_DELETED: EventKind[ExternalMeterChanged] = EventKind(
    "external_meter.deleted", ExternalMeterChanged
)
EXTERNAL_METER_READINGS_RECEIVED: EventKind[MeterReadingsReceived] = EventKind(
    "external_meter.readings_received", MeterReadingsReceived
)

# Every event type -> its kind, and -> its payload type: derived from the constants above.
KINDS: dict[str, EventKind[Any]] = {
    kind.name: kind for kind in list(globals().values()) if isinstance(kind, EventKind)
}
PAYLOADS: dict[str, type] = {name: kind.payload for name, kind in KINDS.items()}
