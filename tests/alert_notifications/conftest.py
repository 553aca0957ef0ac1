"""Alert e-mail tests: a real SMTP server (aiosmtpd) on a loopback port, a mailer driven one
round at a time on an injected clock, and alerts raised through the evaluator's own use case."""

import asyncio
import email
import threading
import uuid
from collections.abc import AsyncIterator, Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from email.message import Message
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, AuthResult, Envelope, LoginPassword, Session

from chargeyard.alert_notifications.mailer import LEASE, AlertMailer
from chargeyard.alerts.domain import RULES, Clear, Raise, RuleName, RuleSettings, Subject
from chargeyard.alerts.repository import Away
from chargeyard.alerts.service import Judgement
from chargeyard.cluster.leases import LeaseKeeper
from chargeyard.events.repository import has_unsequenced
from chargeyard.settings import Settings
from chargeyard.storage.database import Database
from tests.conftest import Tenant
from tests.support.server import RunningServer, free_port
from tests.webhooks.conftest import fast_server, hooks, receiver

DEADLINE_S = 20.0
USER = "alerts"
PASSWORD = "smtp-pw-7f3a9c1e"


@dataclass
class Mailbox:
    """What the SMTP server accepted, in order (appended by its own thread)."""

    received: list[tuple[list[str], Message]] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def to(self, address: str) -> list[Message]:
        with self.lock:
            return [message for rcpt, message in self.received if address in rcpt]


class Handler:
    def __init__(self, mailbox: Mailbox) -> None:
        self.mailbox = mailbox

    async def handle_DATA(  # noqa: N802 (the name aiosmtpd calls)
        self, server: SMTP, session: Session, envelope: Envelope
    ) -> str:
        content = envelope.content if isinstance(envelope.content, bytes) else b""
        message = email.message_from_bytes(content)
        with self.mailbox.lock:
            self.mailbox.received.append((list(envelope.rcpt_tos), message))
        return "250 OK"


def authenticate(
    server: SMTP, session: Session, envelope: Envelope, mechanism: str, auth_data: Any
) -> AuthResult:
    ok = isinstance(auth_data, LoginPassword) and auth_data == (
        USER.encode(),
        PASSWORD.encode(),
    )
    return AuthResult(success=ok)


class SmtpServer:
    """aiosmtpd on 127.0.0.1:`port`, started and stopped by the test (a server that is down is
    a port nobody listens on)."""

    def __init__(self, port: int, *, auth: bool = False) -> None:
        self.port = port
        self.mailbox = Mailbox()
        extra: dict[str, Any] = (
            {"authenticator": authenticate, "auth_required": True, "auth_require_tls": False}
            if auth
            else {}
        )
        self.controller = Controller(
            Handler(self.mailbox), hostname="127.0.0.1", port=port, **extra
        )

    def start(self) -> None:
        self.controller.start()

    def stop(self) -> None:
        self.controller.stop()


@pytest.fixture
def smtp() -> Iterator[SmtpServer]:
    server = SmtpServer(free_port())
    server.start()
    try:
        yield server
    finally:
        server.stop()


class FakeClock:
    def __init__(self) -> None:
        self.now = datetime.now(UTC).replace(microsecond=0)

    def __call__(self) -> datetime:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += timedelta(seconds=seconds)


def mail_settings(server: RunningServer, port: int, **changes: Any) -> Settings:
    values: dict[str, Any] = {
        "database_url": server.settings.database_url,
        "smtp_host": "127.0.0.1",
        "smtp_port": port,
        "smtp_security": "none",
        "smtp_from": "chargeyard@example.com",
        "smtp_timeout_s": 5.0,
        "alerts_mail_window_s": 60.0,
        "alerts_mail_retry_s": 30.0,
    }
    return Settings(**(values | changes))


@dataclass
class Rig:
    """A mailer of its own (its own lease holder) on the shared test database."""

    db: Database
    clock: FakeClock
    leases: LeaseKeeper
    settings: Settings

    def mailer(self) -> AlertMailer:
        """A mailer as a (re)started worker builds it: state only in the database."""
        return AlertMailer(self.db, self.clock, self.leases, self.settings)

    async def sequenced(self) -> None:
        """Wait until the server's sequencer has numbered every committed event."""
        loop = asyncio.get_running_loop()
        until = loop.time() + DEADLINE_S
        while True:
            async with self.db.reading() as uow:
                if not await has_unsequenced(uow.session):
                    return
            assert loop.time() < until, "events not sequenced in time"
            await asyncio.sleep(0.05)

    async def offline(self, tenant: Tenant, stations: list[str]) -> None:
        """Raise station-offline alerts for these stations, as the evaluator's sweep does."""
        rule = RuleSettings(RULES[RuleName.STATION_OFFLINE])
        away = [(Away(tenant.organization_id, s, self.clock()), rule) for s in stations]
        async with self.db.writing() as uow:
            await Judgement(uow, self.clock).raise_offline(away)
            await uow.commit()
        await self.sequenced()

    async def judge(self, tenant: Tenant, verdicts: list[Raise | Clear]) -> None:
        async with self.db.writing() as uow:
            await Judgement(uow, self.clock).apply([(tenant.organization_id, v) for v in verdicts])
            await uow.commit()
        await self.sequenced()

    def back(self, stations: list[str]) -> list[Raise | Clear]:
        return [Clear(RuleName.STATION_OFFLINE, Subject(s), self.clock()) for s in stations]


@pytest.fixture
async def rig_factory(server: RunningServer) -> AsyncIterator[Callable[..., Rig]]:
    made: list[Rig] = []

    def make(port: int, **changes: Any) -> Rig:
        db = Database(server.settings.database_url)
        rig = Rig(
            db,
            FakeClock(),
            LeaseKeeper(db, f"mail-test-{uuid.uuid4().hex[:8]}", 30.0),
            mail_settings(server, port, **changes),
        )
        made.append(rig)
        return rig

    yield make
    for rig in made:
        await rig.leases.release(LEASE)
        await rig.db.dispose()


async def ready(rig: Rig) -> AlertMailer:
    """A mailer whose cursor is at the log's end: only what the test raises next is mailed."""
    await rig.sequenced()
    mailer = rig.mailer()
    await mailer.round()
    return mailer


async def configure(tenant: Tenant, recipients: list[str]) -> dict[str, Any]:
    response = await tenant.api.patch(
        "/alert-notifications", json={"enabled": True, "recipients": recipients}
    )
    assert response.status_code == 200, response.text
    return dict(response.json())


def address(tenant: Tenant, who: str = "ops") -> str:
    return f"{tenant.unique(who)}@example.com"


def body(message: Message, subtype: str = "plain") -> str:
    """The message's text/`subtype` part (the digest is multipart/alternative: text and HTML)."""
    for part in message.walk():
        if part.get_content_type() == f"text/{subtype}":
            payload = part.get_payload(decode=True)
            assert isinstance(payload, bytes)
            return payload.decode(part.get_content_charset() or "utf-8")
    raise AssertionError(f"no text/{subtype} part in {message.get_content_type()}")


__all__ = [  # helpers, and the webhook fixtures the tests here share
    "PASSWORD",
    "USER",
    "SmtpServer",
    "address",
    "body",
    "configure",
    "fast_server",
    "hooks",
    "ready",
    "receiver",
]
