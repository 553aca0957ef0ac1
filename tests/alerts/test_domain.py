"""The alert rules and workflow as pure functions."""

from collections.abc import Mapping
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from chargeyard.alerts.domain import (
    RULES,
    AlertStatus,
    Clear,
    Fact,
    Measure,
    Raise,
    RuleName,
    RuleSettings,
    Subject,
    away_long_enough,
    below_limit,
    check_fraction,
    judge,
    manual_transition,
)
from chargeyard.errors import Conflict, Invalid
from chargeyard.events.payloads import (
    CHARGING_PROFILE_REJECTED,
    COMMAND_ANSWERED,
    CONNECTOR_STATUS_CHANGED,
    PAYLOADS,
    STATION_BOOTED,
    STATION_DEVICE_EVENT,
    STATION_FIRMWARE_STATUS,
    STATION_LOG_UPLOAD_STATUS,
    STATION_SECURITY_EVENT,
    ChargingProfileDelivery,
    CommandAnswered,
    ConnectorStatusChanged,
    StationBooted,
    StationDeviceEvent,
    StationRequestStatus,
    StationSecurityEvent,
)

AT = datetime(2026, 1, 1, 12, tzinfo=UTC)

STATUS: ConnectorStatusChanged = {
    "station_id": "CP1",
    "evse_id": None,
    "connector_id": None,
    "status": "Available",
    "ocpp_status": "Available",
    "error_code": None,
    "info": None,
    "vendor_error_code": None,
    "timestamp": AT.isoformat(),
}
BOOTED: StationBooted = {
    "station_id": "CP1",
    "status": "Accepted",
    "reason": None,
    "admission": None,
    "protocol": "ocpp1.6",
    "vendor": "V",
    "model": "M",
    "serial_number": None,
    "charge_box_serial_number": None,
    "firmware_version": None,
    "iccid": None,
    "imsi": None,
    "meter_type": None,
    "meter_serial_number": None,
}
REQUEST: StationRequestStatus = {"station_id": "CP1", "status": "Idle", "request_id": None}
SECURITY: StationSecurityEvent = {
    "type": "X",
    "critical": False,
    "source": "station",
    "tech_info": None,
    "occurred_at": AT.isoformat(),
}
DELIVERY: ChargingProfileDelivery = {
    "circuit_id": "c1",
    "station_id": "CP1",
    "evse_id": 1,
    "transaction_id": None,
    "purpose": "TxProfile",
    "unit": "A",
    "units_tried": ["A"],
    "limit_kw": 7.4,
    "detail": None,
}
ANSWERED: CommandAnswered = {
    "command_id": "cmd1",
    "station_id": "CP1",
    "command": "reset",
    "actor": "user:1",
    "status": "Accepted",
}
DEVICE_EVENT: StationDeviceEvent = {
    "station_id": "CP1",
    "request_id": None,
    "evse_id": None,
    "status": None,
    "event_id": 1,
    "timestamp": AT.isoformat(),
    "trigger": "Delta",
    "actual_value": "false",
    "event_notification_type": "HardWiredNotification",
    "component": {"name": "Connector"},
    "variable": {"name": "Problem"},
}
BASE: dict[str, Mapping[str, Any]] = {
    CONNECTOR_STATUS_CHANGED.name: STATUS,
    STATION_BOOTED.name: BOOTED,
    STATION_FIRMWARE_STATUS.name: REQUEST,
    STATION_LOG_UPLOAD_STATUS.name: REQUEST,
    STATION_SECURITY_EVENT.name: SECURITY,
    CHARGING_PROFILE_REJECTED.name: DELIVERY,
    COMMAND_ANSWERED.name: ANSWERED,
    STATION_DEVICE_EVENT.name: DEVICE_EVENT,
}
"""A whole payload of each type the rules read: the rules index the keys a payload type
requires, as an event recorded by its emitter has them."""


def fact(kind: str, station_id: str | None = "CP1", **data: Any) -> Fact:
    return Fact(kind, station_id, None, AT, {**BASE.get(kind, {}), **data})


def test_the_base_payloads_have_every_required_key() -> None:
    for name, base in BASE.items():
        assert PAYLOADS[name].__required_keys__ <= set(base), name


