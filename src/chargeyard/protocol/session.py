"""One station's OCPP-J session: framing, dispatch, errors and logging, for every version.

A session is composed, not inherited from the `ocpp` library: it owns a route table (built once
per version class by `router.py`), a `Correlator` for its outbound CALLs, and the follow-up tasks
its handlers spawn. Version subclasses only add `@on` handlers, which translate a message into
a call on a service. This base keeps the rules of OCPP-J: every CALL gets exactly one CALLRESULT
or CALLERROR, a bad frame never closes the connection, inbound CALLs are handled in order, and
only one outbound CALL is outstanding at a time.

Per frame: one JSON parse and one serialization (`frames.py`, orjson), one check against the
version's schema compiled once per process (`schemas.py`), keys converted through remembered
mappings (`wire.py`).
"""

import asyncio
import inspect
import logging
from collections import OrderedDict
from collections.abc import Coroutine
from types import ModuleType
from typing import Any, ClassVar, Protocol

from chargeyard.errors import ChargeyardError
from chargeyard.observability.log_context import observing_call
from chargeyard.protocol import schemas
from chargeyard.protocol.context import ServerContext, StationIdentity
from chargeyard.protocol.convert import check_text
from chargeyard.protocol.correlator import Correlator
from chargeyard.protocol.disconnects import is_disconnect
from chargeyard.protocol.frames import (
    CALL,
    CALLRESULT,
    Call,
    CallError,
    CallResult,
    CallResultError,
    FrameError,
    Send,
    encode_call,
    encode_error,
    encode_result,
    parse_frame,
)
from chargeyard.protocol.rate_limit import RATE_LIMITED, RateLimit
from chargeyard.protocol.router import Handler, routes
from chargeyard.protocol.rpc_errors import Kind, RpcError, from_domain_error
from chargeyard.protocol.wire import from_wire, to_wire

logger = logging.getLogger(__name__)

_REMEMBERED_IDS = 1000


class Channel(Protocol):
    """The socket as a session sees it: text frames in and out."""

    async def recv(self) -> str: ...

    async def send(self, message: str) -> None: ...

    async def close(self, code: int, reason: str) -> None: ...


class StationCallError(Exception):
    """The station answered one of our CALLs with a CALLERROR (or an answer that breaks the
    schema, reported with the code a CALLERROR would carry)."""

    def __init__(self, code: str, description: str) -> None:
        super().__init__(f"{code}: {description}")
        self.code = code
        self.description = description


