"""ISO 15118 requests go to the configured provider; without one they fail, and say why."""

from chargeyard.certificates.iso15118 import (
    NO_PROVIDER,
    CertificateStatusAnswer,
    CertificateStatusQuery,
    EvCertificateAnswer,
    EvCertificateRequest,
    Iso15118Provider,
    Iso15118Status,
    NoIso15118Provider,
    iso15118_provider,
)
from chargeyard.settings import Settings

REQUEST = EvCertificateRequest("CP-1", "urn:iso:15118:2:2013:MsgDef", "Install", "AAEC")
QUERY = CertificateStatusQuery("CP-1", "SHA256", "aa", "bb", "01", "http://ocsp.example")


class EchoProvider(Iso15118Provider):
    def __init__(self, settings: Settings) -> None:
        self.node = settings.node_id

    async def ev_certificate(self, request: EvCertificateRequest) -> EvCertificateAnswer:
        return EvCertificateAnswer(Iso15118Status.ACCEPTED, exi_response=request.exi_request)

    async def certificate_status(self, query: CertificateStatusQuery) -> CertificateStatusAnswer:
        return CertificateStatusAnswer(Iso15118Status.ACCEPTED, ocsp_result=self.node)


async def test_without_a_provider_every_request_fails_with_no_certificate() -> None:
    provider = iso15118_provider(Settings())
    assert isinstance(provider, NoIso15118Provider)
    answer = await provider.ev_certificate(REQUEST)
    assert answer.status is Iso15118Status.FAILED
    assert answer.exi_response == "" and answer.reason_code == NO_PROVIDER
    status = await provider.certificate_status(QUERY)
    assert status.status is Iso15118Status.FAILED and status.ocsp_result is None
    assert len(NO_PROVIDER) <= 20


async def test_a_configured_provider_is_built_once_from_its_path() -> None:
    settings = Settings(
        node_id="node-15118", iso15118_provider="tests.certificates.test_iso15118:EchoProvider"
    )
    provider = iso15118_provider(settings)
    assert provider is iso15118_provider(settings)
    assert (await provider.ev_certificate(REQUEST)).exi_response == "AAEC"
    assert (await provider.certificate_status(QUERY)).ocsp_result == "node-15118"
