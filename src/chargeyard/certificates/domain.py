"""What a station may ask the built-in CA to sign, decided without I/O.

A certificate signing request passes review when it is well-formed, self-signed correctly, names
the requesting station as its common name, and carries a key OCPP allows (RSA of 2048 bits or
more, or an elliptic curve key on secp256r1/secp384r1). V2G certificates are ISO 15118 business
and belong to the V2G PKI, never to the built-in CA, so they are refused here.
"""

from dataclasses import dataclass
from datetime import datetime
from enum import Enum

from cryptography import x509
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.x509.oid import NameOID

CSR_MAX_LENGTH = 5500
"""The 1.6 and 2.0.1 schemas both cap the CSR at 5500 characters."""

_CURVES = (ec.SECP256R1, ec.SECP384R1)


class CertificateUse(Enum):
    """What the certificate is for (OCPP 2.0.1 CertificateSigningUseEnumType)."""

    CHARGING_STATION = "ChargingStationCertificate"
    V2G = "V2GCertificate"


class KeyType(Enum):
    EC = "ec"
    RSA = "rsa"


@dataclass(frozen=True)
class CsrReview:
    """The answer to a SignCertificate: accepted (and signable) or refused with a reason."""

    station_id: str
    use: CertificateUse
    csr: x509.CertificateSigningRequest | None = None
    refusal: str | None = None

    @property
    def accepted(self) -> bool:
        return self.refusal is None and self.csr is not None


@dataclass(frozen=True)
class IssuedCertificate:
    """A signed certificate as sent in CertificateSigned: the leaf first, then the CA."""

    chain_pem: str
    serial_number: str
    not_after: datetime


def common_name(name: x509.Name) -> str | None:
    values = name.get_attributes_for_oid(NameOID.COMMON_NAME)
    if not values:
        return None
    value = values[0].value
    return value.decode() if isinstance(value, bytes) else value


def review_csr(station_id: str, csr_pem: str, use: CertificateUse) -> CsrReview:
    def refuse(reason: str) -> CsrReview:
        return CsrReview(station_id, use, refusal=reason)

    if use is not CertificateUse.CHARGING_STATION:
        return refuse("V2G certificates are issued by the ISO 15118 PKI, not the built-in CA")
    if len(csr_pem) > CSR_MAX_LENGTH:
        return refuse(f"the CSR is longer than {CSR_MAX_LENGTH} characters")
    try:
        csr = x509.load_pem_x509_csr(csr_pem.encode())
    except ValueError:
        return refuse("the CSR is not a PEM-encoded PKCS#10 request")
    if not csr.is_signature_valid:
        return refuse("the CSR signature does not verify")
    if common_name(csr.subject) != station_id:
        return refuse(f"the CSR common name must be the station id {station_id!r}")
    key = csr.public_key()
    if isinstance(key, rsa.RSAPublicKey):
        if key.key_size < 2048:
            return refuse("an RSA key must have at least 2048 bits")
    elif not (isinstance(key, ec.EllipticCurvePublicKey) and isinstance(key.curve, _CURVES)):
        return refuse("the key must be RSA (2048 bits or more) or EC on secp256r1/secp384r1")
    return CsrReview(station_id, use, csr=csr)
