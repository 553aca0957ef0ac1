"""Event type names and the patterns that select them (`session.*`, `*`). Pure: no I/O.

A pattern is a type name in which `*` stands for any run of characters, so `session.*` selects
`session.started` and `session.stopped`, and `*` selects everything. The same rule serves the
event log's `type` filter (as SQL LIKE) and webhook subscriptions (in Python).
"""

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from chargeyard.errors import Invalid

_PATTERN = re.compile(r"^[a-z0-9_.*]{1,64}$")


def check_pattern(pattern: str) -> str:
    if not _PATTERN.match(pattern):
        raise Invalid(
            f"event type pattern {pattern!r} may hold only a-z, 0-9, '_', '.' and '*' (1-64)"
        )
    return pattern


def matches(pattern: str, type: str) -> bool:
    regex = "^" + ".*".join(re.escape(part) for part in pattern.split("*")) + "$"
    return re.match(regex, type) is not None


def matches_any(patterns: Iterable[str], type: str) -> bool:
    return any(matches(pattern, type) for pattern in patterns)


def like_pattern(pattern: str) -> str:
    """The SQL LIKE form of a pattern (escape character `\\`)."""
    escaped = pattern.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return escaped.replace("*", "%")


@dataclass(frozen=True)
class EventFilter:
    """What the event log and the live stream select; every field is optional."""

    types: tuple[str, ...] = ()
    station_id: str | None = None
    transaction_id: int | None = None
    since: datetime | None = None
    until: datetime | None = None


@dataclass(frozen=True, slots=True)
class RecordedEvent:
    """An event a unit of work recorded, as its commit listeners hear of it: the row's values
    without an ORM object (building and flushing one per message cost more than the message's
    own statements). The stored row is `events.models.Event`."""

    id: str
    organization_id: str
    type: str
    occurred_at: datetime
    station_id: str | None
    transaction_id: int | None
    data: Mapping[str, Any]

    def row(self) -> dict[str, Any]:
        """The columns to insert (the log numbers it: `seq` by the database, `position` by the
        sequencer)."""
        return {
            "id": self.id,
            "organization_id": self.organization_id,
            "type": self.type,
            "occurred_at": self.occurred_at,
            "station_id": self.station_id,
            "transaction_id": self.transaction_id,
            "data": self.data,
            "fanned_out": False,
        }

    def envelope(self) -> dict[str, Any]:
        return envelope(
            id=self.id,
            type=self.type,
            occurred_at=self.occurred_at,
            organization_id=self.organization_id,
            station_id=self.station_id,
            transaction_id=self.transaction_id,
            data=self.data,
        )


def envelope(
    *,
    id: str,
    type: str,
    occurred_at: datetime,
    organization_id: str,
    station_id: str | None,
    transaction_id: int | None,
    data: Mapping[str, Any],
) -> dict[str, Any]:
    """An event as the outside world sees it: in webhook bodies and the live stream."""
    return {
        "id": id,
        "type": type,
        "occurred_at": occurred_at.isoformat().replace("+00:00", "Z"),
        "organization_id": organization_id,
        "station_id": station_id,
        "transaction_id": transaction_id,
        "data": data,
    }
