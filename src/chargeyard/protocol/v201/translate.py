"""OCPP 2.0.1 (and 2.1) ↔ domain values. Nested fields arrive as snake_case dicts; they are
parsed into typed domain values here, once."""

from decimal import Decimal
from typing import Any, cast, get_type_hints

from chargeyard.charging_needs.domain import ChargingNeed
from chargeyard.device_model.domain import (
    Attribute,
    Characteristics,
    ComponentRef,
    MonitorReport,
    VariableRef,
    VariableReport,
)
from chargeyard.events.payloads import DeviceEventDetails
from chargeyard.id_tags.domain import Authorization
from chargeyard.protocol.convert import format_timestamp, parse_timestamp
from chargeyard.stations.domain import BootInfo
from chargeyard.transactions.domain import (
    ENERGY_REGISTER,
    MeterReading,
    Sample,
    TransactionEventReport,
    TransactionEventType,
)
from chargeyard.transactions.held import HeldTransaction
from chargeyard.transactions.models import Transaction

NO_AUTHORIZATION = "NoAuthorization"
# A group id is an identifier Chargeyard issues, never a card: its token type is Central.
GROUP_TOKEN_TYPE = "Central"


def boot_info(charging_station: dict[str, Any], reason: str) -> BootInfo:
    modem = charging_station.get("modem") or {}
    return BootInfo(
        vendor=charging_station["vendor_name"],
        model=charging_station["model"],
        serial_number=charging_station.get("serial_number"),
        firmware_version=charging_station.get("firmware_version"),
        iccid=modem.get("iccid"),
        imsi=modem.get("imsi"),
        reason=reason,
    )


def id_tag(id_token: dict[str, Any] | None) -> str | None:
    """The token's value as Chargeyard's ID tag; NoAuthorization carries none."""
    if id_token is None or id_token["type"] == NO_AUTHORIZATION:
        return None
    return str(id_token["id_token"])


def id_token_info(authorization: Authorization, message: str | None = None) -> dict[str, Any]:
    """2.0.1 knows every domain status; the parent tag is the group id; `message` (the tariff
    the driver is charged by) is the personal message a station with a display shows."""
    info: dict[str, Any] = {"status": authorization.status.value}
    if message is not None:
        info["personal_message"] = personal_message(message)
    if authorization.expires_at is not None:
        info["cache_expiry_date_time"] = format_timestamp(authorization.expires_at)
    if authorization.parent_id_tag is not None:
        info["group_id_token"] = {
            "id_token": authorization.parent_id_tag,
            "type": GROUP_TOKEN_TYPE,
        }
    return info


def _value(sampled: dict[str, Any]) -> tuple[str, str]:
    """The value as text, scaled by the unit's multiplier so that Wh stays Wh."""
    unit_of_measure = sampled.get("unit_of_measure") or {}
    multiplier = int(unit_of_measure.get("multiplier", 0))
    number = Decimal(str(sampled["value"]))
    if multiplier:
        number = number.scaleb(multiplier)
    text = format(number.normalize(), "f") if multiplier else str(sampled["value"])
    return text, str(unit_of_measure.get("unit", "Wh"))


def meter_readings(meter_value: list[dict[str, Any]] | None) -> tuple[MeterReading, ...]:
    """2.0.1 MeterValue elements; defaults as in the specification (energy register in Wh)."""
    readings = []
    for item in meter_value or []:
        samples = []
        for sampled in item["sampled_value"]:
            value, unit = _value(sampled)
            samples.append(
                Sample(
                    measurand=sampled.get("measurand", ENERGY_REGISTER),
                    value=value,
                    unit=unit,
                    phase=sampled.get("phase"),
                    context=sampled.get("context", "Sample.Periodic"),
                    location=sampled.get("location", "Outlet"),
                    format="Raw",
                )
            )
        readings.append(MeterReading(parse_timestamp(item["timestamp"]), tuple(samples)))
    return tuple(readings)


def transaction_report(fields: dict[str, Any]) -> TransactionEventReport:
    """A TransactionEvent request (snake_case, schema-checked) as a domain report."""
    info = fields["transaction_info"]
    evse = fields.get("evse") or {}
    return TransactionEventReport(
        ocpp_transaction_id=info["transaction_id"],
        event_type=TransactionEventType(fields["event_type"]),
        seq_no=fields["seq_no"],
        timestamp=parse_timestamp(fields["timestamp"]),
        trigger_reason=fields["trigger_reason"],
        evse_id=evse.get("id"),
        connector_id=evse.get("connector_id"),
        id_tag=id_tag(fields.get("id_token")),
        offline=bool(fields.get("offline")),
        readings=meter_readings(fields.get("meter_value")),
        stopped_reason=info.get("stopped_reason"),
        charging_state=info.get("charging_state"),
        reservation_id=fields.get("reservation_id"),
        remote_start_id=info.get("remote_start_id"),
    )


