"""The built-in CA: what it issues, and that it verifies."""

from datetime import UTC, datetime, timedelta
from ipaddress import IPv4Address
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

from chargeyard.certificates.authority import CertificateAuthority
from chargeyard.certificates.domain import CertificateUse, KeyType, review_csr
from tests.certificates.test_review import csr_pem

NOW = datetime(2026, 1, 1, tzinfo=UTC)


def leaf_and_issuer(chain_pem: str) -> tuple[x509.Certificate, x509.Certificate]:
    leaf, issuer = x509.load_pem_x509_certificates(chain_pem.encode())
    return leaf, issuer


def usages(certificate: x509.Certificate) -> list[x509.ObjectIdentifier]:
    return list(certificate.extensions.get_extension_for_class(x509.ExtendedKeyUsage).value)


def test_a_new_ca_is_a_self_signed_ca(tmp_path: Path) -> None:
    ca = CertificateAuthority.create("Test CA", now=NOW, valid_days=10)
    ca.save(tmp_path / "ca.pem", tmp_path / "ca.key")
    loaded = CertificateAuthority.load(tmp_path / "ca.pem", tmp_path / "ca.key")
    assert loaded.certificate == ca.certificate
    constraints = loaded.certificate.extensions.get_extension_for_class(x509.BasicConstraints)
    assert constraints.value.ca is True
    loaded.certificate.verify_directly_issued_by(loaded.certificate)
    assert (tmp_path / "ca.key").stat().st_mode & 0o777 == 0o600


def test_a_server_certificate_names_its_hosts() -> None:
    ca = CertificateAuthority.create("Test CA", now=NOW, key_type=KeyType.RSA)
    leaf, issuer = leaf_and_issuer(
        ca.issue_server(["csms.example", "127.0.0.1"], now=NOW).chain_pem
    )
    assert issuer == ca.certificate
    leaf.verify_directly_issued_by(ca.certificate)
    names = leaf.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
    assert names.get_values_for_type(x509.DNSName) == ["csms.example"]
    assert names.get_values_for_type(x509.IPAddress) == [IPv4Address("127.0.0.1")]
    assert usages(leaf) == [ExtendedKeyUsageOID.SERVER_AUTH]


def test_a_signed_csr_keeps_its_subject_and_key_and_gets_client_auth() -> None:
    ca = CertificateAuthority.create("Test CA", now=NOW)
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    review = review_csr("CP-7", csr_pem("CP-7", key), CertificateUse.CHARGING_STATION)
    assert review.csr is not None
    issued = ca.sign(review.csr, now=NOW, valid_days=30)
    leaf, _ = leaf_and_issuer(issued.chain_pem)
    leaf.verify_directly_issued_by(ca.certificate)
    assert leaf.subject.get_attributes_for_oid(NameOID.COMMON_NAME)[0].value == "CP-7"
    assert leaf.public_key() == key.public_key()
    assert usages(leaf) == [ExtendedKeyUsageOID.CLIENT_AUTH]
    assert issued.not_after == NOW + timedelta(days=30)
    assert issued.serial_number == format(leaf.serial_number, "x")


def test_no_certificate_outlives_its_ca() -> None:
    ca = CertificateAuthority.create("Short CA", now=NOW, valid_days=10)
    leaf, _ = leaf_and_issuer(ca.issue_station("CP-8", now=NOW, valid_days=365).chain_pem)
    assert leaf.not_valid_after_utc == ca.certificate.not_valid_after_utc
