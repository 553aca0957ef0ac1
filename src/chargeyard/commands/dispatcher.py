"""The seam through which a neutral command reaches a station: `Dispatcher` and its `Outcome`.

The commands runner and load management send through a `Dispatcher` without knowing how a
station is reached. The OCPP adapter implements it (`protocol/dispatch.py: LocalDispatcher`
finds the session in this node's connection registry); a bus-backed dispatcher for several
nodes would forward the same command to the node that holds the socket. Either way the caller
gets an `Outcome` (never an exception), so what was sent and what went wrong can both be
recorded.
"""

import dataclasses
from abc import ABC, abstractmethod

from chargeyard.commands.domain import Answer, Command, Sent
from chargeyard.errors import ChargeyardError


@dataclasses.dataclass(frozen=True)
class Outcome:
    """`answer` when the station answered; otherwise `error`. `sent` once a CALL went out."""

    sent: Sent | None = None
    answer: Answer | None = None
    error: ChargeyardError | None = None


class Dispatcher(ABC):
    @abstractmethod
    async def send(self, station_id: str, command: Command, timeout_s: float) -> Outcome:
        """Deliver `command` to the station and wait up to `timeout_s` for its answer."""
