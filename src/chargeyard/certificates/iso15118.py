"""ISO 15118 certificate services (Plug & Charge), behind a small provider interface.

Contract certificates and OCSP answers come from the V2G PKI (a mobility operator, Hubject and
the like), never from Chargeyard itself. A deployment plugs its provider in with the
`CHARGEYARD_ISO15118_PROVIDER` setting: "package.module:factory", where `factory(settings)`
returns an `Iso15118Provider`. Without one, every request answers `Failed` with the reason
`NoIso15118Provider`: a station sees a clear failure, never a made-up certificate.

The values here are version-neutral; the OCPP adapters translate them to 2.0.1/2.1 messages.
"""

import importlib
from abc import ABC, abstractmethod
from dataclasses import dataclass
from enum import Enum
from typing import Protocol

from chargeyard.settings import Settings

NO_PROVIDER = "NoIso15118Provider"
"""The reason code (at most 20 characters, as StatusInfo allows) of an unconfigured answer."""


class Iso15118Status(Enum):
    ACCEPTED = "Accepted"
    FAILED = "Failed"


@dataclass(frozen=True)
class EvCertificateRequest:
    """Get15118EVCertificate: an EXI-encoded request from the EV, relayed by the station."""

    station_id: str
    schema_version: str
    action: str
    exi_request: str
    maximum_contract_certificate_chains: int | None = None
    prioritized_emaids: tuple[str, ...] = ()


@dataclass(frozen=True)
class EvCertificateAnswer:
    status: Iso15118Status
    exi_response: str = ""
    reason_code: str | None = None
    reason: str | None = None
    remaining_contracts: int | None = None


@dataclass(frozen=True)
class CertificateStatusQuery:
    """GetCertificateStatus: an OCSP question about one certificate in a V2G chain."""

    station_id: str
    hash_algorithm: str
    issuer_name_hash: str
    issuer_key_hash: str
    serial_number: str
    responder_url: str


@dataclass(frozen=True)
class CertificateStatusAnswer:
    status: Iso15118Status
    ocsp_result: str | None = None
    reason_code: str | None = None
    reason: str | None = None


class Iso15118Provider(ABC):
    """Where the CSMS forwards ISO 15118 certificate requests."""

    @abstractmethod
    async def ev_certificate(self, request: EvCertificateRequest) -> EvCertificateAnswer: ...

    @abstractmethod
    async def certificate_status(
        self, query: CertificateStatusQuery
    ) -> CertificateStatusAnswer: ...


class NoIso15118Provider(Iso15118Provider):
    """The default: no V2G PKI is configured, so every request fails, and says why."""

    REASON = "no ISO 15118 provider is configured on this CSMS"

    async def ev_certificate(self, request: EvCertificateRequest) -> EvCertificateAnswer:
        return EvCertificateAnswer(
            Iso15118Status.FAILED, exi_response="", reason_code=NO_PROVIDER, reason=self.REASON
        )

    async def certificate_status(self, query: CertificateStatusQuery) -> CertificateStatusAnswer:
        return CertificateStatusAnswer(
            Iso15118Status.FAILED, reason_code=NO_PROVIDER, reason=self.REASON
        )


class ProviderFactory(Protocol):
    def __call__(self, settings: Settings) -> Iso15118Provider: ...


_providers: dict[str, Iso15118Provider] = {}


def iso15118_provider(settings: Settings) -> Iso15118Provider:
    """The configured provider, built once per process and setting."""
    target = settings.iso15118_provider
    if target is None:
        return NoIso15118Provider()
    if target not in _providers:
        module_name, _, attribute = target.partition(":")
        factory: ProviderFactory = getattr(importlib.import_module(module_name), attribute)
        provider = factory(settings)
        if not isinstance(provider, Iso15118Provider):
            raise TypeError(f"{target} did not return an Iso15118Provider")
        _providers[target] = provider
    return _providers[target]
