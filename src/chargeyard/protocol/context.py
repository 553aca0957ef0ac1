"""What every station session needs from the server process, passed in rather than imported."""

from dataclasses import dataclass

from chargeyard.clock import Clock
from chargeyard.message_log.writer import MessageLogWriter
from chargeyard.settings import Settings
from chargeyard.storage.database import Database


@dataclass(frozen=True)
class ServerContext:
    settings: Settings
    db: Database
    clock: Clock
    message_log: MessageLogWriter


@dataclass(frozen=True)
class StationIdentity:
    """The station a connection authenticated as, and the tenant that owns it."""

    station_id: str
    organization_id: str
