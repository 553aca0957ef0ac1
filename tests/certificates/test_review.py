"""Which CSRs the built-in CA signs."""

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.x509.oid import NameOID

from chargeyard.certificates.domain import CertificateUse, review_csr

STATION = "CP-0001"
ChargingStation = CertificateUse.CHARGING_STATION


def csr_pem(common_name: str, key: ec.EllipticCurvePrivateKey | rsa.RSAPrivateKey) -> str:
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common_name)])
    csr = x509.CertificateSigningRequestBuilder().subject_name(subject).sign(key, hashes.SHA256())
    return csr.public_bytes(serialization.Encoding.PEM).decode()


def test_a_csr_naming_the_station_with_a_p256_key_passes() -> None:
    review = review_csr(
        STATION, csr_pem(STATION, ec.generate_private_key(ec.SECP256R1())), ChargingStation
    )
    assert review.accepted and review.refusal is None
    assert review.csr is not None


def test_an_rsa_2048_key_passes_and_1024_does_not() -> None:
    strong = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    weak = rsa.generate_private_key(public_exponent=65537, key_size=1024)
    assert review_csr(STATION, csr_pem(STATION, strong), ChargingStation).accepted
    refused = review_csr(STATION, csr_pem(STATION, weak), ChargingStation)
    assert refused.refusal == "an RSA key must have at least 2048 bits"


def test_another_curve_is_refused() -> None:
    review = review_csr(
        STATION, csr_pem(STATION, ec.generate_private_key(ec.SECP521R1())), ChargingStation
    )
    assert not review.accepted and "secp256r1" in (review.refusal or "")


def test_a_csr_for_another_station_is_refused() -> None:
    review = review_csr(
        STATION, csr_pem("CP-0002", ec.generate_private_key(ec.SECP256R1())), ChargingStation
    )
    assert review.refusal == "the CSR common name must be the station id 'CP-0001'"


def test_garbage_is_refused() -> None:
    assert review_csr(STATION, "not a csr", ChargingStation).refusal == (
        "the CSR is not a PEM-encoded PKCS#10 request"
    )


def test_a_tampered_csr_is_refused() -> None:
    good = csr_pem("CP-000X", ec.generate_private_key(ec.SECP256R1()))
    der = x509.load_pem_x509_csr(good.encode()).public_bytes(serialization.Encoding.DER)
    # Rename the subject after signing: the signature no longer covers what the CSR says.
    tampered = x509.load_der_x509_csr(der.replace(b"CP-000X", STATION.encode()))
    pem = tampered.public_bytes(serialization.Encoding.PEM).decode()
    assert review_csr(STATION, pem, ChargingStation).refusal == "the CSR signature does not verify"


def test_v2g_certificates_are_not_the_built_in_cas_business() -> None:
    pem = csr_pem(STATION, ec.generate_private_key(ec.SECP256R1()))
    review = review_csr(STATION, pem, CertificateUse.V2G)
    assert review.refusal == "V2G certificates are issued by the ISO 15118 PKI, not the built-in CA"


def test_an_oversized_csr_is_refused() -> None:
    assert "5500" in (review_csr(STATION, "x" * 5501, ChargingStation).refusal or "")
