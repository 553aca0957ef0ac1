"""The record a station keeps of each CALL it sends, and who receives those records.

Stations hand each record to a `CallRecorder`: a test keeps them all in a `CallLog`, a
fleet of thousands folds them into `LatencyStats` so memory stays flat.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Protocol


class CallOutcome(StrEnum):
    ANSWERED = "answered"
    CALL_ERROR = "call_error"
    TIMED_OUT = "timed_out"
    DISCONNECTED = "disconnected"
    # The run stopped while the CALL was out: the CSMS may or may not have seen it.
    CANCELLED = "cancelled"


@dataclass(frozen=True)
class CallRecord:
    """One CALL: when it was sent and how long the answer took (None if none came)."""

    station_id: str
    action: str
    sent_at: datetime
    outcome: CallOutcome
    latency_s: float | None


class CallRecorder(Protocol):
    def record(self, record: CallRecord) -> None: ...


class CallLog:
    """Keeps every record, for tests and single stations."""

    def __init__(self) -> None:
        self.records: list[CallRecord] = []

    def record(self, record: CallRecord) -> None:
        self.records.append(record)

    def actions(self) -> list[str]:
        return [record.action for record in self.records]
