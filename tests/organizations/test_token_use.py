"""Stamping a token's `last_used_at`: the minute resolution, and that failing to stamp never fails
the request it belongs to."""

from datetime import UTC, datetime, timedelta

import pytest

from chargeyard.api.dependencies import note_token_use
from chargeyard.clock import utcnow
from chargeyard.message_log.writer import MessageLogWriter
from chargeyard.organizations.domain import TOKEN_USE_RESOLUTION, token_use_due
from chargeyard.organizations.repository import mark_token_used
from chargeyard.security.sign_in_guard import SignInGuard
from chargeyard.server_context import ServerContext
from chargeyard.storage.database import Database
from tests.api.factories import created
from tests.conftest import Tenant

T0 = datetime(2031, 5, 1, 12, 0, tzinfo=UTC)


def test_a_stamp_is_due_when_missing_or_a_minute_old() -> None:
    assert token_use_due(None, T0)
    assert not token_use_due(T0, T0 + timedelta(seconds=59))
    assert token_use_due(T0, T0 + timedelta(seconds=60))


async def test_the_update_itself_keeps_the_resolution(tenant: Tenant) -> None:
    """Requests that all read a stale stamp race to write it; only the first one changes it."""
    token = await created(tenant.api, "/tokens", {"name": "racer", "service": True})
    db = Database(tenant.server.settings.database_url)
    seen = []
    try:
        for offset in (0, 30, 59, 61):
            async with db.writing() as uow:
                await mark_token_used(
                    uow.session, token["id"], T0 + timedelta(seconds=offset), TOKEN_USE_RESOLUTION
                )
                await uow.commit()
            items = (await tenant.api.get("/tokens")).json()["items"]
            seen.append(next(i["last_used_at"] for i in items if i["id"] == token["id"]))
    finally:
        await db.dispose()
    stamps = [datetime.fromisoformat(value) for value in seen]
    assert stamps == [T0, T0, T0, T0 + timedelta(seconds=61)]


async def test_a_failing_stamp_is_logged_not_raised(
    tenant: Tenant, tmp_path_factory: pytest.TempPathFactory, caplog: pytest.LogCaptureFixture
) -> None:
    missing = tmp_path_factory.getbasetemp() / "no-such-dir" / "chargeyard.db"
    db = Database(f"sqlite+aiosqlite:///{missing}")
    ctx = ServerContext(
        settings=tenant.server.settings,
        db=db,
        clock=utcnow,
        message_log=MessageLogWriter(db, utcnow, 1.0),
        secret_key=b"k" * 32,
        sign_in=SignInGuard(tenant.server.settings),
    )
    try:
        await note_token_use(ctx, "some-token", T0)
    finally:
        await db.dispose()
    assert "could not record the use of API token some-token" in caplog.text
