"""Which session holds each station's socket on this node.

A station that connects again replaces its old session (stations reconnect before the old TCP
connection has timed out); the registry says which session is current so that the old one's
teardown does not mark the station offline.
"""

from chargeyard.protocol.session import StationSession


class ConnectionRegistry:
    def __init__(self) -> None:
        self._sessions: dict[str, StationSession] = {}

    def register(self, session: StationSession) -> StationSession | None:
        """Make `session` current; returns the session it replaces, if any."""
        station_id = session.identity.station_id
        previous = self._sessions.get(station_id)
        self._sessions[station_id] = session
        return previous

    def unregister(self, session: StationSession) -> bool:
        """Forget `session`; True when it was still the current one."""
        station_id = session.identity.station_id
        if self._sessions.get(station_id) is session:
            del self._sessions[station_id]
            return True
        return False

    def get(self, station_id: str) -> StationSession | None:
        return self._sessions.get(station_id)

    def __len__(self) -> int:
        return len(self._sessions)
