"""One station's OCPP-J session: framing, dispatch, errors and logging, for every version.

Version subclasses only add `@on` handlers (translation to domain calls). This base guarantees
the rules of OCPP-J: every CALL gets exactly one CALLRESULT or CALLERROR, a bad frame never closes
the connection, and only one CALL is outstanding per direction (inbound frames are handled in
order; outbound calls hold the library's call lock).
"""

import asyncio
import inspect
import json
import logging
from collections import OrderedDict
from typing import Any, ClassVar, Protocol

from jsonschema.exceptions import best_match
from ocpp.charge_point import (
    ChargePoint,
    camel_to_snake_case,
    remove_nones,
    serialize_as_dict,
    snake_to_camel_case,
)
from ocpp.messages import Call, CallError, CallResult, get_validator

from chargeyard.protocol.context import ServerContext, StationIdentity
from chargeyard.protocol.convert import check_text
from chargeyard.protocol.frames import FrameError, parse_frame
from chargeyard.protocol.rate_limit import RATE_LIMITED, RateLimit
from chargeyard.protocol.rpc_errors import Kind, RpcError, from_schema_error

logger = logging.getLogger(__name__)

_REMEMBERED_IDS = 1000
_CLOSED = (ConnectionError, EOFError)  # issue 16: how a closed socket reaches follow-up tasks


class Channel(Protocol):
    """The socket as a session sees it: text frames in and out."""

    async def recv(self) -> str: ...

    async def send(self, message: str) -> None: ...


class StationSession(ChargePoint):  # type: ignore[misc]  # the library is untyped
    subprotocol: ClassVar[str]
    _ocpp_version: ClassVar[str]
    known_actions: ClassVar[frozenset[str]]

    def __init__(
        self,
        channel: Channel,
        ctx: ServerContext,
        identity: StationIdentity,
        *,
        boot_accepted: bool,
    ) -> None:
        super().__init__(identity.station_id, channel, response_timeout=ctx.settings.call_timeout_s)
        self.ctx = ctx
        self.identity = identity
        self.boot_accepted = boot_accepted
        self._seen_ids: OrderedDict[str, None] = OrderedDict()
        self.rate_limit = RateLimit.from_settings(ctx.settings, identity.station_id)  # issue 16

    async def serve(self) -> None:
        """Read and handle frames until the socket closes (the caller catches the close)."""
        while True:
            raw = await self._connection.recv()
            await self.handle_frame(raw)

    async def handle_frame(self, raw: str) -> None:
        try:
            message = parse_frame(raw)
        except FrameError as error:
            self._log("in", raw, None, error.unique_id, None)
            await self._send_error(error.unique_id, error)
            return
        action = message.action if isinstance(message, Call) else None
        self._log("in", raw, message.message_type_id, message.unique_id, action)
        if isinstance(message, Call) and not self.rate_limit.allow():  # issue 16: rate_limit.py
            await self._send_error(message.unique_id, RATE_LIMITED)
            return
        if isinstance(message, Call):
            await self._handle_call(message)
        else:
            self._response_queue.put_nowait(message)

    async def _handle_call(self, call: Call) -> None:
        try:
            payload = await self._dispatch(call)
        except RpcError as error:
            await self._send_error(call.unique_id, error)
            return
        except Exception:
            logger.exception("%s: handler for %s failed", self.id, call.action)
            await self._send_error(call.unique_id, RpcError(Kind.INTERNAL, "internal error"))
            return
        await self._send(CallResult(call.unique_id, payload, action=call.action).to_json())

    async def _dispatch(self, call: Call) -> dict[str, Any]:
        if call.unique_id in self._seen_ids:
            raise RpcError(Kind.PROTOCOL, f"message id {call.unique_id!r} was used before")
        self._remember(call.unique_id)
        route = self.route_map.get(call.action, {})
        handler = route.get("_on_action")
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
        self._validate(call.action, call.message_type_id, call.payload)
        check_text(call.payload)
        response = handler(**camel_to_snake_case(call.payload))
        if inspect.isawaitable(response):
            response = await response
        payload: dict[str, Any] = snake_to_camel_case(remove_nones(serialize_as_dict(response)))
        self._validate(call.action, CallResult.message_type_id, payload)
        return payload

    def _validate(self, action: str, message_type_id: int, payload: dict[str, Any]) -> None:
        try:
            validator = get_validator(message_type_id, action, self._ocpp_version)
        except OSError:
            raise RpcError(Kind.NOT_IMPLEMENTED, f"{action} is not a known action") from None
        error = best_match(validator.iter_errors(payload))
        if error is None:
            return
        if message_type_id == CallResult.message_type_id:
            # Our own answer broke the schema: a bug here, never the station's fault.
            logger.error("%s: invalid %s response %s: %s", self.id, action, payload, error.message)
            raise RpcError(Kind.INTERNAL, "the CSMS produced an invalid response")
        raise from_schema_error(error, self._ocpp_version)

    def _remember(self, unique_id: str) -> None:
        self._seen_ids[unique_id] = None
        if len(self._seen_ids) > _REMEMBERED_IDS:
            self._seen_ids.popitem(last=False)

    async def _send_error(self, unique_id: str, error: RpcError) -> None:
        frame = CallError(unique_id, error.code(self._ocpp_version), error.description, {})
        await self._send(frame.to_json())

    async def _send(self, message: str) -> None:
        try:
            frame = json.loads(message)
            message_type, unique_id = frame[0], frame[1]
            action = frame[2] if message_type == Call.message_type_id else None
        except (ValueError, IndexError, TypeError):
            message_type, unique_id, action = None, None, None
        self._log("out", message, message_type, unique_id, action)
        await self._connection.send(message)

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

    def spawn(self, coroutine: Any) -> "asyncio.Task[Any]":
        """Run follow-up work (e.g. a CALL to the station) outside the read loop."""
        task = asyncio.create_task(coroutine)
        task.add_done_callback(_log_task_failure)
        return task


def _log_task_failure(task: "asyncio.Task[Any]") -> None:
    # issue 16: a station that closed its socket is normal, not an error (no traceback).
    if not task.cancelled() and not isinstance(task.exception(), (type(None), *_CLOSED)):
        logger.error("station follow-up task failed", exc_info=task.exception())
