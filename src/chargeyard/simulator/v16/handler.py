"""What every OCPP 1.6 feature-profile handler class builds on.

Each feature profile of OCPP 1.6 (Core, Firmware Management, ...) answers its commands
in its own class; `StationChargePoint` combines them. A handler answers at once from the
station's state. Anything that needs further CALLs (StartTransaction after a remote
start, the status after ChangeAvailability) is queued with `after_reply` and runs as
its own task once the answer is on the wire: awaiting a CALL inside a handler would
stall the read loop that must deliver that CALL's answer.
"""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from typing import TYPE_CHECKING, Any, TypeVar, cast

from ocpp.routing import on
from ocpp.v16.enums import Action

if TYPE_CHECKING:
    from chargeyard.simulator.v16.station import SimulatedStation

Handler = TypeVar("Handler", bound=Callable[..., Any])
FollowUp = Callable[[], Coroutine[Any, Any, object]]


def handles(action: Action) -> Callable[[Handler], Handler]:
    """`ocpp.routing.on`, typed, so handlers keep their signatures for mypy."""
    return cast(Callable[[Handler], Handler], on(action))


class ProfileHandlers:
    station: SimulatedStation
    _follow_ups: list[FollowUp]

    def after_reply(self, follow_up: FollowUp) -> None:
        """Run `follow_up` once the answer to the command being handled has been sent."""
        self._follow_ups.append(follow_up)

    def refuses(self, action: Action) -> bool:
        """Whether the station's behaviour takes the negative path for `action`."""
        return not self.station.behaviour.accepts(action.value)
