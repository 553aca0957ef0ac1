"""One INFO log line for each committed boot and charging session start or stop.

A commit listener (`Database.commit_listeners`): it hears of events only once they are durable,
for every protocol version alike, so the log says what was stored, not what was attempted.
Connections and commands are logged where they happen (the OCPP endpoint, the dispatcher).
"""

import contextvars
import logging
from collections.abc import Sequence
from typing import Any

from chargeyard.events.payloads import SESSION_STARTED, SESSION_STOPPED, STATION_BOOTED

logger = logging.getLogger("chargeyard.events")

LOGGED_TYPES = frozenset({STATION_BOOTED.name, SESSION_STARTED.name, SESSION_STOPPED.name})


def log_committed_events(published: Sequence[Any]) -> None:
    for row in published:
        kind = getattr(row, "type", None)
        if kind not in LOGGED_TYPES:
            continue
        fields = {
            "event": kind,
            "event_id": getattr(row, "id", None),
            "organization_id": getattr(row, "organization_id", None),
            "station_id": getattr(row, "station_id", None),
            "transaction_id": getattr(row, "transaction_id", None),
        }
        # A group commit announces many stations' events from one task: log each in a fresh
        # context so no other station's bound fields (action, message id) attach to the line.
        contextvars.Context().run(logger.info, "%s", kind, extra=fields)
