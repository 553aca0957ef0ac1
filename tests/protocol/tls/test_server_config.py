"""How settings become uvicorn's TLS configuration."""

import ssl
from pathlib import Path

import httpx
import pytest
import uvicorn

from chargeyard.clock import utcnow
from chargeyard.protocol.tls import (
    TlsConfig,
    TlsWebSocketProtocol,
    client_common_name,
    server_config,
)
from chargeyard.settings import Settings
from tests.protocol.tls.conftest import Pki


async def app(scope: object, receive: object, send: object) -> None:
    raise AssertionError("never called")


def tls_settings(pki: Pki, **more: object) -> Settings:
    pair = pki.ca.issue_server(["127.0.0.1"], now=utcnow())
    certificate, key = pki.files("config-server", pair)
    return Settings(tls_certificate=certificate, tls_key=key, **more)  # type: ignore[arg-type]


def loaded(config: uvicorn.Config) -> ssl.SSLContext:
    config.load()
    assert config.ssl is not None
    return config.ssl


def test_without_a_certificate_there_is_no_tls() -> None:
    config = server_config(app, Settings())
    assert type(config) is uvicorn.Config and not config.is_ssl
    with pytest.raises(ValueError, match="tls_certificate"):
        server_config(app, Settings(tls_key=Path("server.key")))


def test_client_certificates_are_asked_for_only_when_a_ca_is_known(pki: Pki) -> None:
    plain = server_config(app, tls_settings(pki))
    assert isinstance(plain, TlsConfig) and plain.ws is TlsWebSocketProtocol
    assert loaded(plain).verify_mode == ssl.CERT_NONE
    with_ca = server_config(app, tls_settings(pki, ca_certificate=pki.directory / "ca.pem"))
    assert loaded(with_ca).verify_mode == ssl.CERT_OPTIONAL


def test_the_floor_can_be_raised_to_tls_1_3(pki: Pki) -> None:
    context = loaded(server_config(app, tls_settings(pki, tls_minimum_version="1.3")))
    assert context.minimum_version == ssl.TLSVersion.TLSv1_3


def test_only_a_verified_certificate_names_the_client(pki: Pki) -> None:
    chain = pki.station_pair("CP-9").chain_pem
    assert client_common_name({"extensions": {"tls": {"client_cert_chain": [chain]}}}) == "CP-9"
    assert client_common_name({"extensions": {"tls": {"client_cert_chain": []}}}) is None
    assert client_common_name({"extensions": {}}) is None


def test_idle_http_connections_outlive_the_clients_keep_alive() -> None:
    """The client must drop an idle connection before the server does, or a request sent on it
    as the server closes it is reset (a POST that cannot safely be retried)."""
    config = server_config(app, Settings())
    assert config.timeout_keep_alive > 60 > httpx.Limits().keepalive_expiry  # type: ignore[operator]
