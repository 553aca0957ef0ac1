"""TLS terminated by a proxy in front of the node (security profiles 2 and 3 behind a load
balancer): what a *trusted* proxy says about the station's TLS connection.

A proxy that terminates TLS hides it from Chargeyard, so it forwards what it saw:

- `X-Forwarded-Proto: https`: the station spoke TLS to the proxy (enough for profile 2);
- the client certificate, PEM and URL-escaped (nginx's `$ssl_client_escaped_cert`, HAProxy's
  `%[ssl_c_der,base64]` wrapped as PEM also works unescaped) in the header named by
  `CHARGEYARD_TLS_CLIENT_CERT_HEADER` (profile 3).

Both are believed only from the addresses in `CHARGEYARD_TRUSTED_PROXIES` (IPs or CIDRs): the
connection's own peer address, never an `X-Forwarded-For`, decides. From anyone else the
headers are ignored, and the endpoint records the attempt. A forwarded certificate is verified
again here (the proxy may be misconfigured to accept any certificate): it must be issued directly
by a certificate of the client CA bundle (`tls_client_ca`, else `ca_certificate`) and be within
its validity period; only then does its CN name the station.
"""

import ipaddress
import logging
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import unquote

from cryptography import x509
from cryptography.exceptions import InvalidSignature

from chargeyard.certificates.domain import common_name
from chargeyard.clock import Clock, utcnow
from chargeyard.settings import Settings

logger = logging.getLogger(__name__)

_Network = ipaddress.IPv4Network | ipaddress.IPv6Network


@dataclass(frozen=True)
class ForwardedTls:
    """What the proxy in front says about one connection's TLS."""

    tls: bool = False
    client_certificate_cn: str | None = None
    untrusted_headers: bool = False
    """Forwarding headers came from an address that is not a trusted proxy (and were ignored)."""


class TrustedProxies:
    def __init__(
        self,
        networks: list[_Network],
        header: str | None,
        client_ca: list[x509.Certificate],
        clock: Clock = utcnow,
    ) -> None:
        self.networks = networks
        self.header = header.lower() if header else None
        self.client_ca = client_ca
        self.clock = clock

    @classmethod
    def from_settings(cls, settings: Settings, clock: Clock = utcnow) -> "TrustedProxies":
        networks = [
            ipaddress.ip_network(item.strip(), strict=False)
            for item in settings.trusted_proxies.split(",")
            if item.strip()
        ]
        ca_path = settings.tls_client_ca or settings.ca_certificate
        return cls(networks, settings.tls_client_cert_header, _load_bundle(ca_path), clock)

    def trusts(self, host: str | None) -> bool:
        if host is None or not self.networks:
            return False
        try:
            address = ipaddress.ip_address(host)
        except ValueError:
            return False
        return any(address in network for network in self.networks)

    def read(self, scope: Any) -> ForwardedTls:
        headers = {key.decode("latin-1").lower(): value for key, value in scope["headers"]}
        proto = headers.get("x-forwarded-proto", b"").decode("latin-1").strip().lower()
        certificate = headers.get(self.header) if self.header else None
        if not proto and certificate is None:
            return ForwardedTls()
        client = scope.get("client")
        peer = client[0] if client else None
        if not self.trusts(peer):
            return ForwardedTls(untrusted_headers=True)
        name = None
        if certificate:
            name = self._verified_name(certificate.decode("latin-1"), peer)
        return ForwardedTls(tls=proto == "https", client_certificate_cn=name)

    def _verified_name(self, escaped_pem: str, peer: str | None) -> str | None:
        try:
            certificate = x509.load_pem_x509_certificate(unquote(escaped_pem).encode())
        except ValueError:
            logger.warning("proxy %s forwarded a client certificate that is not PEM", peer)
            return None
        now = self.clock()
        if not certificate.not_valid_before_utc <= now <= certificate.not_valid_after_utc:
            logger.warning("proxy %s forwarded an expired or not yet valid certificate", peer)
            return None
        for authority in self.client_ca:
            try:
                certificate.verify_directly_issued_by(authority)
            except (ValueError, TypeError, InvalidSignature):
                continue
            return common_name(certificate.subject)
        logger.warning("proxy %s forwarded a certificate not issued by the client CA", peer)
        return None


def _load_bundle(path: Path | None) -> list[x509.Certificate]:
    if path is None:
        return []
    return x509.load_pem_x509_certificates(path.read_bytes())
