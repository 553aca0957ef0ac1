"""`Mailbox`: a worker's inbox on the bus, and requests to other workers answered back.

Each worker reads one channel (`bus.worker_channel`). Three kinds of message arrive there, as
JSON envelopes:

- `request`: another worker asks something under a topic (e.g. "command"); the handler
  registered for the topic runs in its own task and its result goes back as a `reply`;
- `reply`: the answer to one of this worker's requests, matched by request id;
- `notice`: one-way news under a topic (e.g. "replaced": a station's socket moved away).

A request to a worker nobody is listening for fails at once (`WorkerGone`): PUBLISH says no one
received it. An answer that does not come in time is a `TimeoutError` for the caller.
"""

import asyncio
import contextlib
import json
import logging
import uuid
from collections.abc import Awaitable, Callable
from contextlib import AsyncExitStack
from typing import Any

from chargeyard.cluster.bus import Bus, BusError, worker_channel

logger = logging.getLogger(__name__)

RequestHandler = Callable[[Any], Awaitable[Any]]
NoticeHandler = Callable[[Any], Awaitable[None]]


class WorkerGone(BusError):
    """No one reads the worker's inbox: the worker has stopped or died."""


class Mailbox:
    def __init__(self, bus: Bus) -> None:
        self.bus = bus
        self._requests: dict[str, RequestHandler] = {}
        self._notices: dict[str, NoticeHandler] = {}
        self._pending: dict[str, asyncio.Future[Any]] = {}
        self._tasks: set[asyncio.Task[None]] = set()
        self._stack = AsyncExitStack()
        self._reader: asyncio.Task[None] | None = None

    def on_request(self, topic: str, handler: RequestHandler) -> None:
        self._requests[topic] = handler

    def on_notice(self, topic: str, handler: NoticeHandler) -> None:
        self._notices[topic] = handler

    async def start(self) -> None:
        messages = await self._stack.enter_async_context(
            self.bus.subscribe(worker_channel(self.bus.worker_id))
        )

        async def read() -> None:
            async for raw in messages:
                self._receive(raw)

        self._reader = asyncio.create_task(read(), name="cluster mailbox")

    async def stop(self) -> None:
        for task in (self._reader, *self._tasks):
            if task is not None:
                task.cancel()
        for task in (self._reader, *self._tasks):
            if task is not None:
                with contextlib.suppress(asyncio.CancelledError):
                    await task
        await self._stack.aclose()

    async def request(self, worker_id: str, topic: str, body: Any, timeout_s: float) -> Any:
        """Ask `worker_id`; its handler's answer, or WorkerGone / TimeoutError / BusError."""
        request_id = uuid.uuid4().hex
        future: asyncio.Future[Any] = asyncio.get_running_loop().create_future()
        self._pending[request_id] = future
        try:
            envelope = {"kind": "request", "id": request_id, "topic": topic, "body": body}
            if not await self._send(worker_id, envelope):
                raise WorkerGone(f"worker {worker_id!r} is not listening")
            # Not `wait_for`, which on Python 3.11 loses a cancel that lands with the answer.
            async with asyncio.timeout(timeout_s):
                return await future
        finally:
            self._pending.pop(request_id, None)

    async def notify(self, worker_id: str, topic: str, body: Any) -> bool:
        """Tell `worker_id` something; False when no one received it."""
        return await self._send(worker_id, {"kind": "notice", "topic": topic, "body": body})

    async def _send(self, worker_id: str, envelope: dict[str, Any]) -> bool:
        envelope["from"] = self.bus.worker_id
        data = json.dumps(envelope, separators=(",", ":")).encode()
        return await self.bus.publish(worker_channel(worker_id), data) > 0

    def _receive(self, raw: bytes) -> None:
        try:
            envelope = json.loads(raw)
            kind = envelope["kind"]
        except (ValueError, KeyError, TypeError):
            logger.warning("cluster mailbox: ignored a malformed message")
            return
        if kind == "reply":
            future = self._pending.get(envelope.get("id", ""))
            if future is not None and not future.done():
                if envelope.get("failed"):
                    future.set_exception(BusError(f"worker {envelope.get('from')!r} failed"))
                else:
                    future.set_result(envelope.get("body"))
        elif kind in ("request", "notice"):
            task = asyncio.create_task(self._handle(envelope))
            self._tasks.add(task)
            task.add_done_callback(self._tasks.discard)

    async def _handle(self, envelope: dict[str, Any]) -> None:
        topic = envelope.get("topic")
        try:
            if envelope["kind"] == "notice":
                notice = self._notices.get(str(topic))
                if notice is not None:
                    await notice(envelope.get("body"))
                return
            handler = self._requests.get(str(topic))
            reply: dict[str, Any] = {"kind": "reply", "id": envelope.get("id")}
            try:
                if handler is None:
                    raise LookupError(f"no handler for {topic!r}")
                reply["body"] = await handler(envelope.get("body"))
            except Exception:
                logger.exception("cluster request %r from %s failed", topic, envelope.get("from"))
                reply["failed"] = True
            await self._send(str(envelope.get("from")), reply)
        except BusError as error:
            logger.warning("cluster mailbox could not answer: %s", error)
