"""OCPP 2.1 GetCertificateChainStatus: the revocation status of up to four certificates of a
chain, checked through the ISO 15118 provider's OCSP interface (`certificate_chains.service`).
Each check is also kept as a certificate-request station report."""

from typing import Any

from ocpp.v21.enums import Action

from chargeyard.certificate_chains.domain import CertificateState
from chargeyard.certificate_chains.service import check_chain
from chargeyard.certificates.iso15118 import iso15118_provider
from chargeyard.events.payloads import CertificateChecked, CertificateRequestDetails
from chargeyard.protocol.router import on
from chargeyard.protocol.v21 import translate
from chargeyard.protocol.v201.base import V2Session
from chargeyard.station_reports.domain import ReportKind, StationReport


class CertificateChainHandlers(V2Session):
    @on(Action.get_certificate_chain_status)
    async def on_get_certificate_chain_status(
        self, certificate_status_requests: list[dict[str, Any]], **_: Any
    ) -> Any:
        requests = translate.status_requests(certificate_status_requests)
        provider = iso15118_provider(self.ctx.settings)
        statuses = await check_chain(self.identity.station_id, requests, provider, self.ctx.clock())
        checked = [
            CertificateChecked(
                serial_number=s.request.certificate.serial_number,
                source=s.request.source.value,
                status=s.state.value,
                reason=s.reason,
            )
            for s in statuses
        ]
        worst = next((s.state for s in statuses if s.state is not CertificateState.GOOD), None)
        report = StationReport(
            ReportKind.CERTIFICATE_REQUEST,
            self.ctx.clock(),
            data=CertificateRequestDetails(
                action="GetCertificateChainStatus", certificates=checked
            ),
            status=(worst or CertificateState.GOOD).value,
        )
        await self._record(report)
        return self.result_types.GetCertificateChainStatus(
            certificate_status=[translate.certificate_status(s) for s in statuses]
        )
