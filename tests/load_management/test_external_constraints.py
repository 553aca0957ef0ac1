"""ChargingStationExternalConstraints profiles that OCPP 2.x stations hold are read back and
are constraints of the plan (issue 14, item 3)."""

import asyncio
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from chargeyard.charging_profiles.domain import LimitUnit
from chargeyard.load_management.controller import SmartChargingController
from chargeyard.load_management.reported_limits import ReportedLimit, in_force
from chargeyard.simulator.connector import StopReason
from chargeyard.simulator.station_v201 import SimulatedStationV21, SimulatedStationV201
from tests.conftest import Tenant
from tests.load_management.conftest import SimSite, simulated_site, until

NOW = datetime(2026, 3, 2, 16, 0, tzinfo=UTC)


def _profile(
    profile_id: int, *periods: tuple[int, float], unit: str = "W", **fields: Any
) -> dict[str, Any]:
    """A 2.x ChargingProfileType (snake_case), Absolute from now unless `fields` say else."""
    schedule = {
        "id": profile_id,
        "charging_rate_unit": unit,
        "charging_schedule_period": [{"start_period": s, "limit": v} for s, v in periods],
        **fields.pop("schedule", {}),
    }
    return {
        "id": profile_id,
        "stack_level": fields.pop("stack_level", 0),
        "charging_profile_purpose": "ChargingStationExternalConstraints",
        "charging_profile_kind": fields.pop("kind", "Absolute"),
        "charging_schedule": [schedule],
        **fields,
    }


def _read(evse_id: int, profile: dict[str, Any], read_at: datetime = NOW) -> ReportedLimit:
    schedules = tuple(profile["charging_schedule"])
    return ReportedLimit("S", evse_id, schedules, read_at, profile)


def test_of_a_places_profiles_the_highest_stack_level_in_force_counts() -> None:
    low = _profile(1, (0, 4_000), stack_level=1)
    high = _profile(2, (0, 9_000), stack_level=2)
    ended = _profile(3, (0, 1_000), stack_level=5, schedule={"duration": 60})
    [limit] = in_force(
        [_read(1, low), _read(1, high), _read(1, ended, NOW - timedelta(hours=1))], NOW
    )
    assert (limit.evse_id, limit.limit, limit.unit) == (1, 9.0, LimitUnit.KW)


def test_validity_and_recurrence_decide_when_a_profile_limits() -> None:
    expired = _profile(1, (0, 16), unit="A", valid_to=(NOW - timedelta(minutes=1)).isoformat())
    future = _profile(2, (0, 16), unit="A", valid_from=(NOW + timedelta(minutes=1)).isoformat())
    # Every day from 06:00 two days ago: 10 A for two hours from 15:00, 32 A otherwise.
    daily = _profile(
        3,
        (0, 32),
        (9 * 3600, 10),
        (11 * 3600, 32),
        unit="A",
        kind="Recurring",
        recurrency_kind="Daily",
        schedule={"start_schedule": (NOW - timedelta(days=2, hours=10)).isoformat()},
    )
    assert in_force([_read(1, expired), _read(1, future)], NOW) == []
    [limit] = in_force([_read(0, daily)], NOW)
    assert (limit.evse_id, limit.limit, limit.unit) == (0, 10.0, LimitUnit.A)
    assert limit.ends == NOW + timedelta(hours=1)
    [later] = in_force([_read(0, daily)], NOW + timedelta(hours=2))
    assert later.limit == 32.0


def test_a_relative_profile_counts_from_its_sessions_start_not_from_the_read() -> None:
    """11 kW for the first hour, then 4 kW, relative to the start OCPP gives it: on an EVSE,
    its session's; on the station, each of its sessions' (the lowest counts); without a
    session, now (as a session starting now sees it). Counted from the read (at NOW), a
    session that began two hours ago was planned 11 kW under a station applying 4."""
    relative = _profile(1, (0, 11_000), (3600, 4_000), kind="Relative")
    started = {("S", 1): NOW - timedelta(hours=2), ("S", 2): NOW - timedelta(minutes=10)}
    [on_evse] = in_force([_read(1, relative)], NOW, started)
    assert (on_evse.evse_id, on_evse.limit, on_evse.ends) == (1, 4.0, None)
    [on_second] = in_force([_read(2, relative)], NOW, started)
    assert (on_second.limit, on_second.ends) == (11.0, NOW + timedelta(minutes=50))
    [on_station] = in_force([_read(0, relative)], NOW, started)
    assert (on_station.evse_id, on_station.limit) == (0, 4.0)
    [idle] = in_force([_read(1, relative, NOW - timedelta(hours=3))], NOW)
    assert (idle.limit, idle.ends) == (11.0, NOW + timedelta(hours=1))
    # A start the station reports for it is the start it determined.
    reported = _profile(
        2,
        (0, 11_000),
        (3600, 4_000),
        kind="Relative",
        schedule={"start_schedule": (NOW - timedelta(minutes=30)).isoformat()},
    )
    [told] = in_force([_read(1, reported)], NOW, started)
    assert (told.limit, told.ends) == (11.0, NOW + timedelta(minutes=30))


