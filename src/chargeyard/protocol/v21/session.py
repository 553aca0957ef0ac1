"""The OCPP 2.1 session: the 2.0.1 handlers with 2.1's messages and schemas, the messages only
2.1 has (handlers by block in this package: payments, der, streams, charging, certificates), plus
the two message types 2.1 adds to OCPP-J.

- SEND `[6, id, action, payload]` is a message that is never answered (NotifyPeriodicEventStream):
  it is validated and its values stored with their stream, and a bad one is dropped with a log
  line, never a CALLERROR.
- CALLRESULTERROR `[5, id, code, description, details]` is a station saying one of our
  CALLRESULTs was unusable: it is logged, there is nothing to answer.
"""

import json
import logging
from typing import Any

from jsonschema.exceptions import best_match
from ocpp.messages import get_validator
from ocpp.v21 import call, call_result
from ocpp.v21.enums import Action

from chargeyard.protocol.rpc_errors import RpcError
from chargeyard.protocol.v21.certificates import CertificateChainHandlers
from chargeyard.protocol.v21.charging import ChargingHandlers
from chargeyard.protocol.v21.der import DerHandlers
from chargeyard.protocol.v21.payments import PaymentHandlers
from chargeyard.protocol.v21.streams import StreamHandlers
from chargeyard.protocol.v201.session import V201Session

logger = logging.getLogger(__name__)

CALLRESULTERROR = 5
SEND = 6
PERIODIC_EVENT_STREAM = "NotifyPeriodicEventStream"


class V21Session(
    PaymentHandlers,
    DerHandlers,
    StreamHandlers,
    ChargingHandlers,
    CertificateChainHandlers,
    V201Session,
):
    subprotocol = "ocpp2.1"
    _ocpp_version = "2.1"
    _call = call
    _call_result = call_result
    known_actions = frozenset(action.value for action in Action)

    async def handle_frame(self, raw: str) -> None:
        frame = _peek(raw)
        if frame is None or frame[0] not in (SEND, CALLRESULTERROR):
            await super().handle_frame(raw)
            return
        unique_id = frame[1] if isinstance(frame[1], str) else None
        action = frame[2] if frame[0] == SEND and isinstance(frame[2], str) else None
        self._log("in", raw, frame[0], unique_id, action)
        if frame[0] == CALLRESULTERROR:
            logger.warning(
                "%s: station rejected our answer to %s: %s", self.id, unique_id, frame[2:]
            )
            return
        try:
            await self._handle_send(frame)
        except (RpcError, KeyError, TypeError, ValueError) as error:
            logger.warning("%s: dropped SEND %s: %s", self.id, unique_id, error)

    async def _handle_send(self, frame: list[Any]) -> None:
        if len(frame) != 4 or not isinstance(frame[3], dict):
            raise ValueError("a SEND is [6, id, action, payload]")
        action, payload = frame[2], frame[3]
        if action != PERIODIC_EVENT_STREAM:
            raise ValueError(f"{action!r} is not a message sent with SEND")
        error = best_match(get_validator(SEND, action, self._ocpp_version).iter_errors(payload))
        if error is not None:
            raise ValueError(error.message)
        await self.receive_stream_values(payload)


def _peek(raw: str) -> list[Any] | None:
    try:
        frame = json.loads(raw)
    except ValueError:
        return None
    return frame if isinstance(frame, list) and len(frame) >= 3 else None
