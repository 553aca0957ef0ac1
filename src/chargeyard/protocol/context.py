"""What a station session knows beyond its socket: the station it authenticated as.

`ServerContext` (the process-wide services) lives in `chargeyard/server_context.py`; it is
re-exported here only for the adapter modules that still import it from this one.
"""

from dataclasses import dataclass

from chargeyard.server_context import ServerContext

__all__ = ["ServerContext", "StationIdentity"]


@dataclass(frozen=True)
class StationIdentity:
    """The station a connection authenticated as, and the tenant that owns it."""

    station_id: str
    organization_id: str
