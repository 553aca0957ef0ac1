"""A real HTTP receiver on loopback that records every delivery and answers as a test tells it."""

import asyncio
import json
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from typing import Any

import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from tests.support.server import free_port


@dataclass
class Received:
    headers: dict[str, str]
    body: bytes
    at: float
    status: int = 0

    @property
    def json(self) -> dict[str, Any]:
        return dict(json.loads(self.body))

    @property
    def ok(self) -> bool:
        return 200 <= self.status < 300


async def answer_ok(_item: Received) -> int:
    return 200


@dataclass
class Receiver:
    url: str
    received: list[Received] = field(default_factory=list)
    behaviour: Callable[[Received], Awaitable[int]] = answer_ok

    async def handle(self, request: Request) -> Response:
        item = Received(dict(request.headers), await request.body(), time.perf_counter())
        self.received.append(item)
        item.status = await self.behaviour(item)
        return Response(status_code=item.status)

    def delivered(self, type: str | None = None) -> list[Received]:
        """Successful deliveries, in arrival order (optionally of one event type)."""
        return [r for r in self.received if r.ok and (type is None or r.json["type"] == type)]

    def accepted(self, type: str | None = None) -> list[Received]:
        """Successful deliveries with each `webhook-id` once, in first-arrival order: what a
        receiver that deduplicates as docs/webhooks.md asks keeps. Delivery is at least once: an
        answer that reaches the sender after its timeout is a failure to it, and it sends again."""
        seen: set[str] = set()
        kept: list[Received] = []
        for item in self.delivered(type):
            if item.headers["webhook-id"] not in seen:
                seen.add(item.headers["webhook-id"])
                kept.append(item)
        return kept

    async def wait_for(self, check: Callable[[], bool], within: float = 10.0) -> None:
        deadline = time.monotonic() + within
        while not check():
            if time.monotonic() > deadline:
                raise AssertionError(
                    f"timed out; received {[r.json['type'] for r in self.received]}"
                )
            await asyncio.sleep(0.01)


@asynccontextmanager
async def running_receiver() -> AsyncIterator[Receiver]:
    port = free_port()
    receiver = Receiver(url=f"http://127.0.0.1:{port}/hooks")
    app = Starlette(routes=[Route("/hooks", receiver.handle, methods=["POST"])])
    server = uvicorn.Server(
        uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", lifespan="off")
    )
    task = asyncio.create_task(server.serve())
    while not server.started:
        if task.done():
            task.result()
        await asyncio.sleep(0.01)
    try:
        yield receiver
    finally:
        server.should_exit = True
        await task
