"""A second real server, speaking TLS on loopback, over the suite's database; a test PKI.

The TLS server shares the database with the suite's plain server, so `tenant.api` (plain HTTP)
registers stations that then connect over `wss://` here.

It is a second node of one cluster, so it would compete for the jobs that run once in a cluster
(`cluster/leases.py`), and from its start to the session's end it held whichever lease the suite
server's lapsed or had not taken yet: the event sequencer, smart charging of other tests'
organizations. Tests drive and patch those jobs on the suite server (its controller, its
sequencer's wake-ups), so the TLS server asks for no lease: it is refused every one.
"""

import asyncio
import ssl
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest
import uvicorn
from websockets.asyncio.client import connect
from websockets.exceptions import InvalidStatus

from chargeyard.api.app import create_app
from chargeyard.certificates.authority import CertificateAuthority, KeyPair
from chargeyard.clock import utcnow
from chargeyard.protocol.tls import server_config
from chargeyard.settings import Settings
from chargeyard.storage.migrate import upgrade_async
from tests.conftest import Tenant
from tests.support.ocpp_client import PASSWORD, RawStation, basic_auth
from tests.support.server import free_port


@dataclass(frozen=True)
class Pki:
    directory: Path
    ca: CertificateAuthority
    rogue: CertificateAuthority
    """A CA the server does not know."""

    def files(self, name: str, pair: KeyPair) -> tuple[Path, Path]:
        certificate, key = self.directory / f"{name}.pem", self.directory / f"{name}.key"
        certificate.write_text(pair.chain_pem)
        key.write_text(pair.key_pem)
        return certificate, key

    def client_context(
        self, *, trust: CertificateAuthority | None = None, pair: KeyPair | None = None
    ) -> ssl.SSLContext:
        """A station's TLS context: trusting `trust` (our CA by default), presenting `pair`."""
        context = ssl.create_default_context(cadata=(trust or self.ca).certificate_pem)
        if pair is not None:
            context.load_cert_chain(*self.files(f"client-{id(pair)}", pair))
        return context

    def station_pair(self, station_id: str, *, rogue: bool = False) -> KeyPair:
        return (self.rogue if rogue else self.ca).issue_station(station_id, now=utcnow())


@pytest.fixture(scope="session")
def pki(tmp_path_factory: pytest.TempPathFactory) -> Pki:
    directory = tmp_path_factory.mktemp("pki")
    ca = CertificateAuthority.create("Test CA", now=utcnow())
    ca.save(directory / "ca.pem", directory / "ca.key")
    rogue = CertificateAuthority.create("Rogue CA", now=utcnow())
    return Pki(directory, ca, rogue)


@dataclass(frozen=True)
class TlsServer:
    ocpp_url: str
    settings: Settings
    config: uvicorn.Config


async def _refused(name: str) -> bool:
    return False


@pytest.fixture(scope="session")
async def tls_server(database_url: str, pki: Pki) -> AsyncIterator[TlsServer]:
    certificate, key = pki.files("server", pki.ca.issue_server(["127.0.0.1"], now=utcnow()))
    settings = Settings(
        database_url=database_url,
        port=free_port(),
        node_id="tls-test-node",
        call_timeout_s=5,
        message_log_flush_s=0.05,
        tls_certificate=certificate,
        tls_key=key,
        ca_certificate=pki.directory / "ca.pem",
        ca_key=pki.directory / "ca.key",
    )
    await upgrade_async(database_url)
    app = create_app(settings)
    app.state.leases.acquire = _refused
    config = server_config(
        app,
        settings,
        host="127.0.0.1",
        port=settings.port,
        log_level="critical",
        ws_ping_interval=None,
        lifespan="on",
    )
    server = uvicorn.Server(config)
    task = asyncio.create_task(server.serve())
    while not server.started:
        if task.done():
            task.result()
        await asyncio.sleep(0.02)
    try:
        yield TlsServer(f"wss://127.0.0.1:{settings.port}/ocpp", settings, config)
    finally:
        server.should_exit = True
        await task


@asynccontextmanager
async def tls_station(
    url: str,
    station_id: str,
    context: ssl.SSLContext,
    password: str | None = PASSWORD,
    subprotocol: str = "ocpp1.6",
) -> AsyncIterator[RawStation]:
    async with connect(
        f"{url}/{station_id}",
        ssl=context,
        subprotocols=[subprotocol],  # type: ignore[list-item]
        additional_headers=basic_auth(station_id, password) if password else {},
        open_timeout=10,
    ) as socket:
        yield RawStation(socket)


async def register(tenant: Tenant, profile: int) -> str:
    station_id = tenant.unique("TLS")
    body = {"id": station_id, "password": PASSWORD, "security_profile": profile}
    response = await tenant.api.post("/stations", json=body)
    assert response.status_code == 201, response.text
    return station_id


BOOT = {"chargePointVendor": "Acme", "chargePointModel": "Secure 22"}


async def boot_status(
    url: str, station_id: str, context: ssl.SSLContext, password: str | None = PASSWORD
) -> str:
    """Connect, boot, and return the BootNotification status."""
    async with tls_station(url, station_id, context, password) as station:
        return str((await station.ok("BootNotification", BOOT))["status"])


async def refusal_status(
    url: str, station_id: str, context: ssl.SSLContext, password: str | None = PASSWORD
) -> int:
    """Connect where the handshake must be refused; return the HTTP status of the refusal."""
    with pytest.raises(InvalidStatus) as refused:
        async with tls_station(url, station_id, context, password):
            pass
    return refused.value.response.status_code
