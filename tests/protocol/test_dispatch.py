"""The in-process dispatcher's answers when a station is gone or cannot do what is asked."""

from typing import Any

from chargeyard.commands.domain import ChangeAvailability, CommandNotSupported, Reset, ResetType
from chargeyard.errors import StationOffline
from chargeyard.protocol.context import StationIdentity
from chargeyard.protocol.dispatch import LocalDispatcher
from chargeyard.protocol.registry import ConnectionRegistry


class DroppingSession:
    """A 1.6 session whose socket closes while a CALL is under way."""

    subprotocol = "ocpp1.6"
    ocpp_version = "1.6"

    def __init__(self) -> None:
        self.identity = StationIdentity("CP-DROP", "org")
        self.calls = 0

    async def send_call(self, action: str, payload: dict[str, Any], timeout_s: float) -> Any:
        self.calls += 1
        raise ConnectionError("the station's socket is closed")  # as WebSocketChannel.send


def dispatcher_with(session: DroppingSession) -> LocalDispatcher:
    registry = ConnectionRegistry()
    registry.register(session)  # type: ignore[arg-type]
    return LocalDispatcher(registry)


async def test_a_socket_closing_mid_call_reads_as_offline() -> None:
    session = DroppingSession()
    outcome = await dispatcher_with(session).send("CP-DROP", Reset(type=ResetType.SOFT), 1.0)
    assert session.calls == 1
    assert isinstance(outcome.error, StationOffline)
    assert outcome.sent is not None and outcome.sent.action == "Reset"


async def test_1_6_refuses_what_it_cannot_address_and_sends_nothing() -> None:
    session = DroppingSession()
    dispatcher = dispatcher_with(session)
    one_evse = await dispatcher.send("CP-DROP", Reset(type=ResetType.HARD, evse_id=2), 1.0)
    second_connector = await dispatcher.send(
        "CP-DROP", ChangeAvailability(evse_id=1, operative=False, connector_id=2), 1.0
    )
    assert isinstance(one_evse.error, CommandNotSupported)
    assert isinstance(second_connector.error, CommandNotSupported)
    assert session.calls == 0
