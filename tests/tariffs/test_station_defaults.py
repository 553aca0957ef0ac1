"""A 2.1 station that handles tariffs is sent its default tariff on its own: when it boots, when
its tariff assignment changes and when its tariff gets a new version; recorded in the command
log as `system:tariffs`."""

from collections.abc import Coroutine
from dataclasses import dataclass
from datetime import UTC, datetime
from types import SimpleNamespace
from typing import Any

from chargeyard.events.domain import RecordedEvent
from chargeyard.simulator.battery import MID_SIZE_EV, EVBattery
from chargeyard.simulator.station_v201 import SimulatedStationV21
from chargeyard.tariffs.local_calculation import (
    NONE,
    LocalCalculation,
    TariffTakers,
    handles_tariffs,
)
from chargeyard.tariffs.station_defaults import DefaultTariffSync
from chargeyard.tracked_tasks import TrackedTasks
from tests.commands.conftest import register
from tests.commands.v201.conftest import scripted_2x
from tests.conftest import Tenant
from tests.protocol.conftest import events_of, eventually
from tests.protocol.test_v16_authorize import add_tag
from tests.support.billing import create_tariff, tariff_cost_ctrlr
from tests.support.ocpp_client import PASSWORD


@dataclass
class Variable:
    component_name: str
    variable_name: str
    variable_instance: str | None
    attribute_type: str
    value: str | None


def test_only_an_enabled_tariff_controller_counts() -> None:
    def enabled(value: str, instance: str = "Tariff", kind: str = "Actual") -> Variable:
        return Variable("TariffCostCtrlr", "Enabled", instance, kind, value)

    assert handles_tariffs([enabled("true")])
    assert handles_tariffs([enabled(" True ")])
    assert not handles_tariffs([enabled("false")])
    assert not handles_tariffs([enabled("true", instance="Cost")])
    assert not handles_tariffs([enabled("true", kind="Target")])
    assert not handles_tariffs([])


async def report_and_leave(tenant: Tenant, station_id: str, enabled: str) -> None:
    """One connection that reports whether the station handles tariffs, then is offline."""
    async with scripted_2x(tenant.server.ocpp_url, station_id, "ocpp2.1") as station:
        await station.ok("NotifyReport", tariff_cost_ctrlr("Tariff", enabled))

    async def offline() -> bool:
        return (await tenant.api.get(f"/stations/{station_id}")).json()["connected"] is False

    await eventually(offline)


async def test_boot_assignment_and_new_version_send_the_default(tenant: Tenant) -> None:
    first = await create_tariff(tenant, name="Day")
    second = await create_tariff(tenant, name="Night")
    station_id = await register(tenant)
    url = tenant.server.ocpp_url
    await report_and_leave(tenant, station_id, "true")
    # Assigned while the station is offline (no tariff applied at its first boot): it gets the
    # tariff when it is back.
    patched = await tenant.api.patch(f"/stations/{station_id}", json={"tariff_id": first})
    assert patched.status_code == 200, patched.text
    async with scripted_2x(url, station_id, "ocpp2.1") as station:
        [booted] = await station.wait_for("SetDefaultTariff")
        assert (booted["evseId"], booted["tariff"]["tariffId"]) == (0, f"{first}-v1")

        moved = await tenant.api.patch(f"/stations/{station_id}", json={"tariff_id": second})
        assert moved.status_code == 200, moved.text
        assigned = (await station.wait_for("SetDefaultTariff", 2))[1]
        assert assigned["tariff"]["tariffId"] == f"{second}-v1"

        prices = [{"price_components": [{"type": "ENERGY", "price": "0.25", "step_size": 1}]}]
        changed = await tenant.api.patch(f"/tariffs/{second}", json={"elements": prices})
        assert changed.status_code == 200, changed.text
        versioned = (await station.wait_for("SetDefaultTariff", 3))[2]
        assert versioned["tariff"]["tariffId"] == f"{second}-v2"
        assert versioned["tariff"]["energy"]["prices"] == [{"priceKwh": 0.25}]

        unrelated = await tenant.api.patch(f"/tariffs/{first}", json={"elements": prices})
        assert unrelated.status_code == 200, unrelated.text
    log = await tenant.api.get(
        "/commands", params={"station_id": station_id, "command": "set-default-tariff"}
    )
    records = log.json()["items"]
    assert {r["actor"] for r in records} == {"system:tariffs"}
    assert all(r["state"] == "answered" and r["status"] == "Accepted" for r in records)
    sent = sorted(r["ocpp_request"]["tariff"]["tariffId"] for r in records)
    assert f"{first}-v2" not in sent  # a tariff the station does not use is not sent