def _near(site: SimSite, kw: list[float]) -> bool:
    limits = sorted(site.session_limits_w())
    return len(limits) == len(kw) and all(
        abs(w - v * 1000) <= 60 for w, v in zip(limits, sorted(kw), strict=True)
    )


async def _active_profiles(site: SimSite, station_id: str) -> list[int]:
    listed = await site.tenant.api.get(f"/stations/{station_id}/charging-limits?active=true")
    assert listed.status_code == 200, listed.text
    return [item["profile_id"] for item in listed.json()["items"] if item["profile_id"]]


async def _planned_kw(site: SimSite) -> dict[str, float]:
    made = await site.tenant.api.post(f"/circuits/{site.circuit_id}/optimize")
    assert made.status_code == 200, made.text
    return {s["station_id"]: s["power_kw"] for s in made.json()["sessions"]}


@pytest.mark.parametrize(
    ("evse_id", "station_class"),
    [(1, SimulatedStationV201), (0, SimulatedStationV201), (1, SimulatedStationV21)],
    ids=["evse", "station", "evse-2.1"],
)
async def test_a_notified_external_constraint_is_read_back_and_caps_the_station(
    tenant: Tenant, evse_id: int, station_class: type[SimulatedStationV201]
) -> None:
    """The station notifies a limit without its schedule (NotifyChargingLimit may omit it):
    the profile read back takes its session to 8 kW and the other to 14 kW, until cleared."""
    async with simulated_site(
        tenant, 2, connectors=1, station_class=station_class, max_power_kw=22
    ) as site:
        await site.start(0)
        await site.start(1)
        await until(lambda: _near(site, [11.0, 11.0]))
        limited = site.stations[0]
        await limited.set_external_constraint(evse_id, _profile(77, (0, 8_000)), source="SO")
        await until(lambda: _near(site, [8.0, 14.0]))
        assert await _active_profiles(site, limited.station_id) == [77]
        planned = await _planned_kw(site)
        assert planned[limited.station_id] == pytest.approx(8.0, abs=0.05)
        assert planned[site.stations[1].station_id] == pytest.approx(14.0, abs=0.05)
        await limited.clear_external_constraints("SO", evse_id)
        await until(lambda: _near(site, [11.0, 11.0]))
        assert await _active_profiles(site, limited.station_id) == []
    assert max(site.samples) <= 22_000


async def test_a_relative_constraint_read_after_its_session_began_counts_from_that_start(
    tenant: Tenant,
) -> None:
    """The external system sets a Relative profile on a running session's EVSE: 8 kW for the
    session's first second, 5 kW after. The station applies it from the session's start, so
    read more than a second after that, it is at 5 kW already, and the plan's first step
    after the read gives the other session the rest (17 kW). Counted from the read, the plan
    held 8 kW there (the other at 14) until its first period ended."""
    async with simulated_site(
        tenant, 2, connectors=1, station_class=SimulatedStationV201, max_power_kw=22
    ) as site:
        await site.start(0)
        await site.start(1)
        await until(lambda: _near(site, [11.0, 11.0]))
        limited = site.stations[0]
        listed = await tenant.api.get("/transactions", params={"station_id": limited.station_id})
        [running] = [t for t in listed.json()["items"] if t["stopped_at"] is None]
        began = datetime.fromisoformat(running["started_at"])
        await until(lambda: datetime.now(UTC) > began + timedelta(seconds=1.5))
        mark = len(site.samples)
        relative = _profile(78, (0, 8_000), (1, 5_000), kind="Relative")
        await limited.set_external_constraint(1, relative, source="EMS")
        await until(lambda: _near(site, [5.0, 17.0]))
        # From 5 + 11 kW straight to 5 + 17: never the 5 + 14 of a plan counting from the read.
        assert all(kw <= 16_100 or kw >= 21_900 for kw in site.samples[mark:])
        planned = await _planned_kw(site)
        assert planned[limited.station_id] == pytest.approx(5.0, abs=0.05)
        assert planned[site.stations[1].station_id] == pytest.approx(17.0, abs=0.05)
    assert max(site.samples) <= 22_000


