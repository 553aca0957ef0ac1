"""`ServerContext`: the process-wide services a request, an OCPP session or a command runner is
handed (settings, database, clock, message log), passed in rather than imported."""

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
