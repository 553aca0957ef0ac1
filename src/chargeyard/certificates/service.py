"""Station certificate use cases: review a CSR, sign it, and record what happened.

SignCertificate is answered at once with the review's verdict; the signing and the
CertificateSigned CALL follow as a separate task (`deliver_certificate`), so a handler never
waits on the station. Reviews and deliveries are recorded as `station.certificate_requested`
and `station.certificate_signed` events. The built-in CA is read from the settings once per
process (`certificate_authority`).
"""

import asyncio
from collections.abc import Awaitable, Callable
from pathlib import Path

from chargeyard.certificates.authority import CertificateAuthority
from chargeyard.certificates.domain import CertificateUse, CsrReview, IssuedCertificate, review_csr
from chargeyard.clock import Clock
from chargeyard.events.payloads import (
    STATION_CERTIFICATE_REQUESTED,
    STATION_CERTIFICATE_SIGNED,
    EventKind,
    P,
    StationCertificateRequested,
    StationCertificateSigned,
)
from chargeyard.events.recorder import record_event
from chargeyard.settings import Settings
from chargeyard.storage.database import Database
from chargeyard.storage.unit_of_work import UnitOfWork

NO_AUTHORITY = "no certificate authority is configured (ca_certificate, ca_key)"

_authorities: dict[tuple[Path, Path], CertificateAuthority] = {}


def certificate_authority(settings: Settings) -> CertificateAuthority | None:
    if settings.ca_certificate is None or settings.ca_key is None:
        return None
    key = (settings.ca_certificate, settings.ca_key)
    if key not in _authorities:
        _authorities[key] = CertificateAuthority.load(*key)
    return _authorities[key]


class CertificateService:
    """Never commits; the OCPP handler that calls it does."""

    def __init__(
        self, uow: UnitOfWork, organization_id: str, clock: Clock, settings: Settings
    ) -> None:
        self.uow = uow
        self.organization_id = organization_id
        self.clock = clock
        self.settings = settings

    def review(self, station_id: str, csr_pem: str, use: CertificateUse) -> CsrReview:
        if certificate_authority(self.settings) is None:
            review = CsrReview(station_id, use, refusal=NO_AUTHORITY)
        else:
            review = review_csr(station_id, csr_pem, use)
        requested: StationCertificateRequested = {
            "use": use.value,
            "accepted": review.accepted,
            "reason": review.refusal,
        }
        self._event(STATION_CERTIFICATE_REQUESTED, station_id, requested)
        return review

    def record_delivery(self, station_id: str, issued: IssuedCertificate, answer: str) -> None:
        signed: StationCertificateSigned = {
            "serial_number": issued.serial_number,
            "not_after": issued.not_after.isoformat(),
            "station_status": answer,
        }
        self._event(STATION_CERTIFICATE_SIGNED, station_id, signed)

    def _event(
        self,
        kind: EventKind[P],
        station_id: str,
        data: P,
    ) -> None:
        record_event(
            self.uow,
            organization_id=self.organization_id,
            kind=kind,
            occurred_at=self.clock(),
            station_id=station_id,
            data=data,
        )


async def issue_certificate(
    settings: Settings, clock: Clock, review: CsrReview
) -> IssuedCertificate:
    """Sign an accepted review off the event loop (an RSA signature takes milliseconds)."""
    authority = certificate_authority(settings)
    if authority is None or review.csr is None:
        raise ValueError("only an accepted review can be signed")
    return await asyncio.to_thread(
        authority.sign, review.csr, now=clock(), valid_days=settings.station_certificate_days
    )


SendChain = Callable[[str], Awaitable[str]]
"""Sends CertificateSigned with the chain in the session's OCPP version; returns its status."""


async def deliver_certificate(
    db: Database,
    settings: Settings,
    clock: Clock,
    organization_id: str,
    review: CsrReview,
    send: SendChain,
) -> IssuedCertificate:
    """The follow-up of an accepted SignCertificate: sign, send, record the station's answer."""
    issued = await issue_certificate(settings, clock, review)
    answer = await send(issued.chain_pem)
    async with db.writing() as uow:
        service = CertificateService(uow, organization_id, clock, settings)
        service.record_delivery(review.station_id, issued, answer)
        await uow.commit()
    return issued