def names(verdicts: list[Any], kind: type) -> set[RuleName]:
    return {v.rule for v in verdicts if isinstance(v, kind)}


def test_a_fault_raises_faulted_and_error_and_clears_unavailable() -> None:
    verdicts = judge(
        fact(
            "connector.status_changed",
            evse_id=1,
            connector_id=1,
            status="Faulted",
            error_code="GroundFailure",
        )
    )
    assert names(verdicts, Raise) == {RuleName.CONNECTOR_FAULTED, RuleName.VENDOR_ERROR}
    assert names(verdicts, Clear) == {RuleName.CONNECTOR_UNAVAILABLE}
    assert {v.subject for v in verdicts if not isinstance(v, Measure)} == {Subject("CP1", 1, 1)}


def test_available_without_an_error_clears_everything() -> None:
    verdicts = judge(fact("connector.status_changed", evse_id=1, status="Available"))
    assert names(verdicts, Raise) == set()
    assert len(names(verdicts, Clear)) == 3


def test_a_vendor_code_alone_is_an_error() -> None:
    verdicts = judge(
        fact(
            "connector.status_changed",
            evse_id=1,
            status="Available",
            error_code="NoError",
            vendor_error_code="W12",
        )
    )
    assert names(verdicts, Raise) == {RuleName.VENDOR_ERROR}


@pytest.mark.parametrize(
    ("kind", "data", "raised", "cleared"),
    [
        ("station.booted", {"status": "Rejected"}, RuleName.BOOT_REJECTED, None),
        ("station.booted", {"status": "Accepted"}, None, RuleName.BOOT_REJECTED),
        ("station.booted", {"status": "Pending"}, None, None),
        ("station.firmware_status", {"status": "InvalidSignature"}, RuleName.FIRMWARE_FAILED, None),
        ("station.firmware_status", {"status": "Downloading"}, None, None),
        ("station.firmware_status", {"status": "Installed"}, None, RuleName.FIRMWARE_FAILED),
        (
            "station.log_upload_status",
            {"status": "UploadFailure"},
            RuleName.LOG_UPLOAD_FAILED,
            None,
        ),
        ("station.log_upload_status", {"status": "Uploaded"}, None, RuleName.LOG_UPLOAD_FAILED),
        ("station.security_event", {"type": "X", "critical": True}, RuleName.SECURITY_EVENT, None),
        ("station.security_event", {"type": "X", "critical": False}, None, None),
        (
            "charging_profile.rejected",
            {"evse_id": 1},
            RuleName.CHARGING_PROFILE_REJECTED,
            None,
        ),
        (
            "command.answered",
            {"command": "set-charging-profile", "status": "Rejected"},
            RuleName.CHARGING_PROFILE_REJECTED,
            None,
        ),
        (
            "command.answered",
            {"command": "set-charging-profile", "status": "Accepted"},
            None,
            RuleName.CHARGING_PROFILE_REJECTED,
        ),
        ("command.answered", {"command": "reset", "status": "Rejected"}, None, None),
        ("station.connected", {}, None, RuleName.STATION_OFFLINE),
        ("station.deleted", {}, None, RuleName.STATION_OFFLINE),
        ("meter_values.received", {}, None, None),
    ],
)
def test_event_rules(
    kind: str, data: dict[str, Any], raised: RuleName | None, cleared: RuleName | None
) -> None:
    verdicts = judge(fact(kind, **data))
    assert names(verdicts, Raise) == ({raised} if raised else set())
    assert names(verdicts, Clear) == ({cleared} if cleared else set())


def test_events_without_a_station_raise_nothing() -> None:
    assert judge(fact("station.booted", station_id=None, status="Rejected")) == []


def test_security_events_of_different_types_are_separate_alerts() -> None:
    one = judge(fact("station.security_event", type="A", critical=True))[0]
    two = judge(fact("station.security_event", type="B", critical=True))[0]
    assert one.subject.key("org", one.rule) != two.subject.key("org", two.rule)


def test_offline_threshold() -> None:
    assert not away_long_enough(AT, 60, AT + timedelta(seconds=59))
    assert away_long_enough(AT, 60, AT + timedelta(seconds=60))


