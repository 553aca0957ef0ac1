"""The built-in certificate authority: one CA key that signs server and station certificates.

Meant for a test or small deployment. A larger operator runs its own PKI and points the TLS
settings at those files instead; nothing else in Chargeyard depends on this module. Station
certificates carry the station id as common name and the clientAuth usage (security profile 3);
server certificates carry the host names as subject alternative names and serverAuth.
"""

import ipaddress
import os
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.hazmat.primitives.asymmetric.types import (
    CertificateIssuerPrivateKeyTypes,
    CertificatePublicKeyTypes,
)
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

from chargeyard.certificates.domain import IssuedCertificate, KeyType

PrivateKey = ec.EllipticCurvePrivateKey | rsa.RSAPrivateKey

CLOCK_SKEW = timedelta(minutes=5)
"""Certificates start a little in the past, so a station whose clock lags still accepts them."""


@dataclass(frozen=True)
class KeyPair:
    """A freshly issued certificate chain (leaf, then CA) with its private key, both PEM."""

    chain_pem: str
    key_pem: str


def generate_key(key_type: KeyType) -> PrivateKey:
    if key_type is KeyType.RSA:
        return rsa.generate_private_key(public_exponent=65537, key_size=2048)
    return ec.generate_private_key(ec.SECP256R1())


def key_to_pem(key: PrivateKey) -> str:
    return key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    ).decode()


def certificate_to_pem(certificate: x509.Certificate) -> str:
    return certificate.public_bytes(serialization.Encoding.PEM).decode()


def _name(common_name: str, organization: str | None = None) -> x509.Name:
    attributes = [x509.NameAttribute(NameOID.COMMON_NAME, common_name)]
    if organization:
        attributes.append(x509.NameAttribute(NameOID.ORGANIZATION_NAME, organization))
    return x509.Name(attributes)


def _alternative_name(host: str) -> x509.GeneralName:
    try:
        return x509.IPAddress(ipaddress.ip_address(host))
    except ValueError:
        return x509.DNSName(host)


def _key_usage(*, ca: bool) -> x509.KeyUsage:
    return x509.KeyUsage(
        digital_signature=True,
        content_commitment=False,
        key_encipherment=not ca,
        data_encipherment=False,
        key_agreement=False,
        key_cert_sign=ca,
        crl_sign=ca,
        encipher_only=False,
        decipher_only=False,
    )


@dataclass(frozen=True)
class CertificateAuthority:
    certificate: x509.Certificate
    key: PrivateKey

    @classmethod
    def create(
        cls, name: str, *, now: datetime, valid_days: int = 3650, key_type: KeyType = KeyType.EC
    ) -> "CertificateAuthority":
        key = generate_key(key_type)
        subject = _name(name, "Chargeyard")
        builder = (
            x509.CertificateBuilder()
            .subject_name(subject)
            .issuer_name(subject)
            .public_key(key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(now - CLOCK_SKEW)
            .not_valid_after(now + timedelta(days=valid_days))
            .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
            .add_extension(_key_usage(ca=True), critical=True)
            .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), False)
        )
        return cls(builder.sign(key, hashes.SHA256()), key)

    @classmethod
    def load(cls, certificate_path: Path, key_path: Path) -> "CertificateAuthority":
        certificate = x509.load_pem_x509_certificate(certificate_path.read_bytes())
        key = serialization.load_pem_private_key(key_path.read_bytes(), password=None)
        if not isinstance(key, ec.EllipticCurvePrivateKey | rsa.RSAPrivateKey):
            raise ValueError(f"{key_path}: the CA key must be EC or RSA")
        return cls(certificate, key)

    def save(self, certificate_path: Path, key_path: Path) -> None:
        certificate_path.write_text(certificate_to_pem(self.certificate))
        write_private(key_path, key_to_pem(self.key))

    @property
    def certificate_pem(self) -> str:
        return certificate_to_pem(self.certificate)

    def issue_server(
        self,
        hosts: Sequence[str],
        *,
        now: datetime,
        valid_days: int = 825,
        key_type: KeyType = KeyType.EC,
    ) -> KeyPair:
        """A TLS server certificate for the CSMS, valid for every host name or IP in `hosts`."""
        if not hosts:
            raise ValueError("a server certificate needs at least one host name")
        key = generate_key(key_type)
        certificate = self._issue(
            _name(hosts[0], "Chargeyard"),
            key.public_key(),
            ExtendedKeyUsageOID.SERVER_AUTH,
            now=now,
            valid_days=valid_days,
            alternative_names=[_alternative_name(host) for host in hosts],
        )
        return KeyPair(self.chain_pem(certificate), key_to_pem(key))

    def issue_station(
        self,
        station_id: str,
        *,
        now: datetime,
        valid_days: int = 365,
        key_type: KeyType = KeyType.EC,
    ) -> KeyPair:
        """A client certificate and key for a station that cannot make its own CSR."""
        key = generate_key(key_type)
        certificate = self._issue(
            _name(station_id),
            key.public_key(),
            ExtendedKeyUsageOID.CLIENT_AUTH,
            now=now,
            valid_days=valid_days,
        )
        return KeyPair(self.chain_pem(certificate), key_to_pem(key))

    def sign(
        self, csr: x509.CertificateSigningRequest, *, now: datetime, valid_days: int = 365
    ) -> IssuedCertificate:
        """Sign a reviewed station CSR: the subject is the CSR's, the usages are ours."""
        certificate = self._issue(
            csr.subject,
            csr.public_key(),
            ExtendedKeyUsageOID.CLIENT_AUTH,
            now=now,
            valid_days=valid_days,
        )
        return IssuedCertificate(
            chain_pem=self.chain_pem(certificate),
            serial_number=format(certificate.serial_number, "x"),
            not_after=certificate.not_valid_after_utc,
        )

    def chain_pem(self, certificate: x509.Certificate) -> str:
        return certificate_to_pem(certificate) + self.certificate_pem

    def _issue(
        self,
        subject: x509.Name,
        public_key: CertificatePublicKeyTypes,
        usage: x509.ObjectIdentifier,
        *,
        now: datetime,
        valid_days: int,
        alternative_names: Sequence[x509.GeneralName] = (),
    ) -> x509.Certificate:
        issuer_key: CertificateIssuerPrivateKeyTypes = self.key
        builder = (
            x509.CertificateBuilder()
            .subject_name(subject)
            .issuer_name(self.certificate.subject)
            .public_key(public_key)
            .serial_number(x509.random_serial_number())
            .not_valid_before(now - CLOCK_SKEW)
            .not_valid_after(min(now + timedelta(days=valid_days), self._expires))
            .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
            .add_extension(_key_usage(ca=False), critical=True)
            .add_extension(x509.ExtendedKeyUsage([usage]), critical=False)
            .add_extension(
                x509.AuthorityKeyIdentifier.from_issuer_public_key(self.key.public_key()), False
            )
        )
        if alternative_names:
            builder = builder.add_extension(
                x509.SubjectAlternativeName(list(alternative_names)), critical=False
            )
        return builder.sign(issuer_key, hashes.SHA256())

    @property
    def _expires(self) -> datetime:
        return self.certificate.not_valid_after_utc


def write_private(path: Path, text: str) -> None:
    """Write a private key readable by its owner only."""
    path.parent.mkdir(parents=True, exist_ok=True)
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "w") as file:
        file.write(text)
