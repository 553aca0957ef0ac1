"""GetCertificateChainStatus: OCSP checks through the ISO 15118 provider, each certificate's
status as the OCSP response says; without a provider, and for CRLs, Failed with no pretence."""

from typing import Any

import pytest

from chargeyard.certificate_chains.domain import CertificateId
from chargeyard.certificates.iso15118 import (
    CertificateStatusAnswer,
    CertificateStatusQuery,
    EvCertificateAnswer,
    EvCertificateRequest,
    Iso15118Provider,
    Iso15118Status,
)
from chargeyard.protocol.v21 import certificates
from chargeyard.settings import Settings
from tests.certificate_chains.pki import Pki
from tests.conftest import Tenant
from tests.protocol.v21.conftest import V21Stations, answer, items

RESPONDER = "http://ocsp.v2g.test"


def status_request(certificate: CertificateId, source: str, *urls: str) -> dict[str, Any]:
    return {
        "source": source,
        "urls": list(urls),
        "certificateHashData": {
            "hashAlgorithm": certificate.hash_algorithm,
            "issuerNameHash": certificate.issuer_name_hash,
            "issuerKeyHash": certificate.issuer_key_hash,
            "serialNumber": certificate.serial_number,
        },
    }


class Responder(Iso15118Provider):
    """Answers OCSP queries at RESPONDER from canned responses; other URLs are unreachable."""

    def __init__(self, responses: dict[str, str]) -> None:
        self.responses = responses
        self.asked: list[str] = []

    async def ev_certificate(self, request: EvCertificateRequest) -> EvCertificateAnswer:
        raise AssertionError("not used")

    async def certificate_status(self, query: CertificateStatusQuery) -> CertificateStatusAnswer:
        self.asked.append(query.responder_url)
        if query.responder_url != RESPONDER:
            return CertificateStatusAnswer(Iso15118Status.FAILED, reason="unreachable")
        return CertificateStatusAnswer(
            Iso15118Status.ACCEPTED, ocsp_result=self.responses[query.serial_number]
        )


async def test_chain_status_from_ocsp_responses(
    tenant: Tenant, v21: V21Stations, monkeypatch: pytest.MonkeyPatch
) -> None:
    pki = Pki.create()
    good, revoked = pki.issue("sub-ca"), pki.issue("leaf")
    good_id, revoked_id = pki.certificate_id(good), pki.certificate_id(revoked)
    responder = Responder(
        {
            good_id.serial_number: pki.ocsp_response(good),
            revoked_id.serial_number: pki.ocsp_response(revoked, revoked=True),
        }
    )

    def provider(settings: Settings) -> Iso15118Provider:
        return responder

    monkeypatch.setattr(certificates, "iso15118_provider", provider)
    requests = [
        status_request(good_id, "OCSP", "http://down.test", RESPONDER),
        status_request(revoked_id, "OCSP", RESPONDER),
        status_request(good_id, "CRL", "http://crl.v2g.test/root.crl"),
    ]
    async with v21.booted() as (sid, station):
        result = await answer(
            station, "GetCertificateChainStatus", {"certificateStatusRequests": requests}
        )
    statuses = result["certificateStatus"]
    assert [(s["source"], s["status"]) for s in statuses] == [
        ("OCSP", "Good"),
        ("OCSP", "Revoked"),
        ("CRL", "Failed"),
    ]
    assert statuses[0]["nextUpdate"] == "2030-01-01T00:00:00Z"
    assert statuses[1]["certificateHashData"] == requests[1]["certificateHashData"]
    assert responder.asked == ["http://down.test", RESPONDER, RESPONDER]
    stored = await items(tenant, f"/stations/{sid}/reports", kind="certificate_request")
    assert stored[0]["status"] == "Revoked"
    assert [c["status"] for c in stored[0]["data"]["certificates"]] == ["Good", "Revoked", "Failed"]
    assert stored[0]["data"]["certificates"][2]["reason"] == "this CSMS does not check CRLs"


async def test_chain_status_without_a_provider_fails(tenant: Tenant, v21: V21Stations) -> None:
    pki = Pki.create()
    leaf = pki.certificate_id(pki.issue("leaf"))
    async with v21.booted() as (sid, station):
        result = await answer(
            station,
            "GetCertificateChainStatus",
            {"certificateStatusRequests": [status_request(leaf, "OCSP", RESPONDER)]},
        )
    [status] = result["certificateStatus"]
    assert status["status"] == "Failed"
    stored = await items(tenant, f"/stations/{sid}/reports", kind="certificate_request")
    assert stored[0]["data"]["action"] == "GetCertificateChainStatus"
    assert stored[0]["data"]["certificates"][0]["reason"] == (
        "no ISO 15118 provider is configured on this CSMS"
    )
