"""GET /api/v1/events/stream: live Server-Sent Events, resumable with Last-Event-ID."""

import asyncio
import json
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest

from chargeyard.cluster.leases import LeaseKeeper
from chargeyard.events.sequencer import LEASE
from tests.conftest import Tenant


async def frames(response: httpx.Response) -> AsyncIterator[dict[str, Any]]:
    """Each SSE event as {"id", "event", "data"}; comments and the retry hint are skipped."""
    fields: dict[str, Any] = {}
    async for line in response.aiter_lines():
        if line == "":
            if "data" in fields:
                yield {**fields, "data": json.loads(fields["data"])}
            fields = {}
        elif not line.startswith(":"):
            name, _, value = line.partition(": ")
            fields[name] = value


async def next_frames(stream: AsyncIterator[dict[str, Any]], count: int) -> list[dict[str, Any]]:
    return [await asyncio.wait_for(anext(stream), 30) for _ in range(count)]


async def add_tag(tenant: Tenant, value: str) -> None:
    assert (await tenant.api.post("/id-tags", json={"value": value})).status_code == 201


async def test_stream_sends_new_events_of_the_organization_only(
    tenant: Tenant, other_tenant: Tenant
) -> None:
    await add_tag(tenant, "BEFORE")
    async with tenant.api.stream("GET", "/events/stream") as response:
        assert response.status_code == 200
        stream = frames(response)
        assert response.headers["content-type"].startswith("text/event-stream")
        await add_tag(other_tenant, "SOMEONE-ELSE")
        await add_tag(tenant, "LIVE-1")
        (frame,) = await next_frames(stream, 1)
    assert frame["event"] == "id_tag.created"
    assert frame["data"]["data"]["id_tag"] == "LIVE-1"
    assert frame["data"]["organization_id"] == tenant.organization_id
    assert frame["id"] == frame["data"]["id"]


async def test_last_event_id_resumes_after_that_event(tenant: Tenant) -> None:
    for value in ("R-1", "R-2", "R-3"):
        await add_tag(tenant, value)
    log = (await tenant.api.get("/events", params={"order": "asc"})).json()["items"]
    headers = {"Last-Event-ID": log[0]["id"]}
    async with tenant.api.stream("GET", "/events/stream", headers=headers) as response:
        stream = frames(response)
        caught_up = await next_frames(stream, 2)
        await add_tag(tenant, "R-4")
        (live,) = await next_frames(stream, 1)
    assert [f["id"] for f in caught_up] == [log[1]["id"], log[2]["id"]]
    assert live["data"]["data"]["id_tag"] == "R-4"


class PausedSequencer:
    """The server's sequencer without its lease (as when another node holds it, or its trusted
    part lapsed while SQLite's writer was held) until `resume()`: events commit, and are listed
    by `GET /events`, but get no position."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.refused = asyncio.Event()
        self.resumed = asyncio.Event()
        acquire = LeaseKeeper.acquire

        async def refusing(keeper: LeaseKeeper, name: str) -> bool:
            if name == LEASE and not self.resumed.is_set():
                self.refused.set()
                return False
            return await acquire(keeper, name)

        monkeypatch.setattr(LeaseKeeper, "acquire", refusing)

    async def paused(self) -> None:
        """Wait until the sequencer was refused once: no round of it is under way."""
        self.refused.clear()
        async with asyncio.timeout(30):
            await self.refused.wait()

    def resume(self) -> None:
        self.resumed.set()


async def test_last_event_id_of_an_event_not_yet_numbered_resumes_after_it(
    tenant: Tenant, monkeypatch: pytest.MonkeyPatch
) -> None:
    # `GET /events` shows an event once it commits; the sequencer numbers it a moment later (on
    # another node, up to CHARGEYARD_EVENTS_POLL_S later). A client resuming from the id of an
    # event not yet numbered used to start after the newest numbered event and skip every event
    # committed before the stream opened: the test above got no frame within 30 s whenever the
    # TLS test server, a second node on the suite's database, held the sequencer's lease.
    sequencer = PausedSequencer(monkeypatch)
    await sequencer.paused()
    for value in ("N-1", "N-2", "N-3"):
        await add_tag(tenant, value)
    log = (await tenant.api.get("/events", params={"order": "asc"})).json()["items"]
    headers = {"Last-Event-ID": log[0]["id"]}
    async with tenant.api.stream("GET", "/events/stream", headers=headers) as response:
        stream = frames(response)
        sequencer.resume()
        caught_up = await next_frames(stream, 2)
        await add_tag(tenant, "N-4")
        (live,) = await next_frames(stream, 1)
    assert [f["id"] for f in caught_up] == [log[1]["id"], log[2]["id"]]
    assert live["data"]["data"]["id_tag"] == "N-4"


async def test_stream_filters_by_type(tenant: Tenant) -> None:
    async with tenant.api.stream(
        "GET", "/events/stream", params={"type": "id_tag.updated"}
    ) as response:
        stream = frames(response)
        await add_tag(tenant, "F-1")
        tag = (await tenant.api.get("/id-tags", params={"value": "F-1"})).json()["items"][0]
        patched = await tenant.api.patch(f"/id-tags/{tag['id']}", json={"status": "Blocked"})
        assert patched.status_code == 200
        (frame,) = await next_frames(stream, 1)
    assert frame["event"] == "id_tag.updated" and frame["data"]["data"]["status"] == "Blocked"