async def test_a_station_that_does_not_handle_tariffs_is_sent_none(tenant: Tenant) -> None:
    tariff_id = await create_tariff(tenant)
    quiet, handles = await register(tenant), await register(tenant)
    url = tenant.server.ocpp_url
    for station_id, enabled in ((quiet, "false"), (handles, "true")):
        await report_and_leave(tenant, station_id, enabled)
        await tenant.api.patch(f"/stations/{station_id}", json={"tariff_id": tariff_id})
    async with (
        scripted_2x(url, quiet, "ocpp2.1") as silent,
        scripted_2x(url, handles, "ocpp2.1") as station,
    ):
        await station.wait_for("SetDefaultTariff")
        # Both boots were heard in the same way; the one that handles tariffs got its tariff,
        # and a change of tariff reaches it alone.
        changed = await tenant.api.patch(
            f"/tariffs/{tariff_id}",
            json={"elements": [{"price_components": [{"type": "FLAT", "price": "2"}]}]},
        )
        assert changed.status_code == 200, changed.text
        await station.wait_for("SetDefaultTariff", 2)
        assert silent.calls("SetDefaultTariff") == []


def test_boots_and_connections_of_stations_that_cannot_take_tariffs_start_no_work() -> None:
    """A reconnect storm of 1.6 and 2.0.1 stations must not cost a read per boot or connection:
    the listener decides from the event alone, and spawns a task only for an accepted 2.1 boot
    or a 2.1 connection; a 2.1 station remembered not to take tariffs costs no task either."""
    spawned: list[str] = []

    class Spy(TrackedTasks):
        def spawn(self, work: Coroutine[Any, Any, None]) -> None:
            spawned.append(getattr(work, "__qualname__", ""))
            work.close()

    class Remembered(TariffTakers):
        """Remembers DEAF as not taking tariffs and TAKES as taking them."""

        def known(self, organization_id: str, station_id: str) -> LocalCalculation | None:
            return {"DEAF": NONE, "TAKES": LocalCalculation(enabled=True)}.get(station_id)

    ctx = SimpleNamespace(clock=lambda: datetime.now(UTC), tariff_takers=Remembered())
    sync = DefaultTariffSync(None, SimpleNamespace(ctx=ctx), 1.0)  # type: ignore[arg-type]
    sync.tasks = Spy()
    at = datetime(2026, 12, 6, tzinfo=UTC)

    def booted(protocol: str, status: str = "Accepted") -> RecordedEvent:
        data = {"status": status, "protocol": protocol}
        return RecordedEvent("e", "org", "station.booted", at, "CP", None, data)

    def connected(protocol: str, station_id: str = "CP") -> RecordedEvent:
        data = {"station_id": station_id, "protocol": protocol, "replaced_previous": False}
        return RecordedEvent("c", "org", "station.connected", at, station_id, None, data)

    sync([booted("ocpp1.6"), booted("ocpp2.0.1"), booted("ocpp2.1", "Pending")])
    sync([connected("ocpp1.6"), connected("ocpp2.0.1")])
    reported = RecordedEvent("r", "org", "device_model.reported", at, "CP", None, {})
    sync([reported])  # a 2.0.1 station's report: nothing either
    assert spawned == []
    sync([booted("ocpp2.1")])
    assert spawned == ["DefaultTariffSync._station_loop"]
    # A 2.1 connection: whether it takes tariffs is asked (a read at most, then remembered).
    sync([connected("ocpp2.1", "NEW")])
    assert spawned[1:] == ["DefaultTariffSync._if_taker"]
    sync([connected("ocpp2.1", "DEAF")])
    assert spawned[2:] == []
    sync([connected("ocpp2.1", "TAKES")])
    assert spawned[2:] == ["DefaultTariffSync._station_loop"]


