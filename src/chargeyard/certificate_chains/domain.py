"""The revocation status of the certificates in a chain a station must check (OCPP 2.1
GetCertificateChainStatus): what was asked, what was found, and how to read an OCSP answer.

Pure: the OCSP responses come from the ISO 15118 provider (`certificates.iso15118`), and this
module only reads them, checking that each answers for the certificate that was asked about.
"""

import base64
import binascii
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from cryptography.x509 import ocsp


class StatusSource(StrEnum):
    CRL = "CRL"
    OCSP = "OCSP"


class CertificateState(StrEnum):
    GOOD = "Good"
    REVOKED = "Revoked"
    UNKNOWN = "Unknown"
    FAILED = "Failed"


@dataclass(frozen=True)
class CertificateId:
    """A certificate as OCSP names it: hashes of its issuer's name and key, and its serial
    number, all hexadecimal."""

    hash_algorithm: str
    issuer_name_hash: str
    issuer_key_hash: str
    serial_number: str


@dataclass(frozen=True)
class StatusRequest:
    source: StatusSource
    urls: tuple[str, ...]
    certificate: CertificateId


@dataclass(frozen=True)
class CertificateStatus:
    """`next_update`: when to ask again (for a failure, at once). `reason` says why a check
    failed."""

    request: StatusRequest
    state: CertificateState
    next_update: datetime
    reason: str | None = None


@dataclass(frozen=True)
class OcspReading:
    state: CertificateState
    next_update: datetime | None = None
    reason: str | None = None


_STATES = {
    ocsp.OCSPCertStatus.GOOD: CertificateState.GOOD,
    ocsp.OCSPCertStatus.REVOKED: CertificateState.REVOKED,
    ocsp.OCSPCertStatus.UNKNOWN: CertificateState.UNKNOWN,
}


def read_ocsp(certificate: CertificateId, ocsp_result: str) -> OcspReading:
    """Read a base64 DER OCSP response (RFC 6960), as OCPP carries it."""
    try:
        response = ocsp.load_der_ocsp_response(base64.b64decode(ocsp_result, validate=True))
    except (ValueError, binascii.Error):
        return OcspReading(CertificateState.FAILED, reason="unreadable OCSP response")
    if response.response_status is not ocsp.OCSPResponseStatus.SUCCESSFUL:
        return OcspReading(
            CertificateState.FAILED, reason=f"OCSP responder: {response.response_status.name}"
        )
    if not _answers_for(response, certificate):
        return OcspReading(
            CertificateState.FAILED, reason="OCSP response is for another certificate"
        )
    return OcspReading(_STATES[response.certificate_status], response.next_update_utc)


def _answers_for(response: ocsp.OCSPResponse, certificate: CertificateId) -> bool:
    try:
        serial = int(certificate.serial_number, 16)
    except ValueError:
        return False
    return (
        response.serial_number == serial
        and response.issuer_name_hash.hex() == certificate.issuer_name_hash.lower()
        and response.issuer_key_hash.hex() == certificate.issuer_key_hash.lower()
    )
