"""Security profiles 2 and 3 over real TLS on loopback, accepted and refused."""

import asyncio
import socket
import ssl
import threading
from typing import Any

import pytest
from websockets.exceptions import InvalidMessage

from chargeyard.clock import utcnow
from tests.conftest import Tenant
from tests.protocol.tls.conftest import (
    Pki,
    TlsServer,
    boot_status,
    refusal_status,
    register,
    tls_station,
)
from tests.support.ocpp_client import raw_station


async def failed_logins(tenant: Tenant, station_id: str) -> list[dict[str, Any]]:
    response = await tenant.api.get(
        "/security-events", params={"station_id": station_id, "type": "FailedToAuthenticateAtCsms"}
    )
    assert response.status_code == 200
    return list(response.json()["items"])


async def test_profile_2_accepts_the_password_over_wss(
    tenant: Tenant, tls_server: TlsServer, pki: Pki
) -> None:
    station_id = await register(tenant, 2)
    assert await boot_status(tls_server.ocpp_url, station_id, pki.client_context()) == "Accepted"
    detail = (await tenant.api.get(f"/stations/{station_id}")).json()
    assert detail["protocol"] == "ocpp1.6" and detail["last_boot_at"] is not None
    assert await failed_logins(tenant, station_id) == []


async def test_profile_2_refuses_a_wrong_password_over_wss(
    tenant: Tenant, tls_server: TlsServer, pki: Pki
) -> None:
    station_id = await register(tenant, 2)
    context = pki.client_context()
    status = await refusal_status(
        tls_server.ocpp_url, station_id, context, "not-the-password-at-all"
    )
    assert status == 401
    [event] = await failed_logins(tenant, station_id)
    assert event["source"] == "csms" and event["critical"] is True
    assert event["tech_info"] == "wrong credentials (connection over TLS)"


async def test_plain_ws_to_a_profile_2_station_is_refused_and_recorded(tenant: Tenant) -> None:
    station_id = await register(tenant, 2)
    with pytest.raises(Exception, match="HTTP 401"):
        async with raw_station(tenant.server.ocpp_url, station_id):
            pass
    [event] = await failed_logins(tenant, station_id)
    assert event["tech_info"] == "security profile requires TLS (connection without TLS)"
    assert event["station_id"] == station_id


async def test_a_station_that_does_not_trust_the_server_ca_cannot_connect(
    tenant: Tenant, tls_server: TlsServer, pki: Pki
) -> None:
    station_id = await register(tenant, 2)
    with pytest.raises(ssl.SSLCertVerificationError):
        async with tls_station(
            tls_server.ocpp_url, station_id, pki.client_context(trust=pki.rogue)
        ):
            pass


async def test_a_client_certificate_from_an_unknown_ca_fails_the_handshake(
    tenant: Tenant, tls_server: TlsServer, pki: Pki
) -> None:
    station_id = await register(tenant, 3)
    context = pki.client_context(pair=pki.station_pair(station_id, rogue=True))
    with pytest.raises(InvalidMessage) as refused:
        async with tls_station(tls_server.ocpp_url, station_id, context, password=None):
            pass
    # TLS 1.3: the client finishes its side of the handshake; the server then drops it unheard.
    assert isinstance(refused.value.__cause__, EOFError)
    # The same station with a certificate from the right CA gets in: the CA made the difference.
    context = pki.client_context(pair=pki.station_pair(station_id))
    assert await boot_status(tls_server.ocpp_url, station_id, context, None) == "Accepted"


async def test_profile_3_refuses_a_certificate_naming_another_station(
    tenant: Tenant, tls_server: TlsServer, pki: Pki
) -> None:
    station_id = await register(tenant, 3)
    context = pki.client_context(pair=pki.station_pair(f"{station_id}-other"))
    assert await refusal_status(tls_server.ocpp_url, station_id, context) == 401
    [event] = await failed_logins(tenant, station_id)
    assert "client certificate" in event["tech_info"]


async def test_profile_3_refuses_a_station_without_a_client_certificate(
    tenant: Tenant, tls_server: TlsServer, pki: Pki
) -> None:
    """The password alone is a weaker profile (2) than the one configured (3)."""
    station_id = await register(tenant, 3)
    assert await refusal_status(tls_server.ocpp_url, station_id, pki.client_context()) == 401
    assert len(await failed_logins(tenant, station_id)) == 1


def handshake(port: int, context: ssl.SSLContext) -> str | None:
    """A bare TLS handshake (blocking: run it in a thread), returning the version agreed."""
    with (
        socket.create_connection(("127.0.0.1", port), timeout=5) as raw,
        context.wrap_socket(raw, server_hostname="127.0.0.1") as tls,
    ):
        return tls.version()


@pytest.mark.filterwarnings("ignore:ssl.TLSVersion.TLSv1:DeprecationWarning")
async def test_tls_1_1_is_refused_by_the_server(tls_server: TlsServer, pki: Pki) -> None:
    context = pki.client_context()
    context.minimum_version = ssl.TLSVersion.TLSv1
    context.maximum_version = ssl.TLSVersion.TLSv1_1
    context.set_ciphers("DEFAULT:@SECLEVEL=0")
    # Control: this client does complete a TLS 1.1 handshake with a server that allows it.
    assert await asyncio.to_thread(handshake_with_lenient_server, pki, context) == "TLSv1.1"
    with pytest.raises(ssl.SSLError):
        await asyncio.to_thread(handshake, tls_server.settings.port, context)


def handshake_with_lenient_server(pki: Pki, client: ssl.SSLContext) -> str | None:
    server = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    server.minimum_version = ssl.TLSVersion.TLSv1
    server.set_ciphers("DEFAULT:@SECLEVEL=0")
    server.load_cert_chain(*pki.files("lenient", pki.ca.issue_server(["127.0.0.1"], now=utcnow())))
    with socket.create_server(("127.0.0.1", 0)) as listener:
        port = listener.getsockname()[1]
        accepting = threading.Thread(target=lambda: _accept_one(listener, server))
        accepting.start()
        try:
            return handshake(port, client)
        finally:
            accepting.join(5)


def _accept_one(listener: socket.socket, context: ssl.SSLContext) -> None:
    connection, _ = listener.accept()
    with connection, context.wrap_socket(connection, server_side=True):
        pass


async def test_tls_1_2_is_accepted(tls_server: TlsServer, pki: Pki) -> None:
    context = pki.client_context()
    context.maximum_version = ssl.TLSVersion.TLSv1_2
    assert await asyncio.to_thread(handshake, tls_server.settings.port, context) == "TLSv1.2"


def test_the_server_context_has_a_tls_1_2_floor(tls_server: TlsServer) -> None:
    assert tls_server.config.ssl is not None
    assert tls_server.config.ssl.minimum_version == ssl.TLSVersion.TLSv1_2
    assert tls_server.config.ssl.verify_mode == ssl.CERT_OPTIONAL
