"""The OCPP 2.1 session: the 2.0.1 handlers with 2.1's messages and schemas, the messages only
2.1 has (handlers by block in this package: payments, der, streams, charging, certificates), plus
the two message types 2.1 adds to OCPP-J.

- SEND `[6, id, action, payload]` is a message that is never answered (NotifyPeriodicEventStream):
  it is validated and its values stored with their stream, and a bad one is dropped with a log
  line, never a CALLERROR.
- CALLRESULTERROR `[5, id, code, description, details]` is a station saying one of our
  CALLRESULTs was unusable: it is logged, there is nothing to answer.
"""

import logging
from typing import Any

from ocpp.v21 import call, call_result
from ocpp.v21.enums import Action

from chargeyard.protocol import schemas
from chargeyard.protocol.frames import SEND, CallResultError, Send
from chargeyard.protocol.router import on
from chargeyard.protocol.rpc_errors import RpcError
from chargeyard.protocol.v21.certificates import CertificateChainHandlers
from chargeyard.protocol.v21.charging import ChargingHandlers
from chargeyard.protocol.v21.der import DerHandlers
from chargeyard.protocol.v21.driver_tariffs import DriverTariffs
from chargeyard.protocol.v21.payments import PaymentHandlers
from chargeyard.protocol.v21.streams import StreamHandlers
from chargeyard.protocol.v201 import translate
from chargeyard.protocol.v201.session import V201Session

logger = logging.getLogger(__name__)

PERIODIC_EVENT_STREAM = "NotifyPeriodicEventStream"


class V21Session(
    PaymentHandlers,
    DerHandlers,
    StreamHandlers,
    ChargingHandlers,
    CertificateChainHandlers,
    DriverTariffs,
    V201Session,
):
    subprotocol = "ocpp2.1"
    ocpp_version = "2.1"
    call_types = call
    result_types = call_result
    known_actions = frozenset(action.value for action in Action)

    @on(Action.authorize)
    async def on_authorize(self, id_token: dict[str, Any], **fields: Any) -> Any:
        """2.0.1's answer, with the driver's own tariff where it differs from the station's
        default (`driver_tariffs.py`)."""
        answer = await super().on_authorize(id_token=id_token, **fields)
        if answer.id_token_info["status"] == "Accepted":
            answer.tariff = await self._driver_tariff(translate.id_tag(id_token))
        return answer

    @on(Action.transaction_event)
    async def on_transaction_event(self, **fields: Any) -> Any:
        """2.0.1's answer; at a Started event, a session whose tariff the station does not
        calculate with is noted (`driver_tariffs.py`)."""
        answer = await super().on_transaction_event(**fields)
        if fields.get("event_type") == "Started":
            await self._check_session_tariff(fields["transaction_info"])
        return answer

    async def handle_extra(self, frame: Send | CallResultError) -> None:
        if isinstance(frame, CallResultError):
            logger.warning(
                "%s: station rejected our answer to %s: %s %s",
                self.id,
                frame.unique_id,
                frame.code,
                frame.description,
            )
            return
        try:
            if frame.action != PERIODIC_EVENT_STREAM:
                raise ValueError(f"{frame.action!r} is not a message sent with SEND")
            schemas.validate(self.ocpp_version, SEND, frame.action, frame.payload)
            await self.receive_stream_values(frame.payload)
        except (RpcError, KeyError, TypeError, ValueError) as error:
            logger.warning("%s: dropped SEND %s: %s", self.id, frame.unique_id, error)