async def test_a_constraint_held_at_boot_is_read_without_a_notification(tenant: Tenant) -> None:
    """A station that holds an external constraint it never notified (set while it was away,
    or below its LimitChangeSignificance) has it read when its boot is accepted; a read that
    finds none (NoProfiles) lifts it from the plan."""
    async with simulated_site(
        tenant, 2, connectors=1, station_class=SimulatedStationV201, max_power_kw=22
    ) as site:
        limited = site.stations[0]
        station_id = limited.station_id
        await limited.set_external_constraint(0, _profile(5, (0, 5_000)), notify=False)
        await limited.reboot(StopReason.REBOOT)
        await site.start(0)
        await site.start(1)
        await until(lambda: _near(site, [5.0, 17.0]))
        assert await _active_profiles(site, station_id) == [5]
        planned = await _planned_kw(site)
        assert planned[station_id] == pytest.approx(5.0, abs=0.05)
        # Lifted without a word: the next accepted boot's read finds nothing.
        await limited.clear_external_constraints("EMS", 0, notify=False)
        await limited.reboot(StopReason.REBOOT)
        await site.start(0)
        await until(lambda: _near(site, [11.0, 11.0]))
        assert await _active_profiles(site, station_id) == []
    assert max(site.samples) <= 22_000


async def test_a_constraint_changed_without_a_notification_is_read_within_a_period(
    tenant: Tenant,
) -> None:
    """The external system sets, then lifts, a limit on a station that stays online and says
    nothing: the periodic read (`read_constraints`, what the control loop runs every
    `constraints_read_period_s`) finds each change, without a boot or a move."""
    assert tenant.server.app is not None
    controller: SmartChargingController = tenant.server.app.state.smart_charging
    async with simulated_site(
        tenant, 2, connectors=1, station_class=SimulatedStationV201, max_power_kw=22
    ) as site:
        await site.start(0)
        await site.start(1)
        await until(lambda: _near(site, [11.0, 11.0]))
        limited = site.stations[0]
        await limited.set_external_constraint(0, _profile(9, (0, 5_000)), notify=False)
        await controller.read_constraints()
        await until(lambda: _near(site, [5.0, 17.0]))
        assert await _active_profiles(site, limited.station_id) == [9]
        await limited.clear_external_constraints("EMS", 0, notify=False)
        await controller.read_constraints()
        await until(lambda: _near(site, [11.0, 11.0]))
        assert await _active_profiles(site, limited.station_id) == []
    assert max(site.samples) <= 22_000


async def test_a_read_keeps_every_report_and_an_operators_get_is_not_a_read(
    tenant: Tenant,
) -> None:
    """A read answered in two messages (one per EVSE and source) keeps both; an operator may
    ask for the purpose too (the protocol allows reading it), and that answer, narrower, does
    not replace what the read found."""
    async with simulated_site(
        tenant, 1, connectors=2, station_class=SimulatedStationV201, max_power_kw=22
    ) as site:
        station = site.stations[0]
        station_id = station.station_id
        await station.set_external_constraint(1, _profile(11, (0, 5_000)), notify=False)
        await station.set_external_constraint(2, _profile(12, (0, 7_000)), source="SO")
        await site.start(0, 1)
        await site.start(0, 2)
        await until(lambda: _near(site, [5.0, 7.0]))
        assert sorted(await _active_profiles(site, station_id)) == [11, 12]
        asked = await site.tenant.api.post(
            f"/stations/{station_id}/commands/get-charging-profiles?wait=true",
            json={"evse_id": 1, "purpose": "ChargingStationExternalConstraints"},
        )
        assert asked.status_code == 200, asked.text
        assert asked.json()["status"] == "Accepted"
        sent = await site.tenant.api.get(f"/commands/{asked.json()['command_id']}")
        payload = sent.json()["ocpp_request"]
        criterion = payload["chargingProfile"]
        assert criterion["chargingProfilePurpose"] == "ChargingStationExternalConstraints"
        reports = await _reports(site, station_id, int(payload["requestId"]))
        assert [p["id"] for p in reports] == [11]
        assert sorted(await _active_profiles(site, station_id)) == [11, 12]
        refused = await site.tenant.api.post(
            f"/stations/{station_id}/commands/set-charging-profile",
            json={"evse_id": 0, "charging_profile": _refused_profile()},
        )
        assert refused.status_code == 422, refused.text
        assert "external system" in refused.text


async def _reports(site: SimSite, station_id: str, request_id: int) -> list[dict[str, Any]]:
    """The profiles the station reported for `request_id`, once it has."""
    async with asyncio.timeout(30):
        while True:
            listed = await site.tenant.api.get(
                f"/stations/{station_id}/reports?kind=charging_profiles"
            )
            assert listed.status_code == 200, listed.text
            found = [r for r in listed.json()["items"] if r["request_id"] == request_id]
            if found:
                return [p for r in found for p in r["data"]["profiles"]]
            await asyncio.sleep(0.02)


def _refused_profile() -> dict[str, Any]:
    """Valid but for its purpose."""
    schedule = {"unit": "W", "periods": [{"start_offset_s": 0, "limit": 5000}]}
    return {"id": 5, "purpose": "ChargingStationExternalConstraints", "schedule": schedule}
