"""`LocalDispatcher`: send a neutral command to a station whose socket this node holds.

It implements `commands/dispatcher.py: Dispatcher` (the seam the commands runner and load
management send through): it finds the session in this node's `ConnectionRegistry`, renders
the command for the station's OCPP version, checks it against that version's schema (once:
the session sends it as checked here) and awaits the answer, turning every failure into an
`Outcome` rather than an exception.
"""

from typing import Any, Protocol

from chargeyard.commands.dispatcher import Dispatcher, Outcome
from chargeyard.commands.domain import Answer, Command, CommandNotSupported, Sent
from chargeyard.commands.domain import StationCallError as CommandCallError
from chargeyard.errors import ChargeyardError, Invalid, StationOffline, StationTimeout
from chargeyard.protocol import schemas
from chargeyard.protocol.frames import CALL
from chargeyard.protocol.registry import ConnectionRegistry
from chargeyard.protocol.rpc_errors import RpcError
from chargeyard.protocol.session import StationCallError, StationSession
from chargeyard.protocol.v16 import commands as v16_commands
from chargeyard.protocol.v21 import commands as v21_commands
from chargeyard.protocol.v201 import commands as v201_commands
from chargeyard.protocol.wire import to_wire


class Renderer(Protocol):
    """One protocol version's translation of neutral commands (a module such as v16.commands)."""

    def render(self, command: Command) -> Any: ...

    def parse(self, result: Any) -> Answer: ...


RENDERERS: dict[str, Renderer] = {
    module.PROTOCOL: module for module in (v16_commands, v201_commands, v21_commands)
}


class LocalDispatcher(Dispatcher):
    def __init__(self, registry: ConnectionRegistry) -> None:
        self.registry = registry

    async def send(self, station_id: str, command: Command, timeout_s: float) -> Outcome:
        session = self.registry.get(station_id)
        if session is None:
            return Outcome(error=StationOffline(f"station {station_id!r} is not connected"))
        renderer = RENDERERS.get(session.subprotocol)
        if renderer is None:
            return Outcome(error=CommandNotSupported(command.name, session.subprotocol))
        try:
            sent = _checked(renderer.render(command), session)
        except ChargeyardError as error:
            return Outcome(error=error)
        try:
            result = await session.send_call(sent.action, sent.payload, timeout_s)
        except TimeoutError:
            return Outcome(sent, error=self._no_answer(session, timeout_s))
        except (ConnectionError, OSError, RuntimeError):
            # The socket closed under the call (Starlette raises RuntimeError for a send after
            # close): the station is gone, not broken.
            station_id = session.identity.station_id
            return Outcome(sent, error=StationOffline(f"station {station_id!r} disconnected"))
        except StationCallError as error:
            return Outcome(sent, error=CommandCallError(error.code, error.description))
        return Outcome(sent, answer=renderer.parse(result))

    def _no_answer(self, session: StationSession, timeout_s: float) -> ChargeyardError:
        station_id = session.identity.station_id
        if self.registry.get(station_id) is not session:
            return StationOffline(f"station {station_id!r} disconnected before answering")
        return StationTimeout(f"station {station_id!r} did not answer within {timeout_s:g} s")


def _checked(payload: Any, session: StationSession) -> Sent:
    """The wire form of `payload`, refused (422) if it breaks the version's schema."""
    wire = to_wire(payload)
    action = type(payload).__name__
    try:
        schemas.validate(session.ocpp_version, CALL, action, wire)
    except RpcError as error:
        raise Invalid(f"{action} would break the OCPP schema: {error.description}") from None
    return Sent(action=action, payload=wire)