class StationSession:
    subprotocol: ClassVar[str]
    ocpp_version: ClassVar[str]
    known_actions: ClassVar[frozenset[str]]
    call_types: ClassVar[ModuleType]
    result_types: ClassVar[ModuleType]
    route_table: ClassVar[dict[str, Handler]] = {}

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        cls.route_table = routes(cls)

    def __init__(
        self,
        channel: Channel,
        ctx: ServerContext,
        identity: StationIdentity,
        *,
        boot_accepted: bool,
    ) -> None:
        self.channel = channel
        self.ctx = ctx
        self.identity = identity
        self.boot_accepted = boot_accepted
        self.correlator = Correlator(identity.station_id)
        self._seen_ids: OrderedDict[str, None] = OrderedDict()
        self._tasks: set[asyncio.Task[Any]] = set()
        self.rate_limit = RateLimit.from_settings(ctx.settings, identity.station_id)

    @property
    def id(self) -> str:
        return self.identity.station_id

    async def serve(self) -> None:
        """Read and handle frames until the socket closes (the caller catches the close)."""
        try:
            while True:
                raw = await self.channel.recv()
                await self.handle_frame(raw)
        finally:
            self.closed()

    def closed(self) -> None:
        """The socket is gone: callers waiting for answers hear it now, not at their timeout.

        Follow-ups are not cancelled: one waiting for the station's answer ends with that
        ConnectionError, one yet to call fails at its send, and one whose answer came in just
        before the close (a station answering CertificateSigned and hanging up) still records
        it: the station did answer, and what it said is not to be lost."""
        self.correlator.fail_all(ConnectionError(f"station {self.id!r} disconnected"))

    async def handle_frame(self, raw: str) -> None:
        try:
            frame = parse_frame(raw, self.ocpp_version)
        except FrameError as error:
            self._log("in", raw, None, error.unique_id, None)
            await self._send_error(error.unique_id, error)
            return
        action = frame.action if isinstance(frame, Call | Send) else None
        self._log("in", raw, frame.message_type, frame.unique_id, action)
        if isinstance(frame, Call):
            if not self.rate_limit.allow():  # refused before any handler runs (rate_limit.py)
                await self._send_error(frame.unique_id, RATE_LIMITED)
                return
            await self._handle_call(frame)
        elif isinstance(frame, CallResult | CallError):
            self.correlator.resolve(frame)
        else:
            await self.handle_extra(frame)

    async def handle_extra(self, frame: Send | CallResultError) -> None:
        """Message types only some versions know (2.1's SEND and CALLRESULTERROR)."""
        raise NotImplementedError  # parse_frame yields them only for versions that override this

    async def _handle_call(self, call: Call) -> None:
        known = call.action in self.known_actions
        with observing_call(call.action, call.unique_id, known=known) as observed:
            try:
                payload = await self._dispatch(call)
            except RpcError as error:
                observed.result = "callerror"
                await self._send_error(call.unique_id, error)
                return
            except ChargeyardError as error:
                observed.result = "callerror"
                await self._send_error(call.unique_id, from_domain_error(error))
                return
            except Exception:
                observed.result = "internal_error"
                logger.exception("%s: handler for %s failed", self.id, call.action)
                await self._send_error(call.unique_id, RpcError(Kind.INTERNAL, "internal error"))
                return
            await self._send(
                encode_result(call.unique_id, payload), CALLRESULT, call.unique_id, None
            )

    async def _dispatch(self, call: Call) -> dict[str, Any]:
        if call.unique_id in self._seen_ids:
            raise RpcError(Kind.PROTOCOL, f"message id {call.unique_id!r} was used before")
        self._remember(call.unique_id)
        handler = self.route_table.get(call.action)
        if handler is None:
            known = call.action in self.known_actions
            raise RpcError(
                Kind.NOT_SUPPORTED if known else Kind.NOT_IMPLEMENTED,
                f"{call.action} is {'not supported by a CSMS' if known else 'not a known action'}",
            )
        if call.action != "BootNotification" and not self.boot_accepted:
            raise RpcError(
                Kind.SECURITY, "the station must be accepted by a BootNotification first"
            )
        schemas.validate(self.ocpp_version, CALL, call.action, call.payload)
        if call.may_hold_nul:
            check_text(call.payload)
        response = handler(self, **from_wire(call.payload))
        if inspect.isawaitable(response):
            response = await response
        payload: dict[str, Any] = to_wire(response)
        try:
            schemas.validate(self.ocpp_version, CALLRESULT, call.action, payload)
        except RpcError as error:
            # Our own answer broke the schema: a bug here, never the station's fault.
            logger.error("%s: invalid %s response %s: %s", self.id, call.action, payload, error)
            raise RpcError(Kind.INTERNAL, "the CSMS produced an invalid response") from None
        return payload

    async def call(self, request: Any, suppress: bool = True) -> Any:
        """Send a CALL (a `call` dataclass of this version) and return the answer as the
        matching `call_result` dataclass. A CALLERROR answer returns None, or raises
        `StationCallError` when `suppress` is False. Raises TimeoutError when the station is
        silent for the configured call timeout, ConnectionError when the socket closes."""
        action = type(request).__name__
        payload = to_wire(request)
        schemas.validate(self.ocpp_version, CALL, action, payload)
        try:
            return await self.send_call(action, payload, self.ctx.settings.call_timeout_s)
        except StationCallError:
            if suppress:
                return None
            raise

    async def send_call(self, action: str, payload: dict[str, Any], timeout_s: float) -> Any:
        """Send an already validated CALL payload; the answer as a `call_result` dataclass."""
        async with self.correlator.lock:
            unique_id = self.correlator.next_id()
            frame = encode_call(unique_id, action, payload)
            answer = await self.correlator.exchange(
                unique_id, lambda: self._send(frame, CALL, unique_id, action), timeout_s
            )
        if isinstance(answer, CallError):
            logger.info("%s: %s answered with CALLERROR %s", self.id, action, answer.code)
            raise StationCallError(answer.code, answer.description)
        try:
            schemas.validate(self.ocpp_version, CALLRESULT, action, answer.payload)
        except RpcError as error:
            raise StationCallError(error.code(self.ocpp_version), error.description) from None
        return getattr(self.result_types, action)(**from_wire(answer.payload))

    def _remember(self, unique_id: str) -> None:
        self._seen_ids[unique_id] = None
        if len(self._seen_ids) > _REMEMBERED_IDS:
            self._seen_ids.popitem(last=False)

    async def _send_error(self, unique_id: str, error: RpcError) -> None:
        frame = encode_error(unique_id, error.code(self.ocpp_version), error.description)
        await self._send(frame, CallError.message_type, unique_id, None)

    async def _send(
        self, frame: str, message_type: int, unique_id: str, action: str | None
    ) -> None:
        self._log("out", frame, message_type, unique_id, action)
        await self.channel.send(frame)

    def _log(
        self,
        direction: str,
        frame: str,
        message_type: int | None,
        unique_id: str | None,
        action: str | None,
    ) -> None:
        self.ctx.message_log.frame(
            station_id=self.identity.station_id,
            organization_id=self.identity.organization_id,
            direction=direction,
            frame=frame,
            message_type=message_type,
            unique_id=unique_id,
            action=action,
        )

    def spawn(self, coroutine: Coroutine[Any, Any, Any]) -> "asyncio.Task[Any]":
        """Run follow-up work (e.g. a CALL to the station) outside the read loop, held here
        until it ends; a closed socket ends its wait for an answer (`closed`)."""
        task = asyncio.create_task(coroutine)
        self._tasks.add(task)
        task.add_done_callback(self._follow_up_done)
        return task

    def _follow_up_done(self, task: "asyncio.Task[Any]") -> None:
        self._tasks.discard(task)
        if task.cancelled() or task.exception() is None:
            return
        if is_disconnect(task.exception()):  # the station left meanwhile: not an error
            logger.info("%s: disconnected before a follow-up call: %s", self.id, task.exception())
            return
        logger.error("%s: follow-up task failed", self.id, exc_info=task.exception())
