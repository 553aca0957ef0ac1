"""SignCertificate (1.6 security extension): CSR in, Accepted, then CertificateSigned from the CA."""

import asyncio
import json
from typing import Any

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from chargeyard.certificates.authority import KeyPair, key_to_pem
from tests.conftest import Tenant
from tests.protocol.tls.conftest import BOOT, Pki, TlsServer, boot_status, register, tls_station
from tests.support.ocpp_client import raw_station
from tests.support.payloads import fits


def make_csr(common_name: str) -> tuple[str, ec.EllipticCurvePrivateKey]:
    key = ec.generate_private_key(ec.SECP256R1())
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common_name)])
    csr = x509.CertificateSigningRequestBuilder().subject_name(subject).sign(key, hashes.SHA256())
    return csr.public_bytes(serialization.Encoding.PEM).decode(), key


async def signed_events(tenant: Tenant, station_id: str) -> list[dict[str, Any]]:
    """The delivery is recorded once the station has answered: wait for it (up to 30 s)."""
    params = {"station_id": station_id, "type": "station.certificate_signed"}
    for _ in range(600):
        items = (await tenant.api.get("/events", params=params)).json()["items"]
        if items:
            for item in items:
                fits(item["type"], item["data"])
            return list(items)
        await asyncio.sleep(0.05)
    return []


BOOTS = {
    "ocpp1.6": BOOT,
    "ocpp2.0.1": {
        "chargingStation": {"model": "Secure 22", "vendorName": "Acme"},
        "reason": "PowerUp",
    },
}


@pytest.mark.parametrize("subprotocol", ["ocpp1.6", "ocpp2.0.1"])
async def test_a_signed_csr_comes_back_as_a_chain_that_opens_profile_3(
    tenant: Tenant, tls_server: TlsServer, pki: Pki, subprotocol: str
) -> None:
    station_id = await register(tenant, 2)
    csr, key = make_csr(station_id)
    context = pki.client_context()
    async with tls_station(
        tls_server.ocpp_url, station_id, context, subprotocol=subprotocol
    ) as station:
        assert (await station.ok("BootNotification", BOOTS[subprotocol]))["status"] == "Accepted"
        assert await station.ok("SignCertificate", {"csr": csr}) == {"status": "Accepted"}
        kind, unique_id, action, payload = json.loads(
            await asyncio.wait_for(station.socket.recv(), 30)
        )
        assert (kind, action) == (2, "CertificateSigned")
        await station.socket.send(json.dumps([3, unique_id, {"status": "Accepted"}]))
    if subprotocol == "ocpp2.0.1":
        assert payload["certificateType"] == "ChargingStationCertificate"
    [delivery] = await signed_events(tenant, station_id)
    assert delivery["data"]["station_status"] == "Accepted"
    leaf, issuer = x509.load_pem_x509_certificates(payload["certificateChain"].encode())
    assert issuer == pki.ca.certificate
    leaf.verify_directly_issued_by(pki.ca.certificate)
    assert leaf.subject.get_attributes_for_oid(NameOID.COMMON_NAME)[0].value == station_id
    assert leaf.public_key() == key.public_key()

    # The certificate is good for what it is for: the station moves up to profile 3.
    response = await tenant.api.patch(f"/stations/{station_id}", json={"security_profile": 3})
    assert response.status_code == 200, response.text
    pair = KeyPair(payload["certificateChain"], key_to_pem(key))
    context = pki.client_context(pair=pair)
    assert await boot_status(tls_server.ocpp_url, station_id, context, None) == "Accepted"


async def test_a_csr_naming_another_station_is_rejected(
    tenant: Tenant, tls_server: TlsServer, pki: Pki
) -> None:
    station_id = await register(tenant, 2)
    csr, _ = make_csr("someone-else")
    async with tls_station(tls_server.ocpp_url, station_id, pki.client_context()) as station:
        await station.ok("BootNotification", BOOT)
        assert await station.ok("SignCertificate", {"csr": csr}) == {"status": "Rejected"}
        # Nothing follows the rejection: the next frame is the answer to our Heartbeat.
        assert (await station.call("Heartbeat", {}))[0] == 3


async def test_without_a_configured_ca_sign_certificate_is_rejected(tenant: Tenant) -> None:
    station_id = tenant.unique("CP")
    body = {"id": station_id, "password": "correct-horse-battery-staple"}
    assert (await tenant.api.post("/stations", json=body)).status_code == 201
    csr, _ = make_csr(station_id)
    async with raw_station(tenant.server.ocpp_url, station_id) as station:
        await station.ok("BootNotification", BOOT)
        assert await station.ok("SignCertificate", {"csr": csr}) == {"status": "Rejected"}
