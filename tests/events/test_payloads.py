"""Typed event payloads (`events/payloads.py`): every emitted type has a kind, docs/events.md
shows each payload's fields, and the payloads a real station session records are what their
types say.

mypy checks each emitter's payload against its kind's TypedDict (tests/events/test_kinds.py
shows it refusing a wrong one); these tests check what mypy cannot: that the JSON recorded in a
real flow (after the database's round trip) still fits it.
"""

import json
import re
from typing import Any, get_type_hints, is_typeddict

import pytest
from websockets.exceptions import InvalidStatus

from chargeyard.events.payloads import PAYLOADS
from tests.commands.conftest import command
from tests.commands.station import scripted_station
from tests.conftest import Tenant
from tests.events.test_catalogue import all_types, catalogue
from tests.protocol.conftest import eventually
from tests.support.ocpp_client import PASSWORD, raw_station
from tests.support.payloads import check, fits

# Typed events that flows elsewhere check with `tests.support.payloads.fits` (so does every
# `tests.protocol.conftest.events_of`).
OTHER_FLOWS = {
    "charging_profile.delivered",  # tests/load_management/test_end_to_end.py
    "charging_profile.rejected",  # tests/load_management/test_delivery.py
    "charging_profile.deviation",  # tests/load_management/test_schedule_check.py
    "smart_charging.uncontrollable",  # tests/load_management/test_delivery.py
    "smart_charging.controllable",  # (the same payload type as uncontrollable)
    "alert.triggered",  # tests/alerts/test_offline.py
    "alert.acknowledged",
    "alert.resolved",
    "session.cost_updated",  # tests/cdrs/test_session_billing.py (through events_of)
    "session.credit_exhausted",  # tests/drivers/test_credit_stop.py (events_of)
    "session.tariff_differs",  # tests/tariffs/test_station_defaults.py (events_of)
    "session.reconciled",  # tests/reconciliation/test_zombie_sessions.py
    "station.security_event",  # tests/security_events/test_security_events_api.py
    "station.certificate_requested",  # tests/protocol/v201/test_reports.py (events_of)
    "station.certificate_signed",  # tests/protocol/tls/test_sign_certificate.py
    "transaction_event.late",  # tests/protocol/v201/test_transactions.py (events_of)
    "vehicle_group.created",  # tests/vehicle_groups/test_vehicle_groups_api.py
    "vehicle_group.updated",
    "vehicle_group.deleted",
    "vehicle.telematics_received",  # tests/telematics/test_telematics_api.py
    "vehicle.route_planned",  # tests/planned_routes/test_planned_routes_api.py
    "vehicle.route_removed",
    "external_meter.created",  # tests/external_meters/test_external_meters_api.py
    "external_meter.updated",
    "external_meter.deleted",
    "external_meter.readings_received",
}

# Typed events that the suite checks wherever a test drives them: `tests/conftest.py` checks
# every event a test's organization recorded (`check_payloads`, at the tenant's teardown), so
# each family's own tests (tests/<package>/) check its payloads.
TEARDOWN_CHECKED = {
    "station.device_event",
    "alert_mail.failed",
    "alert_notifications.updated",
    "alert_rule.updated",
    "api_token.created",
    "api_token.revoked",
    "cdr.created",
    "charging_limit.cleared",
    "charging_limit.read",
    "charging_limit.set",
    "circuit.created",
    "circuit.deleted",
    "circuit.updated",
    "circuit.window_added",
    "circuit.window_removed",
    "connector.conflict",
    "connector.planned",
    "connector.removed",
    "connector.updated",
    "demand_response.added",
    "demand_response.removed",
    "device_model.monitors_read",
    "device_model.monitors_reported",
    "device_model.reported",
    "driver.balance_changed",
    "driver.created",
    "driver.deleted",
    "driver.updated",
    "energy_price.added",
    "energy_price.removed",
    "ev.charging_needs",
    "ev.charging_schedule",
    "event_stream.closed",
    "event_stream.opened",
    "event_stream.values_received",
    "evse.planned",
    "evse.removed",
    "evse.updated",
    "evse_wiring.updated",
    "file.downloaded",
    "file.stored",
    "file.uploaded",
    "hardware_template.applied",
    "hardware_template.created",
    "hardware_template.deleted",
    "hardware_template.updated",
    "location.created",
    "location.deleted",
    "location.updated",
    "maintenance_window.created",
    "maintenance_window.deleted",
    "maintenance_window.updated",
    "measurement.added",
    "organization.updated",
    "permission.created",
    "permission.deleted",
    "permission.updated",
    "reconciliation_policy.updated",
    "report.failed",
    "report.ready",
    "reservation.created",
    "reservation.updated",
    "session_needs.updated",
    "settlement.received",
    "station.battery_swap",
    "station.certificate_request",
    "station.charging_profiles",
    "station.customer_information",
    "station.der_alarm",
    "station.der_controls",
    "station.der_start_stop",
    "station.display_messages",
    "station.log_status",
    "station.priority_charging",
    "station.publish_firmware_status",
    "station.reservation_status",
    "station.schedule_update_request",
    "station.vat_number_validation",
    "subscription.changed",
    "tariff.created",
    "tariff.deleted",
    "tariff.updated",
    "tariff_group.created",
    "tariff_group.deleted",
    "tariff_group.updated",
    "user.created",
    "user.deleted",
    "user.updated",
    "vehicle.created",
    "vehicle.deleted",
    "vehicle.updated",
    "vendor_error_code.created",
    "vendor_error_code.deleted",
    "vendor_error_code.imported",
    "vendor_error_code.updated",
    "webhook.disabled",
}

# Sent to a receiver, never recorded: mypy checks its one constructor (`webhooks/dispatcher.py`).
NOT_RECORDED = {"webhook.ping"}