# --- every change that moves a station's tariff reaches it ---------------------------------------


def enabled_report(value: str) -> list[dict[str, Any]]:
    """A simulator's NotifyReport item: TariffCostCtrlr.Enabled[Tariff]."""
    return [
        {
            "component": {"name": "TariffCostCtrlr"},
            "variable": {"name": "Enabled", "instance": "Tariff"},
            "variable_attribute": [{"type": "Actual", "value": value}],
        }
    ]


def held(station: SimulatedStationV21) -> dict[int, set[str]]:
    return {evse: set(ids) for evse, ids in station.display.tariffs.items() if ids}


async def until_held(station: SimulatedStationV21, expected: dict[int, set[str]]) -> None:
    async def reached() -> bool:
        return held(station) == expected

    await eventually(reached)


async def settled(tenant: Tenant, station_id: str, count: int) -> None:
    """`count` tariff commands were sent to the station, each answered."""

    async def answered() -> bool:
        states = []
        for name in ("set-default-tariff", "clear-tariffs"):
            page = await tenant.api.get(
                "/commands", params={"station_id": station_id, "command": name, "limit": 100}
            )
            states += [record["state"] for record in page.json()["items"]]
        return states == ["answered"] * count

    await eventually(answered)


async def sent_log(tenant: Tenant, station_id: str) -> list[tuple[str, Any, Any]]:
    """The station's tariff commands, oldest first: (command, EVSE, tariff id)."""
    found = []
    for name in ("set-default-tariff", "clear-tariffs"):
        page = await tenant.api.get(
            "/commands", params={"station_id": station_id, "command": name, "limit": 100}
        )
        for record in page.json()["items"]:
            assert record["actor"] == "system:tariffs"
            sent = record["ocpp_request"]
            tariff = sent.get("tariff", {}).get("tariffId") or (sent.get("tariffIds") or [None])[0]
            found.append((record["requested_at"], name, sent.get("evseId"), tariff))
    return [entry[1:] for entry in sorted(found)]


