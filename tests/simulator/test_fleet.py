"""run_fleet against the loopback CSMS, in real time but briefly."""

import asyncio
from dataclasses import replace
from typing import Any

from chargeyard.simulator import FleetConfig, FleetStats, run_fleet

from .fake_csms import FakeCsms


def quick(csms: FakeCsms, **overrides: Any) -> FleetConfig:
    """A few stations with second-long intervals, so a run of seconds shows everything."""
    config = FleetConfig(
        url=csms.url,
        stations=3,
        heartbeat_interval=1,
        meter_interval=1,
        stay_intervals=(1.2, 1.5),
        idle_intervals=(0.1, 0.3),
        connect_rate=200.0,
        seed=3,
        duration_s=2.5,
        id_tag="TAG-OK",
    )
    return replace(config, **overrides)


async def test_a_small_fleet_boots_beats_and_charges(csms: FakeCsms) -> None:
    csms.settings.boot_interval = 1
    # 4 s, not the usual 2.5: a first session starts after 0.1-0.3 s and sends its first
    # MeterValues a meter interval later, which a loaded CI machine pushed past 2.5 s once.
    config = quick(csms, progress_interval_s=0.5, id_tag="FLEET", unique_tags=True, duration_s=4.0)
    csms.settings.tags = dict.fromkeys(config.id_tags(), "Accepted")
    progress: list[FleetStats] = []

    stats = await run_fleet(config, on_progress=progress.append)

    assert (stats.stations, stats.connected) == (3, 3)
    assert sorted(m.station_id for m in csms.received if m.action == "BootNotification") == [
        "SIM0000",
        "SIM0001",
        "SIM0002",
    ]
    assert len(csms.messages("Heartbeat")) >= 3
    assert stats.sessions_started >= 3
    assert len(csms.messages("MeterValues")) >= 1
    # The stop cuts off the CALLs in flight (a station has several loops, so several may be):
    # each is counted as sent and cancelled, and the CSMS may or may not have seen it.
    assert stats.answers_received <= len(csms.received) <= stats.calls_sent
    assert (stats.call_errors, stats.timeouts) == (0, 0)
    assert stats.p50_s is not None and stats.p99_s is not None
    assert 0 < stats.p50_s <= stats.p99_s < 1
    assert stats.answers_per_second > 0
    assert len(progress) >= 2 and progress[-1].connected == 3
    tags = {
        (m.station_id, m.payload["connector_id"], m.payload["id_tag"])
        for m in csms.received
        if m.action == "StartTransaction"
    }
    assert all(tag == config.id_tag_for(int(sid[-4:]), cid) for sid, cid, tag in tags)
    # Stations end their transactions on the way out: nothing is left open.
    assert len(csms.messages("StopTransaction")) == len(csms.messages("StartTransaction"))


async def test_dropped_stations_reconnect(csms: FakeCsms) -> None:
    csms.settings.boot_interval = 1
    stop = asyncio.Event()
    reconnected = asyncio.Event()

    def watch(stats: FleetStats) -> None:
        if stats.reconnects:
            reconnected.set()

    config = quick(csms, stations=2, duration_s=None, progress_interval_s=0.05)
    run = asyncio.create_task(run_fleet(config, on_progress=watch, stop=stop))
    await csms.wait_for("Heartbeat", station_id="SIM0001")  # it beats once it is online

    await csms.drop("SIM0001")
    await asyncio.wait_for(reconnected.wait(), 30)
    stop.set()
    stats = await run

    assert stats.reconnects == 1
    assert stats.connected == 2
    assert len(csms.messages("BootNotification", station_id="SIM0001")) == 2


async def test_an_unreachable_csms_is_survived(csms: FakeCsms) -> None:
    await csms.stop()

    stats = await run_fleet(quick(csms, stations=2, duration_s=0.5))

    assert (stats.connected, stats.calls_sent, stats.p50_s) == (0, 0, None)


def test_unique_tags_give_every_connector_its_own() -> None:
    config = FleetConfig(stations=2, connectors=2, id_tag="T", unique_tags=True)

    assert config.id_tags() == ["T00001", "T00002", "T00003", "T00004"]
    assert [config.id_tag_for(i, c) for i in range(2) for c in (1, 2)] == config.id_tags()
    assert FleetConfig(stations=2, id_tag="T").id_tags() == ["T"]
    assert FleetConfig(stations=2, id_tag="T").id_tag_for(1, 2) == "T"


def test_station_ids_follow_the_prefix() -> None:
    assert FleetConfig(stations=3, prefix="LOAD").station_ids() == [
        "LOAD0000",
        "LOAD0001",
        "LOAD0002",
    ]
