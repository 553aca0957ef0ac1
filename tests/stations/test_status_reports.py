"""Status reports decided from the connection's memory (`stations/status_reports.py`): the same
stored result as the full path, and the full path whenever the held copy may be stale (the
layout changed through the API, a reservation is active, a connector is new)."""

from datetime import UTC, datetime
from typing import Any

from chargeyard.stations.domain import ConnectorStatus, StatusReport
from chargeyard.stations.models import StatusChange
from chargeyard.stations.status_reports import recorded
from chargeyard.storage.appended import Values, _values
from chargeyard.storage.unit_of_work import Outbox
from tests.commands.conftest import Online
from tests.conftest import Tenant
from tests.protocol.conftest import Stations, events_of
from tests.reservations.test_reservations import reservation, reserve
from tests.stations.test_layout_api import T2_SOCKET, plan


def status(connector_id: int, ocpp_status: str, **extra: Any) -> dict[str, Any]:
    return {"connectorId": connector_id, "errorCode": "NoError", "status": ocpp_status} | extra


def test_the_history_row_is_appended_as_the_orm_object_would_be_inserted() -> None:
    """The row goes as column values, no ORM object built: the same columns, values and order
    (so the same INSERT) as the `StatusChange` it replaces."""
    now = datetime(2026, 12, 7, 12, tzinfo=UTC)
    report = StatusReport(
        ConnectorStatus.FAULTED,
        "Faulted",
        datetime(2026, 12, 7, 11, 59, tzinfo=UTC),
        evse_id=1,
        connector_id=1,
        error_code="GroundFailure",
        vendor_id="V",
        vendor_error_code="E9",
    )
    outbox = Outbox()
    recorded(outbox, "org", lambda: now, "CP1", report)
    row, _event = outbox.take_appended()
    assert isinstance(row, Values) and row.model is StatusChange
    as_object = StatusChange(
        organization_id="org",
        station_id="CP1",
        evse_id=1,
        connector_id=1,
        status="Faulted",
        ocpp_status="Faulted",
        error_code="GroundFailure",
        info=None,
        vendor_id="V",
        vendor_error_code="E9",
        occurred_at=report.timestamp,
        received_at=now,
    )
    assert list(row.values.items()) == list(_values(as_object).items())


async def test_reports_of_a_held_connector_are_stored_like_any(
    tenant: Tenant, stations: Stations
) -> None:
    station_id = await stations.register()
    async with stations.booted(station_id) as station:
        await station.ok("StatusNotification", status(1, "Available"))  # read, then held
        before = (await tenant.api.get(f"/stations/{station_id}")).headers["etag"]
        await station.ok("StatusNotification", status(1, "Charging", info="from memory"))
        await station.ok(
            "StatusNotification",
            status(1, "Faulted", errorCode="GroundFailure", vendorId="V", vendorErrorCode="E9"),
        )
    detail = await stations.detail(station_id)
    [evse] = detail["evses"]
    [connector] = evse["connectors"]
    assert (evse["status"], connector["status"], connector["ocpp_status"]) == (
        "Faulted",
        "Faulted",
        "Faulted",
    )
    assert (connector["error_code"], connector["vendor_error_code"]) == ("GroundFailure", "E9")
    history = (await tenant.api.get(f"/stations/{station_id}/status-history")).json()
    assert [h["ocpp_status"] for h in history["items"]] == ["Faulted", "Charging", "Available"]
    events = await events_of(tenant.server, station_id, "connector.status_changed")
    assert [e["ocpp_status"] for e in events] == ["Available", "Charging", "Faulted"]
    assert events[1]["info"] == "from memory"
    # Live data moved the status timestamp, not the configuration's ETag.
    after = await tenant.api.get(f"/stations/{station_id}")
    assert after.headers["etag"] == before
    assert after.json()["status_changed_at"] is not None


async def test_an_evse_removed_through_the_api_is_reported_again(
    tenant: Tenant, stations: Stations
) -> None:
    """The held copy names EVSE 1's rows; removing it bumps the station's revision, so the next
    report takes the full path and lays the EVSE out again instead of updating nothing."""
    station_id = await stations.register()
    async with stations.booted(station_id) as station:
        await station.ok("StatusNotification", status(1, "Available"))
        removed = await tenant.api.delete(f"/stations/{station_id}/evses/1")
        assert removed.status_code == 204, removed.text
        await station.ok("StatusNotification", status(1, "Charging"))
    [evse] = (await stations.detail(station_id))["evses"]
    assert evse["evse_id"] == 1
    assert [c["ocpp_status"] for c in evse["connectors"]] == ["Charging"]


async def test_a_planned_connector_keeps_its_plan_through_held_reports(
    tenant: Tenant, stations: Stations
) -> None:
    station_id = await stations.register()
    assert (await plan(tenant, station_id, 1, T2_SOCKET)).status_code == 201
    async with stations.booted(station_id) as station:
        for ocpp_status in ("Available", "Preparing", "Charging", "Finishing", "Available"):
            await station.ok("StatusNotification", status(1, ocpp_status))
    [evse] = (await stations.detail(station_id))["evses"]
    [connector] = evse["connectors"]
    assert (connector["status"], connector["standard"]) == ("Available", "IEC_62196_T2")
    assert connector["planned"] is True and connector["conflicts"] == []


async def test_a_new_connector_after_held_ones_is_laid_out(stations: Stations) -> None:
    station_id = await stations.register()
    async with stations.booted(station_id) as station:
        await station.ok("StatusNotification", status(1, "Available"))
        await station.ok("StatusNotification", status(2, "Charging"))
        await station.ok("StatusNotification", status(1, "Preparing"))
        await station.ok("StatusNotification", status(2, "Available"))
    evses = {e["evse_id"]: e for e in (await stations.detail(station_id))["evses"]}
    assert (evses[1]["status"], evses[2]["status"]) == ("Occupied", "Available")


async def test_an_active_reservation_is_moved_when_the_connector_was_held(
    tenant: Tenant, online: Online
) -> None:
    """The station's connector is held before the operator reserves it: its Available report
    must still reach the reservation (the guarded write declines while one is active)."""
    async with online() as (station_id, station):
        await station.ok("StatusNotification", status(1, "Available"))
        await station.ok("StatusNotification", status(1, "Available"))  # from memory
        _, made = await reserve(tenant, station_id)
        await station.ok("StatusNotification", status(1, "Reserved"))
        assert (await reservation(tenant, made["id"]))["status"] == "Accepted"
        await station.ok("StatusNotification", status(1, "Available"))
        assert (await reservation(tenant, made["id"]))["status"] == "Cancelled"
    connector = (await tenant.api.get(f"/stations/{station_id}")).json()["evses"][0]
    assert connector["connectors"][0]["ocpp_status"] == "Available"
