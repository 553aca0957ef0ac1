"""Reconciliation request and response bodies."""

from datetime import datetime
from typing import Any

from pydantic import BaseModel, Field

from chargeyard.api.schemas import Input
from chargeyard.reconciliation.domain import Zombie

MAX_CLOSE = 500


class ZombieOut(BaseModel):
    transaction_id: int
    station_id: str
    evse_id: int
    connector_id: int
    started_at: datetime
    reason: str
    since: datetime
    last_meter_wh: int | None
    last_meter_at: datetime | None

    @classmethod
    def of(cls, found: Zombie) -> "ZombieOut":
        tx = found.session
        return cls(
            transaction_id=tx.transaction_id,
            station_id=tx.station_id,
            evse_id=tx.evse_id,
            connector_id=tx.connector_id,
            started_at=tx.started_at,
            reason=found.reason.value,
            since=found.since,
            last_meter_wh=tx.last_meter_wh,
            last_meter_at=tx.last_meter_at,
        )


class ZombieList(BaseModel):
    threshold_s: int
    items: list[ZombieOut]


class CloseZombiesIn(Input):
    """Which overdue zombies to close: the ids listed (each must be one), or all of them."""

    transaction_ids: list[int] | None = Field(None, min_length=1, max_length=MAX_CLOSE)
    reason: str = Field("Reconciled", min_length=1, max_length=32)
    threshold_s: int | None = Field(None, ge=1, le=30 * 86_400)
    dry_run: bool = False


class ClosedOut(ZombieOut):
    command_id: str | None
    remote_stop: dict[str, Any] | None


class SkippedOut(BaseModel):
    transaction_id: int
    detail: str


class CloseZombiesOut(BaseModel):
    threshold_s: int
    dry_run: bool
    closed: list[ClosedOut]
    skipped: list[SkippedOut]
    remaining: int


class PolicyIn(Input):
    """`auto_close`: close overdue zombie sessions without an operator's request, at the
    `session-zombie` rule's threshold, with `reason` as their stop reason."""

    auto_close: bool
    reason: str = Field("Reconciled", min_length=1, max_length=32)


class PolicyOut(BaseModel):
    auto_close: bool
    reason: str
    threshold_s: int