def typed() -> dict[str, Any]:
    return dict(PAYLOADS)


def test_every_emitted_type_has_an_entry_and_every_entry_is_emitted() -> None:
    assert sorted(all_types() - set(PAYLOADS)) == [], "add these to events/payloads.py PAYLOADS"
    assert sorted(set(PAYLOADS) - all_types()) == [], "nothing emits these PAYLOADS entries"


def test_every_payload_type_is_a_typed_dict_the_checker_reads() -> None:
    for type, payload in typed().items():
        assert is_typeddict(payload), type
        get_type_hints(payload)  # every annotation resolves


def test_the_catalogue_shows_each_typed_payload_with_its_fields() -> None:
    """docs/events.md's example of each typed event has exactly its type's fields, each of its
    type: the document and the mapping cannot drift apart."""
    entries = catalogue()
    for type, payload in typed().items():
        example = re.findall(r"```json\n(.*?)\n```", entries[type], flags=re.DOTALL)[0]
        check(json.loads(example)["data"], payload, f"docs/events.md {type}")


def test_the_checker_is_strict() -> None:
    summary = PAYLOADS["station.updated"]
    check({"station_id": "CP1", "changed": ["name"]}, summary)
    for wrong in (
        {"station_id": "CP1"},
        {"station_id": "CP1", "changed": ["name"], "extra": 1},
        {"station_id": 1, "changed": []},
        {"station_id": "CP1", "changed": [True]},
    ):
        with pytest.raises(AssertionError):
            check(wrong, summary)
    with pytest.raises(AssertionError):
        check({"changed": ["name"], "station_id": "CP1"}, summary)
    with pytest.raises(AssertionError):
        check(True, int)


async def test_the_payloads_a_station_session_records_fit_their_types(tenant: Tenant) -> None:
    station = tenant.unique("CP")
    api = tenant.api
    assert (await api.post("/stations", json={"id": station, "password": PASSWORD})).is_success
    assert (await api.patch(f"/stations/{station}", json={"name": "Bay 1"})).is_success
    tag = tenant.unique("T")
    assert (await api.post("/id-tags", json={"value": tag, "status": "Accepted"})).is_success
    spare_tag = await api.post("/id-tags", json={"value": tenant.unique("T")})
    assert spare_tag.is_success, spare_tag.text
    spare_tag_url = f"/id-tags/{spare_tag.json()['id']}"
    assert (await api.patch(spare_tag_url, json={"status": "Blocked"})).is_success
    assert (await api.delete(spare_tag_url)).status_code == 204
    group = await api.post("/tag-groups", json={"name": tenant.unique("Fleet")})
    assert group.is_success, group.text
    group_url = f"/tag-groups/{group.json()['id']}"
    assert (await api.patch(group_url, json={"name": tenant.unique("Fleet")})).is_success
    assert (await api.delete(group_url)).status_code == 204
    with pytest.raises(InvalidStatus):
        async with raw_station(tenant.server.ocpp_url, station, password="not-the-password-at-all"):
            pass
    async with scripted_station(tenant.server.ocpp_url, station) as socket:
        status = {"connectorId": 1, "errorCode": "NoError", "status": "Preparing"}
        await socket.ok("StatusNotification", status)
        await socket.ok("Authorize", {"idTag": tag})
        await socket.ok("Authorize", {"idTag": tenant.unique("UNKNOWN")})
        start = await socket.ok(
            "StartTransaction",
            {
                "connectorId": 1,
                "idTag": tag,
                "meterStart": 1000,
                "timestamp": "2026-01-01T10:00:00Z",
            },
        )
        sample = {"value": "1500", "measurand": "Energy.Active.Import.Register", "unit": "Wh"}
        await socket.ok(
            "MeterValues",
            {
                "connectorId": 1,
                "transactionId": start["transactionId"],
                "meterValue": [{"timestamp": "2026-01-01T10:30:00Z", "sampledValue": [sample]}],
            },
        )
        assert (await command(tenant, station, "reset", {"type": "soft"})).status_code == 200
        await socket.ok("FirmwareStatusNotification", {"status": "Downloading"})
        await socket.ok("DiagnosticsStatusNotification", {"status": "Uploading"})
        await socket.ok("DataTransfer", {"vendorId": "Acme", "messageId": "hello", "data": "x"})
        await socket.ok(
            "StopTransaction",
            {
                "transactionId": start["transactionId"],
                "meterStop": 2000,
                "timestamp": "2026-01-01T11:00:00Z",
            },
        )
    assert (await command(tenant, station, "reset", {"type": "soft"})).status_code == 409
    assert (await api.patch(f"/stations/{station}", json={"password": PASSWORD[::-1]})).is_success
    assert (await api.patch(f"/stations/{station}", json={"security_profile": 2})).is_success
    spare = tenant.unique("CP")
    assert (await api.post("/stations", json={"id": spare, "password": PASSWORD})).is_success
    assert (await api.delete(f"/stations/{spare}")).status_code == 204

    async def listed() -> list[dict[str, Any]]:  # the test's organization is its own
        answer = await api.get("/events", params={"order": "asc", "limit": 1000})
        return list(answer.json()["items"])

    async def disconnected() -> bool:
        return "station.disconnected" in {event["type"] for event in await listed()}

    await eventually(disconnected)
    events = await listed()
    for event in events:
        fits(event["type"], event["data"])
    # A password the station itself took (ChangeConfiguration AuthorizationKey) is
    # tests/stations/test_credentials.py's flow.
    staged = {"station.password_change_pending", "station.password_rotated"}
    elsewhere = OTHER_FLOWS | TEARDOWN_CHECKED | NOT_RECORDED
    assert sorted(set(typed()) - staged - elsewhere - {event["type"] for event in events}) == []
