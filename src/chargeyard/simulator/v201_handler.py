"""What every OCPP 2.x command-handler class of the simulated station builds on.

A handler answers at once from the station's state; work that needs further CALLs (the
TransactionEvents of a remote start, a triggered message, firmware progress) is queued with
`after_reply` and runs as its own task once the answer is on the wire, since awaiting a CALL
inside a handler would stall the read loop that must deliver its answer. Answers are 2.0.1
`call_result`s for both versions: the library serialises them field by field and validates
them with the session's own (2.0.1 or 2.1) schemas.
"""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from typing import TYPE_CHECKING, Any, TypeVar, cast

from ocpp.routing import on

if TYPE_CHECKING:
    from chargeyard.simulator.station_v201 import SimulatedStationV201

Handler = TypeVar("Handler", bound=Callable[..., Any])
FollowUp = Callable[[], Coroutine[Any, Any, object]]


def handles(action: str) -> Callable[[Handler], Handler]:
    """`ocpp.routing.on`, typed, so handlers keep their signatures for mypy."""
    return cast(Callable[[Handler], Handler], on(action))


class Handlers:
    station: SimulatedStationV201
    _follow_ups: list[FollowUp]

    def after_reply(self, follow_up: FollowUp) -> None:
        self._follow_ups.append(follow_up)

    def refuses(self, action: str) -> bool:
        """Whether the station's behaviour takes the negative path for `action`."""
        return not self.station.behaviour.accepts(action)

    def evse_known(self, evse: dict[str, Any] | None) -> bool:
        """No EVSE (the station) or one this station has, with connector 1 if named."""
        if evse is None:
            return True
        return self.station.charger.has(evse["id"]) and evse.get("connector_id", 1) == 1
