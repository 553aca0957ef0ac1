"""OCPP-J framing: turning a text frame into a Call, CallResult or CallError, or an RpcError
that says precisely what is wrong with it."""

import json
from typing import Any

from ocpp.messages import Call, CallError, CallResult

from chargeyard.protocol.rpc_errors import Kind, RpcError

UNKNOWN_ID = "-1"
MAX_ID_LENGTH = 36


class FrameError(RpcError):
    """A frame that cannot be parsed; `unique_id` is what could be read of it, or "-1"."""

    def __init__(self, kind: Kind, description: str, unique_id: str = UNKNOWN_ID) -> None:
        super().__init__(kind, description)
        self.unique_id = unique_id


def parse_frame(raw: str) -> Call | CallResult | CallError:
    try:
        frame: Any = json.loads(raw)
    except (json.JSONDecodeError, UnicodeDecodeError) as error:
        raise FrameError(Kind.RPC_FRAMEWORK, f"frame is not valid JSON: {error}") from None
    except RecursionError:
        # A frame nested thousands deep (a few kilobytes of "[") exhausts the parser's stack;
        # it is malformed, not fatal: the version's FormationViolation/FormatViolation.
        raise FrameError(Kind.FORMAT, "frame is nested too deeply") from None
    if not isinstance(frame, list) or len(frame) < 3:
        raise FrameError(Kind.RPC_FRAMEWORK, "frame must be a JSON array of 3 to 5 elements")
    message_type, unique_id = frame[0], frame[1]
    if not isinstance(unique_id, str) or not 0 < len(unique_id) <= MAX_ID_LENGTH:
        raise FrameError(Kind.RPC_FRAMEWORK, "message id must be a string of 1 to 36 characters")
    if message_type == Call.message_type_id:
        if len(frame) != 4 or not isinstance(frame[2], str):
            raise FrameError(Kind.FORMAT, "a CALL is [2, id, action, payload]", unique_id)
        if not isinstance(frame[3], dict):
            raise FrameError(Kind.FORMAT, "a CALL payload must be a JSON object", unique_id)
        return Call(unique_id, frame[2], frame[3])
    if message_type == CallResult.message_type_id:
        if len(frame) != 3 or not isinstance(frame[2], dict):
            raise FrameError(Kind.FORMAT, "a CALLRESULT is [3, id, payload]", unique_id)
        return CallResult(unique_id, frame[2])
    if message_type == CallError.message_type_id:
        if len(frame) != 5:
            raise FrameError(
                Kind.FORMAT, "a CALLERROR is [4, id, code, description, details]", unique_id
            )
        return CallError(unique_id, frame[2], frame[3], frame[4])
    raise FrameError(
        Kind.MESSAGE_TYPE, f"message type {message_type!r} is not supported", unique_id
    )
