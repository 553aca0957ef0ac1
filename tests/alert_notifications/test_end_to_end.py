"""The server's own mailer, end to end: a server started with SMTP settings (and a password)
mails a digest through an SMTP server that requires a login, and the password is never in the
API's answers nor in the logs, even when the login fails."""

import asyncio
import logging
from collections.abc import AsyncIterator, Callable, Iterator
from pathlib import Path

import pytest
from pydantic import SecretStr

from chargeyard.settings import Settings
from tests.alert_notifications.conftest import (
    DEADLINE_S,
    PASSWORD,
    USER,
    Rig,
    SmtpServer,
    address,
    body,
    configure,
    ready,
)
from tests.alerts.test_offline import go_offline
from tests.commands.conftest import register
from tests.conftest import Tenant, make_tenant
from tests.support.databases import fresh_database
from tests.support.server import RunningServer, free_port, in_process_server

# aiosmtpd warns about a login without TLS: the loopback test server has no certificate.
pytestmark = pytest.mark.filterwarnings("ignore:Requiring AUTH while not requiring TLS")


@pytest.fixture
def secure_smtp() -> Iterator[SmtpServer]:
    server = SmtpServer(free_port(), auth=True)
    server.start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
async def mailing_server(tmp_path: Path, secure_smtp: SmtpServer) -> AsyncIterator[RunningServer]:
    async with fresh_database(tmp_path) as url:
        settings = Settings(
            database_url=url,
            port=free_port(),
            node_id="mail-node",
            smtp_host="127.0.0.1",
            smtp_port=secure_smtp.port,
            smtp_security="none",
            smtp_user=USER,
            smtp_password=SecretStr(PASSWORD),
            smtp_from="alerts@chargeyard.example",
            alerts_mail_window_s=0,
            alerts_sweep_s=0.2,
        )
        async with in_process_server(settings) as running:
            yield running


async def test_the_server_mails_alerts_with_its_smtp_login_and_never_shows_the_password(
    mailing_server: RunningServer, secure_smtp: SmtpServer, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    async for tenant in make_tenant(mailing_server):
        ops = address(tenant)
        settings = await configure(tenant, [ops])
        assert settings["available"] is True
        response = await tenant.api.patch("/alert-rules/station-offline", json={"threshold_s": 1})
        assert response.status_code == 200
        # A station the evaluator sees go offline: registered, connected, gone.
        station_id = await register(tenant)
        await go_offline(tenant, station_id)

        loop = asyncio.get_running_loop()
        until = loop.time() + DEADLINE_S
        while not secure_smtp.mailbox.to(ops):
            assert loop.time() < until, "no alert e-mail in time"
            await asyncio.sleep(0.1)
        [message] = secure_smtp.mailbox.to(ops)
        assert station_id in body(message) and message["From"] == "alerts@chargeyard.example"
        assert message.get_content_type() == "multipart/alternative"
        page = body(message, "html")
        assert f"station {station_id}" in page and "station-offline" in page
        digests = (await tenant.api.get("/alert-notifications/digests")).json()["items"]
        assert digests[0]["html"] == page.replace("\r\n", "\n")  # SMTP sends CRLF lines

        answers = [
            (await tenant.api.get(path)).text
            for path in (
                "/alert-notifications",
                "/alert-notifications/digests",
                "/alerts",
                "/events",
            )
        ]
        assert all(PASSWORD not in answer for answer in answers)
    assert PASSWORD not in caplog.text


async def test_a_failed_login_is_recorded_without_the_password(
    tenant: Tenant,
    secure_smtp: SmtpServer,
    rig_factory: Callable[..., Rig],
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG)
    wrong = "wrong-" + PASSWORD
    rig = rig_factory(
        secure_smtp.port,
        alerts_mail_window_s=0,
        smtp_user=USER,
        smtp_password=SecretStr(wrong),
    )
    assert wrong not in repr(rig.settings) and wrong not in str(rig.settings.model_dump())
    await configure(tenant, [address(tenant)])
    mailer = await ready(rig)
    await rig.offline(tenant, [tenant.unique("CP")])
    await mailer.round()
    [waiting] = (await tenant.api.get("/alert-notifications/digests")).json()["items"]
    assert waiting["status"] == "Pending" and waiting["last_error"]
    assert "alert e-mail" in caplog.text and waiting["id"] in caplog.text
    assert wrong not in caplog.text
    assert wrong not in (await tenant.api.get("/alert-notifications/digests")).text
