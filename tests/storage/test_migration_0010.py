"""Migration 0010 (secrets) on a database with data from before it: live tokens without a user
become service tokens, and station passwords already in the command audit are masked."""

import asyncio
import json
from datetime import UTC, datetime
from pathlib import Path

from alembic import command
from sqlalchemy import text

from chargeyard.security.station_secrets import MASK
from chargeyard.storage.database import Database
from chargeyard.storage.migrate import alembic_config, upgrade
from tests.support.databases import fresh_database

NOW = datetime(2026, 1, 1, 10, tzinfo=UTC)  # a datetime: asyncpg takes no strings for it


async def _seed(url: str) -> None:
    db = Database(url)
    try:
        async with db.writing() as uow:
            run = uow.session.execute
            await run(
                text(
                    "INSERT INTO organizations (id, name, created_at, updated_at, revision) "
                    "VALUES ('org', 'org', :now, :now, 1)"
                ),
                {"now": NOW},
            )
            for token_id, revoked in (("live", None), ("gone", NOW)):
                await run(
                    text(
                        "INSERT INTO api_tokens (id, organization_id, role, token_hash, prefix, "
                        "created_at, revoked_at) VALUES (:id, 'org', 'admin', :id, 'p', :now, "
                        ":revoked)"
                    ),
                    {"id": token_id, "now": NOW, "revoked": revoked},
                )
            await run(
                text(
                    "INSERT INTO commands (id, organization_id, station_id, command, actor, state, "
                    "request, ocpp_request, requested_at, created_at, updated_at, revision) "
                    "VALUES ('c1', 'org', 'CP', 'change-configuration', 'token:live', "
                    "'answered', :body, :body, :now, :now, :now, 1)"
                ),
                {
                    "body": json.dumps({"key": "AuthorizationKey", "value": "old-secret"}),
                    "now": NOW,
                },
            )
            await uow.commit()
    finally:
        await db.dispose()


async def _read(url: str) -> tuple[dict[str, bool], str]:
    db = Database(url)
    try:
        async with db.reading() as uow:
            tokens = await uow.session.execute(text("SELECT id, service FROM api_tokens"))
            audit = (
                await uow.session.execute(
                    text("SELECT request, ocpp_request FROM commands WHERE id = 'c1'")
                )
            ).one()
            return {row[0]: bool(row[1]) for row in tokens}, f"{audit[0]} {audit[1]}"
    finally:
        await db.dispose()


async def test_0010_marks_service_tokens_and_masks_the_audit(tmp_path: Path) -> None:
    async with fresh_database(tmp_path) as url:
        await asyncio.to_thread(command.upgrade, alembic_config(url), "0009")
        await _seed(url)
        await asyncio.to_thread(upgrade, url)
        tokens, audit = await _read(url)
    assert tokens == {"live": True, "gone": False}
    assert "old-secret" not in audit and MASK in audit
