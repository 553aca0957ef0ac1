"""A throwaway CA, certificates and real OCSP responses (RFC 6960) for certificate status tests."""

import base64
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509 import ocsp
from cryptography.x509.oid import NameOID

from chargeyard.certificate_chains.domain import CertificateId

NEXT_UPDATE = datetime(2030, 1, 1, tzinfo=UTC)


def _name(common_name: str) -> x509.Name:
    return x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common_name)])


@dataclass
class Pki:
    key: ec.EllipticCurvePrivateKey
    ca: x509.Certificate

    @classmethod
    def create(cls) -> "Pki":
        key = ec.generate_private_key(ec.SECP256R1())
        ca = cls._sign(key, _name("Test V2G Root"), key.public_key(), _name("Test V2G Root"))
        return cls(key, ca)

    @staticmethod
    def _sign(
        key: ec.EllipticCurvePrivateKey,
        issuer: x509.Name,
        public_key: ec.EllipticCurvePublicKey,
        subject: x509.Name,
    ) -> x509.Certificate:
        now = datetime.now(UTC)
        return (
            x509.CertificateBuilder()
            .subject_name(subject)
            .issuer_name(issuer)
            .public_key(public_key)
            .serial_number(x509.random_serial_number())
            .not_valid_before(now - timedelta(days=1))
            .not_valid_after(now + timedelta(days=30))
            .sign(key, hashes.SHA256())
        )

    def issue(self, common_name: str) -> x509.Certificate:
        public_key = ec.generate_private_key(ec.SECP256R1()).public_key()
        return self._sign(self.key, self.ca.subject, public_key, _name(common_name))

    def certificate_id(self, certificate: x509.Certificate) -> CertificateId:
        request = (
            ocsp.OCSPRequestBuilder().add_certificate(certificate, self.ca, hashes.SHA256()).build()
        )
        return CertificateId(
            hash_algorithm="SHA256",
            issuer_name_hash=request.issuer_name_hash.hex(),
            issuer_key_hash=request.issuer_key_hash.hex(),
            serial_number=format(request.serial_number, "X"),
        )

    def ocsp_response(self, certificate: x509.Certificate, revoked: bool = False) -> str:
        """Base64 DER, as OCPP's ocspResult carries it."""
        now = datetime.now(UTC)
        builder = ocsp.OCSPResponseBuilder().add_response(
            cert=certificate,
            issuer=self.ca,
            algorithm=hashes.SHA256(),
            cert_status=ocsp.OCSPCertStatus.REVOKED if revoked else ocsp.OCSPCertStatus.GOOD,
            this_update=now,
            next_update=NEXT_UPDATE,
            revocation_time=now if revoked else None,
            revocation_reason=x509.ReasonFlags.key_compromise if revoked else None,
        )
        response = builder.responder_id(ocsp.OCSPResponderEncoding.HASH, self.ca).sign(
            self.key, hashes.SHA256()
        )
        return base64.b64encode(response.public_bytes(serialization.Encoding.DER)).decode()
