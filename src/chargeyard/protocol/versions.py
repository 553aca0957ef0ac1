"""The subprotocols this CSMS speaks, each mapped to its session class."""

from chargeyard.protocol.session import StationSession
from chargeyard.protocol.v16.session import V16Session
from chargeyard.protocol.v21.session import V21Session
from chargeyard.protocol.v201.session import V201Session

SESSIONS: dict[str, type[StationSession]] = {
    cls.subprotocol: cls for cls in (V16Session, V201Session, V21Session)
}


def choose_subprotocol(offered: list[str]) -> str | None:
    """The first subprotocol in the station's order of preference that we speak."""
    return next((p for p in offered if p in SESSIONS), None)
