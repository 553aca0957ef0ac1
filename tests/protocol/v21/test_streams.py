"""Periodic event streams: opened with their parameters, fed by SEND frames (never answered),
closed; which streams are open and every value they carried readable through REST."""

import json
from typing import Any

from chargeyard.event_streams.domain import MAX_OPEN_STREAMS
from tests.conftest import Tenant
from tests.protocol.conftest import events_of
from tests.protocol.v21.conftest import V21Stations, answer, items
from tests.support.ocpp_client import RawStation


def opening(stream_id: int, monitor: int = 9, **params: int) -> dict[str, Any]:
    return {
        "constantStreamData": {"id": stream_id, "variableMonitoringId": monitor, "params": params}
    }


async def send_values(
    station: RawStation, stream_id: int, pending: int, *values: str, second: int = 0
) -> None:
    """Send a batch; the heartbeat after it is the next answer (a SEND is never answered), and
    frames are handled in order, so the batch is stored when this returns."""
    data = [{"t": 0.5 + index, "v": value} for index, value in enumerate(values)]
    payload = {
        "id": stream_id,
        "pending": pending,
        "basetime": f"2026-03-01T10:00:{second:02}Z",
        "data": data,
    }
    unique_id = f"s{stream_id}-{pending}"
    await station.socket.send(json.dumps([6, unique_id, "NotifyPeriodicEventStream", payload]))
    beat = await station.call("Heartbeat", {}, unique_id=f"after-{unique_id}")
    assert beat[:2] == [3, f"after-{unique_id}"]


async def test_a_stream_opened_fed_and_closed(tenant: Tenant, v21: V21Stations) -> None:
    async with v21.booted() as (sid, station):
        opened = await answer(station, "OpenPeriodicEventStream", opening(4, interval=10, values=5))
        await send_values(station, 4, 3, "11.2", "11.4")
        await send_values(station, 4, 0, "11.6", second=10)
        open_now = await items(tenant, f"/stations/{sid}/event-streams", state="open")
        assert await answer(station, "ClosePeriodicEventStream", {"id": 4}) == {}
    assert opened == {"status": "Accepted"}
    assert [
        (
            s["stream_id"],
            s["variable_monitoring_id"],
            s["interval_s"],
            s["values"],
            s["value_count"],
        )
        for s in open_now
    ] == [(4, 9, 10, 5, 3)]
    assert open_now[0]["pending"] == 0
    assert open_now[0]["last_value_at"].startswith("2026-03-01T10:00:10.5")
    streams = await items(tenant, f"/stations/{sid}/event-streams")
    assert [(s["state"], s["closed_at"] is not None) for s in streams] == [("closed", True)]
    values = await items(tenant, f"/stations/{sid}/event-streams/{streams[0]['id']}/values")
    assert [(v["at"][11:23], v["value"]) for v in values] == [
        ("10:00:00.500", "11.2"),
        ("10:00:01.500", "11.4"),
        ("10:00:10.500", "11.6"),
    ]
    assert await items(tenant, f"/stations/{sid}/event-streams", state="open") == []
    received = await events_of(tenant.server, sid, "event_stream.values_received")
    assert [(e["stream_id"], e["pending"], len(e["values"])) for e in received] == [
        (4, 3, 2),
        (4, 0, 1),
    ]
    assert [
        e["value_count"] for e in await events_of(tenant.server, sid, "event_stream.closed")
    ] == [3]
    assert len(await events_of(tenant.server, sid, "event_stream.opened")) == 1


async def test_reopening_replaces_and_unknown_streams_keep_their_values(
    tenant: Tenant, v21: V21Stations
) -> None:
    async with v21.booted() as (sid, station):
        await answer(station, "OpenPeriodicEventStream", opening(1, interval=60))
        again = await answer(station, "OpenPeriodicEventStream", opening(1, monitor=2, values=4))
        await send_values(station, 7, 0, "on")
        # Closing a stream that is not open is answered all the same.
        assert await answer(station, "ClosePeriodicEventStream", {"id": 99}) == {}
    assert again == {"status": "Accepted"}
    streams = await items(tenant, f"/stations/{sid}/event-streams")
    assert sorted((s["stream_id"], s["state"], s["variable_monitoring_id"]) for s in streams) == [
        (1, "closed", 9),
        (1, "open", 2),
        (7, "open", None),
    ]
    implicit = next(s for s in streams if s["stream_id"] == 7)
    values = await items(tenant, f"/stations/{sid}/event-streams/{implicit['id']}/values")
    assert [v["value"] for v in values] == ["on"]
    opened = await events_of(tenant.server, sid, "event_stream.opened")
    assert [e["replaced_open"] for e in opened] == [False, True]


async def test_too_many_open_streams_are_refused(tenant: Tenant, v21: V21Stations) -> None:
    async with v21.booted() as (sid, station):
        for stream_id in range(MAX_OPEN_STREAMS):
            await answer(station, "OpenPeriodicEventStream", opening(stream_id))
        refused = await answer(station, "OpenPeriodicEventStream", opening(MAX_OPEN_STREAMS))
        reopened = await answer(station, "OpenPeriodicEventStream", opening(0, interval=5))
    assert refused["status"] == "Rejected"
    assert refused["statusInfo"]["reasonCode"] == "TooManyStreams"
    assert reopened == {"status": "Accepted"}
    listing = (
        await tenant.api.get(f"/stations/{sid}/event-streams", params={"state": "open"})
    ).json()
    assert listing["total"] == MAX_OPEN_STREAMS


async def test_stream_values_of_another_organization_are_404(
    tenant: Tenant, other_tenant: Tenant, v21: V21Stations
) -> None:
    async with v21.booted() as (sid, station):
        await answer(station, "OpenPeriodicEventStream", opening(3))
    stream = (await items(tenant, f"/stations/{sid}/event-streams"))[0]
    assert (await other_tenant.api.get(f"/stations/{sid}/event-streams")).status_code == 404
    path = f"/stations/{sid}/event-streams/{stream['id']}/values"
    assert (await other_tenant.api.get(path)).status_code == 404
    assert (
        await tenant.api.get(f"/stations/{sid}/event-streams/999999999/values")
    ).status_code == 404