async def test_location_evse_and_default_changes_reach_the_stations_they_move(
    tenant: Tenant,
) -> None:
    site = (await tenant.api.post("/locations", json={"name": "Depot"})).json()["id"]
    own = await create_tariff(tenant, name="Own")
    plain, priced, deaf = [await register(tenant) for _ in range(3)]
    for station_id in (plain, priced, deaf):
        moved = await tenant.api.patch(f"/stations/{station_id}", json={"location_id": site})
        assert moved.status_code == 200, moved.text
    assert (await tenant.api.patch(f"/stations/{priced}", json={"tariff_id": own})).is_success
    planned = await tenant.api.post(f"/stations/{plain}/evses", json={"evse_id": 1})
    assert planned.status_code == 201, planned.text
    url = tenant.server.ocpp_url
    sims = {s: SimulatedStationV21(url, s, password=PASSWORD) for s in (plain, priced, deaf)}
    async with sims[plain], sims[priced], sims[deaf]:
        for sim in sims.values():
            assert await sim.boot() == "Accepted"
            await sim.notify_report(report=enabled_report("false" if sim is sims[deaf] else "true"))
        # The organization's default prices `plain`; `priced` keeps its own tariff.
        default = await create_tariff(tenant, name="Default", is_default=True)
        await until_held(sims[plain], {0: {f"{default}-v1"}})
        await until_held(sims[priced], {0: {f"{own}-v1"}})
        # The location's tariff beats the default, not a station's own.
        at_site = await create_tariff(tenant, name="Site")
        assert (
            await tenant.api.patch(f"/locations/{site}", json={"tariff_id": at_site})
        ).is_success
        await until_held(sims[plain], {0: {f"{at_site}-v1"}})
        # An EVSE's own tariff goes to that EVSE.
        evse = await create_tariff(tenant, name="Fast")
        patched = await tenant.api.patch(f"/stations/{plain}/evses/1", json={"tariff_id": evse})
        assert patched.status_code == 200, patched.text
        await until_held(sims[plain], {0: {f"{at_site}-v1"}, 1: {f"{evse}-v1"}})
        # The location's tariff goes: the default again, and the EVSE's after it.
        assert (await tenant.api.patch(f"/locations/{site}", json={"tariff_id": None})).is_success
        await until_held(sims[plain], {0: {f"{default}-v1"}, 1: {f"{evse}-v1"}})
        # No default any more: the station's is cleared, the EVSE keeps its own.
        assert (
            await tenant.api.patch(f"/tariffs/{default}", json={"is_default": False})
        ).is_success
        await until_held(sims[plain], {1: {f"{evse}-v1"}})
        # A change that changes nothing sends nothing; the EVSE's tariff going clears it.
        assert (await tenant.api.patch(f"/locations/{site}", json={"tariff_id": None})).is_success
        unset = await tenant.api.patch(f"/stations/{plain}/evses/1", json={"tariff_id": None})
        assert unset.status_code == 200, unset.text
        await until_held(sims[plain], {})
        await settled(tenant, plain, 7)
        await settled(tenant, priced, 1)
    assert await sent_log(tenant, plain) == [
        ("set-default-tariff", 0, f"{default}-v1"),
        ("set-default-tariff", 0, f"{at_site}-v1"),
        ("set-default-tariff", 1, f"{evse}-v1"),
        ("set-default-tariff", 0, f"{default}-v1"),
        ("set-default-tariff", 1, f"{evse}-v1"),
        ("clear-tariffs", None, f"{default}-v1"),
        ("clear-tariffs", 1, f"{evse}-v1"),
    ]
    assert await sent_log(tenant, priced) == [("set-default-tariff", 0, f"{own}-v1")]
    assert await sent_log(tenant, deaf) == []
    assert held(sims[deaf]) == {}


# --- a driver's own tariff at Authorize ----------------------------------------------------------


async def test_a_tag_priced_unlike_the_default_gets_its_tariff_at_authorize(
    tenant: Tenant,
) -> None:
    station_tariff = await create_tariff(tenant, name="Public")
    staff_tariff = await create_tariff(tenant, name="Staff")
    staff, visitor = await add_tag(tenant), await add_tag(tenant)
    group = {
        "name": tenant.unique("G"),
        "tariff_id": staff_tariff,
        "id_tags": [staff],
        "places": [{"kind": "organization"}],
    }
    assert (await tenant.api.post("/tariff-groups", json=group)).status_code == 201
    takes, deaf = await register(tenant), await register(tenant)
    for station_id in (takes, deaf):
        body = {"tariff_id": station_tariff}
        assert (await tenant.api.patch(f"/stations/{station_id}", json=body)).is_success
    url = tenant.server.ocpp_url
    local = SimulatedStationV21(url, takes, password=PASSWORD)
    central = SimulatedStationV21(url, deaf, password=PASSWORD)
    async with local, central:
        for sim, value in ((local, "true"), (central, "false")):
            assert await sim.boot() == "Accepted"
            await sim.notify_report(report=enabled_report(value))
        assert await local.authorize(staff) == "Accepted"
        assert await local.authorize(visitor) == "Accepted"
        assert await central.authorize(staff) == "Accepted"
    given = local.display.driver_tariffs[staff]
    assert given["tariff_id"] == f"{staff_tariff}-v1"
    assert "valid_from" not in given  # 2.1 forbids it in a driver tariff
    assert given["energy"]["prices"] == [{"price_kwh": 0.3}]
    assert visitor not in local.display.driver_tariffs  # the default prices it
    assert central.display.driver_tariffs == {}  # it does not calculate costs itself


