"""Security profiles 2 and 3 behind a TLS-terminating proxy (issue 16, item 3): a plain node
believes `X-Forwarded-Proto` and the forwarded client certificate only from its trusted proxy
addresses, and still verifies the certificate against the client CA.

Here the test client on 127.0.0.1 plays the proxy: trusted by one node, not by another."""

import json
import os
from collections.abc import AsyncIterator
from urllib.parse import quote

import pytest
from websockets.asyncio.client import connect
from websockets.exceptions import InvalidStatus

from chargeyard.protocol.forwarded import TrustedProxies
from chargeyard.settings import Settings
from tests.conftest import Tenant, make_tenant
from tests.protocol.conftest import BOOT, eventually
from tests.protocol.tls.conftest import Pki, register
from tests.support.ocpp_client import PASSWORD, basic_auth
from tests.support.server import RunningServer, free_port, in_process_server

HEADER = "X-SSL-Client-Cert"


def proxied_settings(database_url: str, pki: Pki, trusted: str) -> Settings:
    return Settings(
        database_url=database_url,
        port=free_port(),
        node_id=f"proxied-{os.getpid()}-{free_port()}",
        trusted_proxies=trusted,
        tls_client_cert_header=HEADER,
        ca_certificate=pki.directory / "ca.pem",
    )


@pytest.fixture(scope="module")
async def behind_proxy(database_url: str, pki: Pki) -> AsyncIterator[RunningServer]:
    settings = proxied_settings(database_url, pki, "10.0.0.0/8, 127.0.0.1")
    async with in_process_server(settings) as running:
        yield running


@pytest.fixture(scope="module")
async def untrusting(database_url: str, pki: Pki) -> AsyncIterator[RunningServer]:
    async with in_process_server(proxied_settings(database_url, pki, "10.0.0.0/8")) as running:
        yield running


@pytest.fixture
async def proxied_tenant(behind_proxy: RunningServer) -> AsyncIterator[Tenant]:
    async for tenant in make_tenant(behind_proxy):
        yield tenant


def forwarded_certificate(pki: Pki, station_id: str, *, rogue: bool = False) -> str:
    """The leaf PEM, URL-escaped as nginx's $ssl_client_escaped_cert."""
    chain = pki.station_pair(station_id, rogue=rogue).chain_pem
    leaf = chain[: chain.index("-----END CERTIFICATE-----") + len("-----END CERTIFICATE-----")]
    return quote(leaf + "\n", safe="")


async def boots(
    server: RunningServer, station_id: str, headers: dict[str, str], password: bool = True
) -> str:
    auth = basic_auth(station_id, PASSWORD) if password else {}
    async with connect(
        f"{server.ocpp_url}/{station_id}",
        subprotocols=["ocpp1.6"],  # type: ignore[list-item]
        additional_headers=auth | headers,
        open_timeout=10,
    ) as socket:
        await socket.send(json.dumps([2, "b1", "BootNotification", BOOT]))
        return str(await socket.recv())


async def refused(
    server: RunningServer, station_id: str, headers: dict[str, str], password: bool = True
) -> int:
    with pytest.raises(InvalidStatus) as refusal:
        await boots(server, station_id, headers, password)
    return refusal.value.response.status_code


async def test_profile_2_through_a_trusted_proxy(
    proxied_tenant: Tenant, behind_proxy: RunningServer
) -> None:
    station_id = await register(proxied_tenant, 2)
    assert "Accepted" in await boots(behind_proxy, station_id, {"X-Forwarded-Proto": "https"})
    assert await refused(behind_proxy, station_id, {}) == 401
    assert await refused(behind_proxy, station_id, {"X-Forwarded-Proto": "http"}) == 401


async def test_profile_3_with_a_forwarded_certificate(
    proxied_tenant: Tenant, behind_proxy: RunningServer, pki: Pki
) -> None:
    station_id = await register(proxied_tenant, 3)
    headers = {"X-Forwarded-Proto": "https", HEADER: forwarded_certificate(pki, station_id)}
    assert "Accepted" in await boots(behind_proxy, station_id, headers, password=False)


@pytest.mark.parametrize("case", ["rogue-ca", "other-station", "garbage", "no-https"])
async def test_profile_3_refuses_what_does_not_verify(
    proxied_tenant: Tenant, behind_proxy: RunningServer, pki: Pki, case: str
) -> None:
    station_id = await register(proxied_tenant, 3)
    certificate = {
        "rogue-ca": forwarded_certificate(pki, station_id, rogue=True),
        "other-station": forwarded_certificate(pki, "CP-SOMEONE-ELSE"),
        "garbage": quote("-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----"),
        "no-https": forwarded_certificate(pki, station_id),
    }[case]
    proto = "http" if case == "no-https" else "https"
    headers = {"X-Forwarded-Proto": proto, HEADER: certificate}
    assert await refused(behind_proxy, station_id, headers, password=False) == 401


async def test_headers_from_an_untrusted_address_are_ignored_and_recorded(
    proxied_tenant: Tenant, untrusting: RunningServer, pki: Pki
) -> None:
    station_id = await register(proxied_tenant, 3)
    headers = {"X-Forwarded-Proto": "https", HEADER: forwarded_certificate(pki, station_id)}
    assert await refused(untrusting, station_id, headers, password=False) == 401

    async def recorded() -> bool:
        answer = await proxied_tenant.api.get("/security-events", params={"station_id": station_id})
        types = {event["type"] for event in answer.json()["items"]}
        return {"UntrustedForwardedCertificate", "FailedToAuthenticateAtCsms"} <= types

    await eventually(recorded)


async def test_loopback_is_not_a_proxy_by_default(tenant: Tenant) -> None:
    """The suite's own server trusts no proxy: a forwarded https claim buys nothing (uvicorn's
    own proxy-header handling, which trusts loopback, is off)."""
    station_id = await register(tenant, 2)
    server = tenant.server
    assert await refused(server, station_id, {"X-Forwarded-Proto": "https"}) == 401


def test_trusted_addresses_and_networks() -> None:
    proxies = TrustedProxies.from_settings(Settings(trusted_proxies="10.1.0.0/16, 192.0.2.7, ::1"))
    assert proxies.trusts("10.1.200.3") and proxies.trusts("192.0.2.7") and proxies.trusts("::1")
    assert not proxies.trusts("10.2.0.1") and not proxies.trusts("192.0.2.8")
    assert not proxies.trusts(None) and not proxies.trusts("not-an-ip")
    assert not TrustedProxies.from_settings(Settings()).trusts("127.0.0.1")
