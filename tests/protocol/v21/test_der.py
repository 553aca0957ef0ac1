"""DER alarms, controls starting and stopping, and DER control listings: stored as station
reports, each with its event."""

from tests.conftest import Tenant
from tests.protocol.conftest import events_of
from tests.protocol.v21.conftest import NOW, V21Stations, answer, items

FIXED_VAR = {
    "id": "ctl-1",
    "isDefault": False,
    "isSuperseded": False,
    "fixedVar": {"priority": 1, "setpoint": 20, "unit": "PctMaxVar"},
}


async def test_der_alarms_and_start_stop_are_stored(tenant: Tenant, v21: V21Stations) -> None:
    async with v21.booted() as (sid, station):
        raised = {"controlType": "HVMustTrip", "gridEventFault": "OverVoltage", "timestamp": NOW}
        assert await answer(station, "NotifyDERAlarm", raised) == {}
        ended = raised | {"alarmEnded": True, "extraInfo": "back to 231 V"}
        assert await answer(station, "NotifyDERAlarm", ended) == {}
        started = {"controlId": "ctl-2", "started": True, "timestamp": NOW, "supersededIds": ["a"]}
        assert await answer(station, "NotifyDERStartStop", started) == {}
    alarms = await items(tenant, f"/stations/{sid}/reports", kind="der_alarm")
    assert [
        (a["status"], a["data"]["grid_event_fault"], a["data"]["extra_info"]) for a in alarms
    ] == [
        ("Raised", "OverVoltage", None),
        ("Ended", "OverVoltage", "back to 231 V"),
    ]
    switched = await items(tenant, f"/stations/{sid}/reports", kind="der_start_stop")
    assert [(s["status"], s["data"]) for s in switched] == [
        ("Started", {"control_id": "ctl-2", "superseded_ids": ["a"]})
    ]
    assert switched[0]["occurred_at"].startswith("2026-03-01T10:00:00")
    assert [
        e["control_type"] for e in await events_of(tenant.server, sid, "station.der_alarm")
    ] == [
        "HVMustTrip",
        "HVMustTrip",
    ]
    assert len(await events_of(tenant.server, sid, "station.der_start_stop")) == 1


async def test_der_control_listing_is_stored(tenant: Tenant, v21: V21Stations) -> None:
    async with v21.booted() as (sid, station):
        first = {"requestId": 5, "fixedVar": [FIXED_VAR], "tbc": True}
        assert await answer(station, "ReportDERControl", first) == {}
        assert await answer(station, "ReportDERControl", {"requestId": 5}) == {}
    listed = await items(tenant, f"/stations/{sid}/reports", kind="der_controls", request_id=5)
    assert [(r["tbc"], list(r["data"]["controls"])) for r in listed] == [
        (True, ["fixed_var"]),
        (False, []),
    ]
    control = listed[0]["data"]["controls"]["fixed_var"][0]
    assert control["fixed_var"]["setpoint"] == 20
    assert len(await events_of(tenant.server, sid, "station.der_controls")) == 2
