"""Checking a certificate chain's revocation status through the ISO 15118 provider's OCSP
interface.

OCSP requests go to the configured provider, trying each responder URL the station gave until
one answers. Chargeyard fetches no CRLs, so a CRL check (and any OCSP check without a provider,
or without an answer) is `Failed` with the reason, to be asked again at once: a station is never
told a certificate is good when nobody checked.
"""

from collections.abc import Sequence
from datetime import datetime

from chargeyard.certificate_chains.domain import (
    CertificateState,
    CertificateStatus,
    OcspReading,
    StatusRequest,
    StatusSource,
    read_ocsp,
)
from chargeyard.certificates.iso15118 import (
    CertificateStatusQuery,
    Iso15118Provider,
    Iso15118Status,
)

NO_CRL_CHECKS = "this CSMS does not check CRLs"


async def check_chain(
    station_id: str,
    requests: Sequence[StatusRequest],
    provider: Iso15118Provider,
    now: datetime,
) -> list[CertificateStatus]:
    statuses = []
    for request in requests:
        if request.source is StatusSource.CRL:
            reading = OcspReading(CertificateState.FAILED, reason=NO_CRL_CHECKS)
        else:
            reading = await _ocsp(station_id, request, provider)
        statuses.append(
            CertificateStatus(request, reading.state, reading.next_update or now, reading.reason)
        )
    return statuses


async def _ocsp(station_id: str, request: StatusRequest, provider: Iso15118Provider) -> OcspReading:
    reading = OcspReading(CertificateState.FAILED, reason="no responder URL")
    certificate = request.certificate
    for url in request.urls:
        query = CertificateStatusQuery(
            station_id=station_id,
            hash_algorithm=certificate.hash_algorithm,
            issuer_name_hash=certificate.issuer_name_hash,
            issuer_key_hash=certificate.issuer_key_hash,
            serial_number=certificate.serial_number,
            responder_url=url,
        )
        answer = await provider.certificate_status(query)
        if answer.status is Iso15118Status.ACCEPTED and answer.ocsp_result:
            reading = read_ocsp(certificate, answer.ocsp_result)
        else:
            reading = OcspReading(
                CertificateState.FAILED, reason=answer.reason or answer.reason_code
            )
        if reading.state is not CertificateState.FAILED:
            return reading
    return reading