async def test_a_session_started_under_another_tariff_is_sent_its_own(tenant: Tenant) -> None:
    """Started without asking (no Authorize, so no driver tariff): the station names its
    default; the session's own tariff group prices it, so it is sent that tariff."""
    public = await create_tariff(tenant, name="Public")
    staff_tariff = await create_tariff(tenant, name="Staff")
    staff, visitor = await add_tag(tenant), await add_tag(tenant)
    group = {
        "name": tenant.unique("G"),
        "tariff_id": staff_tariff,
        "id_tags": [staff],
        "places": [{"kind": "organization"}],
    }
    assert (await tenant.api.post("/tariff-groups", json=group)).status_code == 201
    station_id = await register(tenant)
    sim = SimulatedStationV21(tenant.server.ocpp_url, station_id, password=PASSWORD)
    async with sim:
        assert await sim.boot() == "Accepted"
        await sim.notify_report(report=enabled_report("true"))
        assigned = await tenant.api.patch(f"/stations/{station_id}", json={"tariff_id": public})
        assert assigned.status_code == 200, assigned.text
        await until_held(sim, {0: {f"{public}-v1"}})
        battery = EVBattery(MID_SIZE_EV, 0.2)
        assert await sim.begin_transaction(1, visitor, battery, authorize=False)
        assert await sim.begin_transaction(2, staff, battery, authorize=False)
        staff_tx = sim.connector(2).transaction
        assert staff_tx is not None
        staff_ocpp_id = str(staff_tx.transaction_id)

        async def answered() -> bool:
            log = await tenant.api.get(
                "/commands",
                params={"station_id": station_id, "command": "change-transaction-tariff"},
            )
            return any(r["state"] == "answered" for r in log.json()["items"])

        await eventually(answered)
    given = sim.display.transaction_tariffs[staff_ocpp_id]
    assert given["tariff_id"] == f"{staff_tariff}-v1"
    noted = await events_of(tenant.server, station_id, "session.tariff_differs")
    assert [(n["ocpp_transaction_id"], n["station_tariff_id"]) for n in noted] == [
        (staff_ocpp_id, f"{public}-v1")
    ]
    log = await tenant.api.get(
        "/commands", params={"station_id": station_id, "command": "change-transaction-tariff"}
    )
    [record] = log.json()["items"]
    assert (record["actor"], record["status"]) == ("system:tariffs", "Accepted")


async def test_a_station_that_says_it_takes_tariffs_after_its_boot_gets_them(
    tenant: Tenant,
) -> None:
    tariff_id = await create_tariff(tenant)
    station_id = await register(tenant)
    assigned = await tenant.api.patch(f"/stations/{station_id}", json={"tariff_id": tariff_id})
    assert assigned.status_code == 200, assigned.text
    sim = SimulatedStationV21(tenant.server.ocpp_url, station_id, password=PASSWORD)
    async with sim:
        assert await sim.boot() == "Accepted"  # nothing reported yet: nothing sent
        await sim.notify_report(report=enabled_report("true"))
        await until_held(sim, {0: {f"{tariff_id}-v1"}})
        await settled(tenant, station_id, 1)


# --- a station back without booting catches up -----------------------------------------------


async def offline_then_back(tenant: Tenant, sims: list[SimulatedStationV21]) -> None:
    """Their links drop; `back` reconnects them without a BootNotification."""
    for sim in sims:
        await sim._disconnect()  # the link drops: no close from the station's side

        async def gone(station_id: str = sim.station_id) -> bool:
            detail = await tenant.api.get(f"/stations/{station_id}")
            return detail.json()["connected"] is False

        await eventually(gone)


async def back(sync: DefaultTariffSync, sims: list[SimulatedStationV21]) -> None:
    """Reconnected without booting (as after the central system restarted). The heartbeat's
    answer comes after the server heard the connection; then its syncs are waited for."""
    for sim in sims:
        await sim.connect()
        await sim.heartbeat()
    await sync.tasks.idle()