def component(data: dict[str, Any]) -> ComponentRef:
    evse = data.get("evse") or {}
    return ComponentRef(
        name=data["name"],
        instance=data.get("instance"),
        evse_id=evse.get("id"),
        connector_id=evse.get("connector_id"),
    )


def variable(data: dict[str, Any]) -> VariableRef:
    return VariableRef(name=data["name"], instance=data.get("instance"))


def variable_reports(report_data: list[dict[str, Any]] | None) -> tuple[VariableReport, ...]:
    reports = []
    for item in report_data or []:
        traits = item.get("variable_characteristics") or {}
        reports.append(
            VariableReport(
                component=component(item["component"]),
                variable=variable(item["variable"]),
                attributes=tuple(
                    Attribute(
                        type=a.get("type", "Actual"),
                        value=a.get("value"),
                        mutability=a.get("mutability", "ReadWrite"),
                        persistent=a.get("persistent", False),
                        constant=a.get("constant", False),
                    )
                    for a in item["variable_attribute"]
                ),
                characteristics=Characteristics(
                    data_type=traits.get("data_type"),
                    unit=traits.get("unit"),
                    min_limit=traits.get("min_limit"),
                    max_limit=traits.get("max_limit"),
                    values_list=traits.get("values_list"),
                    supports_monitoring=traits.get("supports_monitoring"),
                ),
            )
        )
    return tuple(reports)


def monitor_reports(monitor: list[dict[str, Any]] | None) -> tuple[MonitorReport, ...]:
    return tuple(
        MonitorReport(
            component=component(item["component"]),
            variable=variable(item["variable"]),
            monitor_id=m["id"],
            type=m["type"],
            value=float(m["value"]),
            severity=m["severity"],
            transaction=bool(m.get("transaction", False)),
        )
        for item in monitor or []
        for m in item["variable_monitoring"]
    )


def charging_need(
    evse_id: int, needs: dict[str, Any], max_schedule_tuples: int | None
) -> ChargingNeed:
    ac = needs.get("ac_charging_parameters") or {}
    dc = needs.get("dc_charging_parameters") or {}
    energy = ac.get("energy_amount", dc.get("energy_amount"))
    departure = needs.get("departure_time")
    return ChargingNeed(
        evse_id=evse_id,
        requested_energy_transfer=needs["requested_energy_transfer"],
        departure_time=parse_timestamp(departure) if departure else None,
        energy_amount_wh=None if energy is None else int(energy),
        ev_min_current_a=ac.get("ev_min_current"),
        ev_max_current_a=ac.get("ev_max_current", dc.get("ev_max_current")),
        ev_max_voltage_v=ac.get("ev_max_voltage", dc.get("ev_max_voltage")),
        ev_max_power_w=dc.get("ev_max_power"),
        state_of_charge=dc.get("state_of_charge"),
        max_schedule_tuples=max_schedule_tuples,
        data=needs,
    )


def total_cost(tx: Transaction | HeldTransaction, event_type: TransactionEventType) -> float | None:
    """The TransactionEvent response's `totalCost`: the running cost (including tax) of a priced
    session for Updated events, the final one for Ended (a station with TariffCostCtrlr shows
    it; others ignore it). OCPP's decimal is a JSON number, hence the float at this edge."""
    if event_type is TransactionEventType.STARTED or tx.cost_incl_tax is None:
        return None
    return float(tx.cost_incl_tax)


def personal_message(text: str) -> dict[str, Any]:
    """A MessageContentType: plain UTF-8 text, at most 512 characters."""
    return {"format": "UTF8", "language": "en", "content": text[:512]}


_DEVICE_EVENT_FIELDS = tuple(get_type_hints(DeviceEventDetails))


def device_event(event: dict[str, Any]) -> DeviceEventDetails:
    """A NotifyEvent EventData as recorded: its fields in the declared order, whatever order the
    station sent them in. The cast is the edge's: the message passed the action's JSON schema
    (required fields present, their types right, no others)."""
    return cast(DeviceEventDetails, {f: event[f] for f in _DEVICE_EVENT_FIELDS if f in event})