def test_workflow() -> None:
    triggered, acknowledged, resolved = AlertStatus
    assert manual_transition(triggered, acknowledged, None) is acknowledged
    assert manual_transition(acknowledged, resolved, "fixed") is resolved
    assert manual_transition(triggered, resolved, "false alarm") is resolved
    assert manual_transition(acknowledged, None, "a note") is acknowledged
    with pytest.raises(Invalid):
        manual_transition(triggered, resolved, None)
    with pytest.raises(Invalid):
        manual_transition(triggered, None, None)
    with pytest.raises(Conflict):
        manual_transition(resolved, acknowledged, None)
    with pytest.raises(Conflict):
        manual_transition(acknowledged, triggered, None)


def test_clock_drift_is_measured_from_a_status_notifications_timestamp() -> None:
    ahead = (AT + timedelta(minutes=10)).isoformat()
    (drift,) = [
        v
        for v in judge(
            fact("connector.status_changed", evse_id=1, status="Available", timestamp=ahead)
        )
        if isinstance(v, Measure)
    ]
    assert (drift.rule, drift.value_s, drift.subject) == (
        RuleName.CLOCK_DRIFT,
        600.0,
        Subject("CP1"),
    )
    assert drift.beyond(300) and not drift.beyond(601)
    behind = judge(
        fact(
            "connector.status_changed",
            status="Available",
            timestamp=(AT - timedelta(seconds=5)).isoformat(),
        )
    )
    assert [v.value_s for v in behind if isinstance(v, Measure)] == [-5.0]
    # A notification without the station's time carries the server's: no drift.
    on_time = judge(fact("connector.status_changed", status="Available"))
    assert [v.value_s for v in on_time if isinstance(v, Measure)] == [0.0]


def test_far_below_a_limit_is_a_share_of_it() -> None:
    assert below_limit(4_000, 11_000, 0.5)
    assert not below_limit(5_500, 11_000, 0.5)  # exactly the share: not below
    assert not below_limit(0, 0, 0.5)  # a paused session is asked for nothing
    rule = RULES[RuleName.POWER_BELOW_LIMIT]
    check_fraction(rule, 0.3)
    check_fraction(rule, None)
    for wrong in (0.0, 1.0, 1.5):
        with pytest.raises(Invalid):
            check_fraction(rule, wrong)
    with pytest.raises(Invalid):
        check_fraction(RULES[RuleName.STATION_OFFLINE], 0.5)
    assert RuleSettings(rule).effective_fraction == 0.5
    assert RuleSettings(rule, fraction=0.2).effective_fraction == 0.2


def problem(actual: str, *, cleared: bool | None = None, **component: Any) -> Fact:
    data: dict[str, Any] = {
        "component": component or {"name": "Connector", "evse": {"id": 2, "connector_id": 1}},
        "variable": {"name": "Problem"},
        "actual_value": actual,
        "tech_code": "E-17",
        "tech_info": "RCD",
    }
    if cleared is not None:
        data["cleared"] = cleared
    return fact("station.device_event", **data)


def test_a_2x_problem_raises_and_clears_its_own_vendor_error() -> None:
    [raised] = judge(problem("true"))
    assert isinstance(raised, Raise) and raised.rule is RuleName.VENDOR_ERROR
    assert raised.subject == Subject("CP1", 2, 1, "Problem:Connector")
    assert raised.detail["vendor_error_code"] == "E-17" and raised.detail["info"] == "RCD"
    assert [type(v) for v in judge(problem("false"))] == [Clear]
    assert [type(v) for v in judge(problem("true", cleared=True))] == [Clear]
    assert judge(problem("true", cleared=True))[0].subject == raised.subject
    # Another component of the station is another fault; a monitor's event is none.
    [rcd] = judge(problem("TRUE", name="RCD", instance="1", evse={"id": 2}))
    assert rcd.subject == Subject("CP1", 2, None, "Problem:RCD:1")
    power = fact("station.device_event", variable={"name": "Power"}, actual_value="21000")
    assert judge(power) == []
    # The connector's 2.x status clears the status-borne alert, not the problem's.
    status = judge(fact("connector.status_changed", evse_id=2, connector_id=1, status="Faulted"))
    assert raised.subject not in {v.subject for v in status}
