"""Requests between workers answered back, on both buses; a gone or silent worker is told apart."""

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any

import pytest

from chargeyard.cluster.bus import BusError
from chargeyard.cluster.mailbox import Mailbox, WorkerGone
from tests.cluster.conftest import MakeBus

MakeMailbox = Callable[[], Awaitable[Mailbox]]


@pytest.fixture
async def make_mailbox(make_bus: MakeBus) -> AsyncIterator[MakeMailbox]:
    boxes: list[Mailbox] = []

    async def make() -> Mailbox:
        box = Mailbox(await make_bus())
        await box.start()
        boxes.append(box)
        return box

    yield make
    for box in boxes:
        await box.stop()


async def test_a_request_is_answered_by_the_workers_handler(make_mailbox: MakeMailbox) -> None:
    a, b = await make_mailbox(), await make_mailbox()

    async def double(body: Any) -> Any:
        return {"twice": body["n"] * 2, "by": b.bus.worker_id}

    b.on_request("double", double)
    answers = await asyncio.gather(
        *(a.request(b.bus.worker_id, "double", {"n": n}, 10) for n in range(5))
    )
    assert [answer["twice"] for answer in answers] == [0, 2, 4, 6, 8]
    assert {answer["by"] for answer in answers} == {b.bus.worker_id}


async def test_a_worker_nobody_listens_for_is_gone_at_once(make_mailbox: MakeMailbox) -> None:
    a = await make_mailbox()
    with pytest.raises(WorkerGone):
        await a.request("no-such-worker", "double", {}, 10)


async def test_a_silent_handler_times_out_and_a_failing_one_is_an_error(
    make_mailbox: MakeMailbox,
) -> None:
    a, b = await make_mailbox(), await make_mailbox()
    never = asyncio.Event()

    async def silent(_body: Any) -> Any:
        await never.wait()

    async def failing(_body: Any) -> Any:
        raise RuntimeError("boom")

    b.on_request("silent", silent)
    b.on_request("failing", failing)
    with pytest.raises(TimeoutError):
        await a.request(b.bus.worker_id, "silent", {}, 0.2)
    with pytest.raises(BusError):
        await a.request(b.bus.worker_id, "failing", {}, 10)
    with pytest.raises(BusError):
        await a.request(b.bus.worker_id, "unknown-topic", {}, 10)


async def test_notices_reach_their_handler(make_mailbox: MakeMailbox) -> None:
    a, b = await make_mailbox(), await make_mailbox()
    heard: asyncio.Queue[Any] = asyncio.Queue()

    async def hear(body: Any) -> None:
        heard.put_nowait(body)

    b.on_notice("news", hear)
    assert await a.notify(b.bus.worker_id, "news", {"station_id": "CP-1"})
    async with asyncio.timeout(10):
        assert await heard.get() == {"station_id": "CP-1"}
    assert not await a.notify("no-such-worker", "news", {})
