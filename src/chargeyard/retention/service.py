"""One retention pass: every kind of record past its age deleted, batch by batch.

Each batch is its own short write transaction, so on SQLite the single writer is held for one
batch at a time and OCPP messages are committed between batches; on PostgreSQL the row locks
are as short. Raw meter values are folded into the hourly rollup in the same transaction that
deletes them, so a sample is never lost between the two: it is either raw or rolled up.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from dataclasses import replace
from datetime import datetime
from typing import Any

from chargeyard.retention import repository
from chargeyard.retention.domain import RetentionPolicy, RetentionReport, fold
from chargeyard.storage.database import Database
from chargeyard.storage.session import AsyncSession

Purge = Callable[[AsyncSession, datetime, int], Awaitable[int]]


async def run_pass(
    db: Database, policy: RetentionPolicy, now: datetime, *, dry_run: bool = False
) -> RetentionReport:
    """Delete what the policy no longer keeps (a dry run only counts it)."""
    if dry_run:
        return await _count(db, policy, now)
    report = RetentionReport()
    size = policy.batch_size
    if (cutoff := policy.cutoff(policy.message_log_days, now)) is not None:
        report = replace(
            report, message_log=await _batches(db, repository.purge_messages, cutoff, size)
        )
    if (cutoff := policy.meter_values_cutoff(now)) is not None:
        deleted, rolled = await _roll_up_meter_values(db, cutoff, size)
        report = replace(report, meter_values=deleted, rollups_written=rolled)
    if (cutoff := policy.cutoff(policy.events_days, now)) is not None:
        report = replace(report, events=await _batches(db, repository.purge_events, cutoff, size))
    if (cutoff := policy.cutoff(policy.webhook_deliveries_days, now)) is not None:
        report = replace(
            report,
            webhook_deliveries=await _batches(db, repository.purge_deliveries, cutoff, size),
            webhook_attempts=await _batches(db, repository.purge_attempts, cutoff, size),
        )
    return report


async def _batches(db: Database, purge: Purge, cutoff: datetime, size: int) -> int:
    total = 0
    while True:
        async with db.writing() as uow:
            deleted = await purge(uow.session, cutoff, size)
            await uow.commit()
        total += deleted
        if deleted < size:
            return total
        await asyncio.sleep(0)  # let the stations' messages in between two batches


async def _roll_up_meter_values(db: Database, cutoff: datetime, size: int) -> tuple[int, int]:
    deleted = rolled = 0
    while True:
        async with db.writing() as uow:
            batch = await repository.old_samples(uow.session, cutoff, size)
            rolled += await repository.merge_rollups(uow.session, fold(s for _, s in batch))
            deleted += await repository.delete_meter_values(uow.session, [i for i, _ in batch])
            await uow.commit()
        if len(batch) < size:
            return deleted, rolled
        await asyncio.sleep(0)


async def _count(db: Database, policy: RetentionPolicy, now: datetime) -> RetentionReport:
    async with db.reading() as uow:
        session = uow.session

        async def counted(
            days_cutoff: datetime | None, make: Callable[..., Any], *args: Any
        ) -> int:
            if days_cutoff is None:
                return 0
            column, where = make(days_cutoff, *args)
            return await repository.count(session, column, where)

        deliveries = policy.cutoff(policy.webhook_deliveries_days, now)
        return RetentionReport(
            message_log=await counted(
                policy.cutoff(policy.message_log_days, now), repository.old_messages
            ),
            meter_values=await counted(
                policy.meter_values_cutoff(now), repository.old_meter_values
            ),
            events=await counted(
                policy.cutoff(policy.events_days, now),
                repository.old_events,
                await repository.last_event_position(session),
            ),
            webhook_deliveries=await counted(deliveries, repository.old_deliveries),
            webhook_attempts=await counted(deliveries, repository.old_attempts),
        )
