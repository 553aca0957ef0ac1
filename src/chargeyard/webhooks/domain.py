"""Webhook rules without I/O: delivery states, the retry schedule, and the signed request.

A delivery is one event owed to one subscription. It stays `pending` until a 2xx answer makes it
`delivered`, or until the retry schedule runs out (or the payload can never be sent) and it is
`failed`. Deliveries of one subscription form lanes, one per station (events without a station
share one lane); only a lane's oldest pending delivery may be sent, which keeps each station's
events in order while a failing station holds back no other.
"""

import json
import random
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any

from chargeyard import __version__
from chargeyard.webhooks.signing import signature_header

JITTER = 0.2
USER_AGENT = f"Chargeyard-Webhooks/{__version__}"


class DeliveryStatus(StrEnum):
    PENDING = "pending"
    DELIVERED = "delivered"
    FAILED = "failed"


def lane_of(station_id: str | None) -> str:
    return station_id or ""


def retry_delay(
    failed_attempts: int, schedule: Sequence[float], rng: random.Random | None = None
) -> float | None:
    """Seconds to wait after the n-th failed attempt, with jitter; None when the schedule is spent."""
    if failed_attempts > len(schedule):
        return None
    base = schedule[failed_attempts - 1]
    return base * (rng or random).uniform(1 - JITTER, 1 + JITTER)


def should_disable(last_success_at: datetime | None, first_attempt_at: datetime) -> bool:
    """A delivery that spent its schedule disables the subscription if nothing succeeded since."""
    return last_success_at is None or last_success_at < first_attempt_at


@dataclass(frozen=True)
class OutgoingRequest:
    url: str
    headers: dict[str, str]
    body: bytes


def encode(envelope: dict[str, Any]) -> bytes:
    return json.dumps(envelope, separators=(",", ":"), ensure_ascii=False).encode()


def build_request(
    url: str, live_secrets: Sequence[str], message_id: str, body: bytes, now: datetime
) -> OutgoingRequest:
    """The POST for one attempt: a fresh timestamp and one signature per live secret."""
    timestamp = int(now.timestamp())
    headers = {
        "content-type": "application/json",
        "user-agent": USER_AGENT,
        "webhook-id": message_id,
        "webhook-timestamp": str(timestamp),
        "webhook-signature": signature_header(live_secrets, message_id, timestamp, body),
    }
    return OutgoingRequest(url=url, headers=headers, body=body)


@dataclass(frozen=True)
class Outcome:
    """What one attempt came to. `permanent` failures are not retried (say, an oversized payload)."""

    status_code: int | None
    latency_ms: float
    response_body: str | None = None
    error: str | None = None
    permanent: bool = False

    @property
    def ok(self) -> bool:
        return self.status_code is not None and 200 <= self.status_code < 300
