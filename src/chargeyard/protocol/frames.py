"""OCPP-J framing: a text frame in, one typed message out (or an `FrameError` that says
precisely what is wrong with it), and the frames this CSMS sends, encoded once.

Frames are parsed and encoded with `orjson` (one parse and one serialization per frame). It
refuses JSON nested deeper than 1,024 levels, so a hostile frame nested 10,000 deep is a
FormatViolation like any other malformed frame, never a RecursionError that drops the socket.

OCPP 2.1 adds two message types: SEND `[6, id, action, payload]` (never answered) and
CALLRESULTERROR `[5, id, code, description, details]`; other versions refuse them as unknown.
"""

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

import orjson

from chargeyard.protocol.rpc_errors import Kind, RpcError

UNKNOWN_ID = "-1"
MAX_ID_LENGTH = 36

CALL = 2
CALLRESULT = 3
CALLERROR = 4
CALLRESULTERROR = 5
SEND = 6


class FrameError(RpcError):
    """A frame that cannot be parsed; `unique_id` is what could be read of it, or "-1"."""

    def __init__(self, kind: Kind, description: str, unique_id: str = UNKNOWN_ID) -> None:
        super().__init__(kind, description)
        self.unique_id = unique_id


@dataclass(frozen=True, slots=True)
class Call:
    unique_id: str
    action: str
    payload: dict[str, Any]
    may_hold_nul: bool = field(default=True, compare=False)
    """False when the frame's text has no `\\u0000` escape, so no string of the payload holds
    a NUL character: the JSON parser refuses a raw control character inside a string, so the
    escape is the only way one gets in. The NUL check (`convert.check_text`) then needs no walk
    of the payload."""
    message_type = CALL


@dataclass(frozen=True, slots=True)
class Send:
    """An OCPP 2.1 SEND: like a CALL, but never answered."""

    unique_id: str
    action: str
    payload: dict[str, Any]
    message_type = SEND


@dataclass(frozen=True, slots=True)
class CallResult:
    unique_id: str
    payload: dict[str, Any]
    message_type = CALLRESULT


@dataclass(frozen=True, slots=True)
class CallError:
    unique_id: str
    code: str
    description: str
    details: Any
    message_type = CALLERROR


@dataclass(frozen=True, slots=True)
class CallResultError:
    """An OCPP 2.1 CALLRESULTERROR: the station could not use one of our CALLRESULTs."""

    unique_id: str
    code: str
    description: str
    details: Any
    message_type = CALLRESULTERROR


Frame = Call | Send | CallResult | CallError | CallResultError


def parse_frame(raw: str | bytes, version: str) -> Frame:
    frame = _load(raw)
    if not isinstance(frame, list) or len(frame) < 3:
        raise FrameError(Kind.RPC_FRAMEWORK, "frame must be a JSON array of 3 to 5 elements")
    message_type, unique_id = frame[0], frame[1]
    if not isinstance(unique_id, str) or not 0 < len(unique_id) <= MAX_ID_LENGTH:
        raise FrameError(Kind.RPC_FRAMEWORK, "message id must be a string of 1 to 36 characters")
    if message_type == CALL or (message_type == SEND and version == "2.1"):
        name = "CALL" if message_type == CALL else "SEND"
        if len(frame) != 4 or not isinstance(frame[2], str):
            raise FrameError(
                Kind.FORMAT, f"a {name} is [{message_type}, id, action, payload]", unique_id
            )
        if not isinstance(frame[3], dict):
            raise FrameError(Kind.FORMAT, f"a {name} payload must be a JSON object", unique_id)
        if message_type == CALL:
            return Call(unique_id, frame[2], frame[3], _nul_escaped(raw))
        return Send(unique_id, frame[2], frame[3])
    if message_type == CALLRESULT:
        if len(frame) != 3 or not isinstance(frame[2], dict):
            raise FrameError(Kind.FORMAT, "a CALLRESULT is [3, id, payload]", unique_id)
        return CallResult(unique_id, frame[2])
    if message_type == CALLERROR or (message_type == CALLRESULTERROR and version == "2.1"):
        if len(frame) != 5:
            raise FrameError(
                Kind.FORMAT,
                f"a CALLERROR is [{message_type}, id, code, description, details]",
                unique_id,
            )
        if message_type == CALLERROR:
            return CallError(unique_id, str(frame[2]), str(frame[3]), frame[4])
        return CallResultError(unique_id, str(frame[2]), str(frame[3]), frame[4])
    raise FrameError(
        Kind.MESSAGE_TYPE, f"message type {message_type!r} is not supported", unique_id
    )


def _nul_escaped(raw: str | bytes) -> bool:
    if isinstance(raw, str):
        return "\\u0000" in raw
    return b"\\u0000" in raw


def _load(raw: str | bytes) -> Any:
    try:
        return orjson.loads(raw)
    except orjson.JSONDecodeError as error:
        if str(error).startswith("depth limit exceeded"):
            # Malformed, not fatal: the version's FormationViolation/FormatViolation.
            raise FrameError(Kind.FORMAT, "frame is nested too deeply") from None
        raise FrameError(Kind.RPC_FRAMEWORK, f"frame is not valid JSON: {error}") from None


def encode_call(unique_id: str, action: str, payload: dict[str, Any]) -> str:
    return _dump([CALL, unique_id, action, payload])


def encode_result(unique_id: str, payload: dict[str, Any]) -> str:
    return _dump([CALLRESULT, unique_id, payload])


def encode_error(unique_id: str, code: str, description: str) -> str:
    return _dump([CALLERROR, unique_id, code, description, {}])


def _dump(frame: list[Any]) -> str:
    return orjson.dumps(frame, default=_number).decode()


def _number(value: Any) -> Any:
    if isinstance(value, Decimal):
        return float(value)
    raise TypeError(f"{type(value).__name__} cannot be sent in an OCPP frame")