async def test_a_station_back_without_booting_gets_what_changed_while_it_was_away(
    tenant: Tenant,
) -> None:
    station_tariff = await create_tariff(tenant, name="Public")
    evse_tariff = await create_tariff(tenant, name="Fast")
    away, same = await register(tenant), await register(tenant)
    for station_id in (away, same):
        body = {"tariff_id": station_tariff}
        assert (await tenant.api.patch(f"/stations/{station_id}", json=body)).is_success
    planned = await tenant.api.post(f"/stations/{away}/evses", json={"evse_id": 1})
    assert planned.status_code == 201, planned.text
    body = {"tariff_id": evse_tariff}
    assert (await tenant.api.patch(f"/stations/{away}/evses/1", json=body)).is_success
    assert tenant.server.app is not None
    sync: DefaultTariffSync = tenant.server.app.state.default_tariffs
    url = tenant.server.ocpp_url
    sims = [SimulatedStationV21(url, s, password=PASSWORD) for s in (away, same)]
    async with sims[0], sims[1]:
        for sim in sims:
            assert await sim.boot() == "Accepted"
            await sim.notify_report(report=enabled_report("true"))
        await until_held(sims[0], {0: {f"{station_tariff}-v1"}, 1: {f"{evse_tariff}-v1"}})
        await until_held(sims[1], {0: {f"{station_tariff}-v1"}})
        await settled(tenant, away, 2)
        await offline_then_back(tenant, sims)
        # The EVSE's tariff changes while both are away: nothing can be sent (nor is tried).
        prices = [{"price_components": [{"type": "ENERGY", "price": "0.45", "step_size": 1}]}]
        changed = await tenant.api.patch(f"/tariffs/{evse_tariff}", json={"elements": prices})
        assert changed.status_code == 200, changed.text
        await sync.tasks.idle()
        await settled(tenant, away, 2)
        await back(sync, sims)
        # Exactly the difference: the EVSE's new version, not the station's tariff it holds;
        # the other station holds its plan and is sent nothing.
        assert held(sims[0]) == {0: {f"{station_tariff}-v1"}, 1: {f"{evse_tariff}-v2"}}
        await settled(tenant, away, 3)
        # Back once more with nothing changed: nothing is sent.
        await offline_then_back(tenant, sims)
        await back(sync, sims)
    assert await sent_log(tenant, away) == [
        ("set-default-tariff", 0, f"{station_tariff}-v1"),
        ("set-default-tariff", 1, f"{evse_tariff}-v1"),
        ("set-default-tariff", 1, f"{evse_tariff}-v2"),
    ]
    assert await sent_log(tenant, same) == [("set-default-tariff", 0, f"{station_tariff}-v1")]
    assert held(sims[1]) == {0: {f"{station_tariff}-v1"}}


async def test_a_station_back_but_no_longer_accepted_is_sent_nothing(tenant: Tenant) -> None:
    tariff_id = await create_tariff(tenant)
    station_id = await register(tenant)
    assert (
        await tenant.api.patch(f"/stations/{station_id}", json={"tariff_id": tariff_id})
    ).is_success
    assert tenant.server.app is not None
    sync: DefaultTariffSync = tenant.server.app.state.default_tariffs
    sim = SimulatedStationV21(tenant.server.ocpp_url, station_id, password=PASSWORD)
    async with sim:
        assert await sim.boot() == "Accepted"
        await sim.notify_report(report=enabled_report("true"))
        await until_held(sim, {0: {f"{tariff_id}-v1"}})
        await offline_then_back(tenant, [sim])
        pending = {"registration_status": "Pending"}
        assert (await tenant.api.patch(f"/stations/{station_id}", json=pending)).is_success
        prices = [{"price_components": [{"type": "FLAT", "price": "1.50"}]}]
        changed = await tenant.api.patch(f"/tariffs/{tariff_id}", json={"elements": prices})
        assert changed.status_code == 200, changed.text
        await sim.connect()
        assert await sim.boot() == "Pending"  # answered after its connection was heard
        await sync.tasks.idle()
    assert await sent_log(tenant, station_id) == [("set-default-tariff", 0, f"{tariff_id}-v1")]
    assert held(sim) == {0: {f"{tariff_id}-v1"}}
