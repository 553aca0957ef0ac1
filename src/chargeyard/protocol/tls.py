"""TLS for the OCPP endpoint (security profiles 2 and 3): the uvicorn set-up and the client's name.

`server_config` builds the `uvicorn.Config` that `chargeyard serve` (and the TLS tests) run:
with `tls_certificate` set it serves TLS 1.2 or newer only, and when a client CA is known
(`tls_client_ca`, else the built-in `ca_certificate`) it asks every client for a certificate
(CERT_OPTIONAL: profile 2 stations need not present one, but a certificate that does not chain
to the CA fails the handshake).

uvicorn does not put the peer certificate in the ASGI scope. Of the ways to get it there, the
least intrusive is a WebSocket protocol subclass (`TlsWebSocketProtocol`, passed as uvicorn's
`ws` class) that, just before the application runs, reads the verified peer certificate from the
transport's `ssl_object` and adds it to `scope["extensions"]["tls"]` in the shape of the ASGI TLS
extension (https://asgi.readthedocs.io/en/latest/specs/tls.html). The application only reads that
standard key (`client_common_name`), so another server implementing the extension works as is.
Behind a TLS-terminating proxy, `forwarded.py` reads what a trusted proxy forwards instead.
"""

import ssl
from typing import Any, cast

import uvicorn
from cryptography import x509

from chargeyard.certificates.domain import common_name
from chargeyard.protocol.connections import StationWebSocketProtocol, connection_options
from chargeyard.settings import Settings

_TLS_VERSIONS = {"1.2": ssl.TLSVersion.TLSv1_2, "1.3": ssl.TLSVersion.TLSv1_3}
_WIRE_VERSIONS = {"TLSv1.2": 0x0303, "TLSv1.3": 0x0304}


def tls_extension(ssl_object: ssl.SSLObject | ssl.SSLSocket | None) -> dict[str, Any] | None:
    """The ASGI TLS extension for one connection; a client certificate only if it verified."""
    if ssl_object is None:
        return None
    chain: list[str] = []
    name = None
    # `getpeercert()` is empty unless the certificate was verified against the client CA.
    if ssl_object.getpeercert():
        der = ssl_object.getpeercert(binary_form=True)
        if der is not None:
            chain.append(ssl.DER_cert_to_PEM_cert(der))
            name = x509.load_der_x509_certificate(der).subject.rfc4514_string()
    version = ssl_object.version()
    return {
        "server_cert": None,
        "client_cert_chain": chain,
        "client_cert_name": name,
        "client_cert_error": None,
        "tls_version": _WIRE_VERSIONS.get(version or ""),
        "cipher_suite": None,
    }


def client_common_name(scope: Any) -> str | None:
    """The CN of the verified client certificate of a connection, if it presented one."""
    tls = (scope.get("extensions") or {}).get("tls") or {}
    chain = tls.get("client_cert_chain") or []
    if not chain:
        return None
    return common_name(x509.load_pem_x509_certificate(chain[0].encode()).subject)


class TlsWebSocketProtocol(StationWebSocketProtocol):
    """uvicorn's default WebSocket protocol, adding the ASGI TLS extension to the scope."""

    async def run_asgi(self) -> None:
        extension = tls_extension(self.transport.get_extra_info("ssl_object"))
        if extension is not None:
            scope = cast(dict[str, Any], self.scope)
            scope["extensions"] = {**(scope.get("extensions") or {}), "tls": extension}
        await super().run_asgi()


class TlsConfig(uvicorn.Config):
    """A uvicorn config whose SSL context refuses anything older than the minimum TLS version."""

    def __init__(self, app: Any, *, minimum_version: ssl.TLSVersion, **options: Any) -> None:
        super().__init__(app, **options)
        self.minimum_version = minimum_version

    def load(self) -> None:
        super().load()
        if self.ssl is not None:
            self.ssl.minimum_version = max(self.minimum_version, ssl.TLSVersion.TLSv1_2)


def server_config(app: Any, settings: Settings, **options: Any) -> uvicorn.Config:
    """uvicorn's configuration for `app`, with TLS when the settings name a certificate, and the
    connection limits of `connections.connection_options` (explicit `options` win)."""
    options = connection_options(settings) | {"ws": TlsWebSocketProtocol} | options
    if settings.tls_certificate is None:
        if settings.tls_key is not None:
            raise ValueError("tls_key is set but tls_certificate is not")
        return uvicorn.Config(app, **options)
    client_ca = settings.tls_client_ca or settings.ca_certificate
    return TlsConfig(
        app,
        minimum_version=_TLS_VERSIONS[settings.tls_minimum_version],
        ssl_certfile=settings.tls_certificate,
        ssl_keyfile=settings.tls_key,
        ssl_ca_certs=client_ca,
        ssl_cert_reqs=ssl.CERT_OPTIONAL if client_ca else ssl.CERT_NONE,
        **options,
    )
