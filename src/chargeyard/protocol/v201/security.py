"""OCPP 2.x security and certificate messages, on the services the 1.6 adapter uses too.

Security events go to the security log. SignCertificate is reviewed at once and, when accepted,
signed by the built-in CA and sent back in CertificateSigned by a follow-up task (never from
inside the handler). ISO 15118 requests go to the configured provider; without one they fail
with a reason, and a station is never handed a made-up certificate. Certificate requests are
also kept as station reports.
"""

from typing import Any

from ocpp.v201.enums import Action

from chargeyard.certificates.domain import CertificateUse, CsrReview
from chargeyard.certificates.iso15118 import (
    CertificateStatusQuery,
    EvCertificateRequest,
    iso15118_provider,
)
from chargeyard.certificates.service import (
    NO_AUTHORITY,
    CertificateService,
    deliver_certificate,
)
from chargeyard.events.payloads import CertificateRequestDetails
from chargeyard.protocol.convert import parse_timestamp
from chargeyard.protocol.router import on
from chargeyard.protocol.v201.base import V2Session
from chargeyard.security_events.domain import SecurityEventReport
from chargeyard.security_events.service import SecurityEventService
from chargeyard.station_reports.domain import ReportKind, StationReport


def status_info(reason_code: str | None, reason: str | None) -> dict[str, str] | None:
    """StatusInfo: a reason code of at most 20 characters, and the reason in words."""
    if reason_code is None:
        return None
    info = {"reason_code": reason_code[:20]}
    if reason:
        info["additional_info"] = reason[:512]
    return info


class SecurityHandlers(V2Session):
    def _request(self, data: CertificateRequestDetails, status: str) -> StationReport:
        return StationReport(
            ReportKind.CERTIFICATE_REQUEST,
            self.ctx.clock(),
            data=data,
            status=status,
        )

    @on(Action.security_event_notification)
    async def on_security_event_notification(
        self, type: str, timestamp: str, tech_info: str | None = None, **_: Any
    ) -> Any:
        report = SecurityEventReport(type, parse_timestamp(timestamp), tech_info)
        async with self._unit() as uow:
            service = SecurityEventService(uow, self.identity.organization_id, self.ctx.clock)
            service.report(self.identity.station_id, report, self.ocpp_version)
            await uow.commit()
        return self.result_types.SecurityEventNotification()

    @on(Action.sign_certificate)
    async def on_sign_certificate(
        self, csr: str, certificate_type: str | None = None, **_: Any
    ) -> Any:
        use = CertificateUse(certificate_type or CertificateUse.CHARGING_STATION.value)
        async with self._unit() as uow:
            service = CertificateService(
                uow, self.identity.organization_id, self.ctx.clock, self.ctx.settings
            )
            review = service.review(self.identity.station_id, csr, use)
            await uow.commit()
        if not review.accepted:
            code = "NoCertAuthority" if review.refusal == NO_AUTHORITY else "InvalidCSR"
            return self.result_types.SignCertificate(
                status="Rejected", status_info=status_info(code, review.refusal)
            )
        self.spawn(self._deliver_certificate(review))
        return self.result_types.SignCertificate(status="Accepted")

    async def _deliver_certificate(self, review: CsrReview) -> None:
        async def send(chain: str) -> str:
            request = self.call_types.CertificateSigned(
                certificate_chain=chain, certificate_type=review.use.value
            )
            answer = await self.call(request)
            return "NoAnswer" if answer is None else str(answer.status)

        ctx = self.ctx
        await deliver_certificate(
            ctx.db, ctx.settings, ctx.clock, self.identity.organization_id, review, send
        )

    @on(Action.get_15118_ev_certificate)
    async def on_get_15118_ev_certificate(
        self,
        iso15118_schema_version: str,
        action: str,
        exi_request: str,
        maximum_contract_certificate_chains: int | None = None,
        prioritized_emai_ds: list[str] | None = None,  # the library splits "EMAIDs"
        **_: Any,
    ) -> Any:
        request = EvCertificateRequest(
            station_id=self.identity.station_id,
            schema_version=iso15118_schema_version,
            action=action,
            exi_request=exi_request,
            maximum_contract_certificate_chains=maximum_contract_certificate_chains,
            prioritized_emaids=tuple(prioritized_emai_ds or ()),
        )
        answer = await iso15118_provider(self.ctx.settings).ev_certificate(request)
        data = CertificateRequestDetails(
            action="Get15118EVCertificate",
            schema_version=iso15118_schema_version,
            certificate_action=action,
        )
        await self._record(self._request(data, answer.status.value))
        return self.result_types.Get15118EVCertificate(
            status=answer.status.value,
            exi_response=answer.exi_response,
            status_info=status_info(answer.reason_code, answer.reason),
        )

    @on(Action.get_certificate_status)
    async def on_get_certificate_status(self, ocsp_request_data: dict[str, Any], **_: Any) -> Any:
        query = CertificateStatusQuery(
            station_id=self.identity.station_id,
            hash_algorithm=ocsp_request_data["hash_algorithm"],
            issuer_name_hash=ocsp_request_data["issuer_name_hash"],
            issuer_key_hash=ocsp_request_data["issuer_key_hash"],
            serial_number=ocsp_request_data["serial_number"],
            responder_url=ocsp_request_data["responder_url"],
        )
        answer = await iso15118_provider(self.ctx.settings).certificate_status(query)
        data = CertificateRequestDetails(
            action="GetCertificateStatus",
            serial_number=query.serial_number,
            responder_url=query.responder_url,
        )
        await self._record(self._request(data, answer.status.value))
        return self.result_types.GetCertificateStatus(
            status=answer.status.value,
            ocsp_result=answer.ocsp_result,
            status_info=status_info(answer.reason_code, answer.reason),
        )
