"""Who may open a station's OCPP connection: the security-profile rules, checked at handshake.

Profile 0 (set explicitly by an operator) admits anyone; 1 needs HTTP Basic with the station's
password; 2 needs that over TLS; 3 needs TLS with a client certificate naming the station.
A refusal is recorded as an event and in the security log (`security_events`).

A password is checked against the station's stored fast verifier first (one HMAC under the
server's secret key, `security/verifiers.py`); only without one, or when it does not match, is
the Argon2 hash checked, and a success stores the verifier for the next connection. A station
that accepted a new password from the CSMS has it pending (`credentials.py`): the pending one
admits it too, and the first connection with it retires the old one.

Refusals give nothing away: the OCPP endpoint answers every one with the same 401, and an
unknown station id costs the same Argon2 check a wrong password does. An unknown id belongs to
no organization, so it is recorded in the log and the `chargeyard_sign_in_failures` metric
rather than in any tenant's security events (a table that unauthenticated callers can fill at
will would be a disk-filling attack of its own).
"""

import logging
from dataclasses import dataclass
from enum import Enum

from chargeyard.clock import Clock
from chargeyard.events.payloads import STATION_AUTHENTICATION_FAILED, StationAuthenticationFailed
from chargeyard.events.recorder import record_event
from chargeyard.organizations.service import ensure_organization
from chargeyard.security.passwords import hash_password, verify_nothing, verify_password
from chargeyard.security.verifiers import password_verifier, verifier_matches
from chargeyard.security_events.domain import SIGN_IN_LOCKED, UNTRUSTED_FORWARDED_CERTIFICATE
from chargeyard.security_events.service import SecurityEventService
from chargeyard.stations.credentials import CredentialService
from chargeyard.stations.domain import RegistrationStatus
from chargeyard.stations.models import Station
from chargeyard.stations.repository import (
    StationRepository,
    find_station_for_connection,
    store_password_verifier,
)
from chargeyard.stations.service import StationDraft, StationService
from chargeyard.storage.database import Database

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Credentials:
    username: str | None = None
    password: str | None = None
    tls: bool = False
    client_certificate_cn: str | None = None
    untrusted_forwarding: bool = False
    """TLS-forwarding headers came from an address that is not a trusted proxy (ignored)."""


class Refusal(Enum):
    UNKNOWN_STATION = "unknown station"
    MISSING_CREDENTIALS = "no credentials"
    WRONG_CREDENTIALS = "wrong credentials"
    TLS_REQUIRED = "security profile requires TLS"
    CLIENT_CERTIFICATE_REQUIRED = (
        "security profile requires a client certificate naming the station"
    )


_REFUSED_UNCHECKED = frozenset(
    {Refusal.TLS_REQUIRED, Refusal.CLIENT_CERTIFICATE_REQUIRED, Refusal.MISSING_CREDENTIALS}
)
"""Refusals decided before any password check: they spend one anyway when a password was sent,
so the answer's timing does not tell a known station id from an unknown one."""


@dataclass(frozen=True)
class Admission:
    station_id: str
    organization_id: str
    boot_accepted: bool
    heartbeat_interval_s: int | None = None
    """The station's own heartbeat interval, when an operator set one."""


async def admit(
    db: Database,
    clock: Clock,
    station_id: str,
    credentials: Credentials,
    auto_register: str | None,
    secret_key: bytes,
) -> Admission | Refusal:
    async with db.reading() as uow:
        station = await find_station_for_connection(uow.session, station_id)
    if station is None:
        if auto_register is None:
            if credentials.password is not None:
                await verify_nothing(credentials.password)
            logger.warning("handshake refused: unknown station id %r", station_id)
            return Refusal.UNKNOWN_STATION
        return await _register_pending(db, clock, station_id, credentials, auto_register)
    if credentials.untrusted_forwarding:
        await _record_untrusted_forwarding(db, clock, station)
    refusal = await _check(station, credentials, secret_key)
    if refusal is Refusal.WRONG_CREDENTIALS and await _matches_pending(station, credentials):
        await _promote(db, clock, station, credentials, secret_key)
        refusal = None
    elif refusal in _REFUSED_UNCHECKED and credentials.password is not None:
        await verify_nothing(credentials.password)  # as long as an unknown id's refusal
    elif refusal is None and _verified_by_argon2(station, credentials, secret_key):
        assert station.password_hash is not None and credentials.password is not None
        verifier = password_verifier(
            secret_key, station.id, station.password_hash, credentials.password
        )
        async with db.batched() as uow:
            await store_password_verifier(uow.session, station.id, station.password_hash, verifier)
            await uow.commit()
    if refusal is not None:
        async with db.writing() as uow:
            record_event(
                uow,
                organization_id=station.organization_id,
                kind=STATION_AUTHENTICATION_FAILED,
                occurred_at=clock(),
                station_id=station.id,
                data=StationAuthenticationFailed(
                    station_id=station.id, reason=refusal.value, tls=credentials.tls
                ),
            )
            SecurityEventService(uow, station.organization_id, clock).refused_connection(
                station.id, refusal.value, tls=credentials.tls
            )
            await uow.commit()
        return refusal
    return Admission(
        station.id,
        station.organization_id,
        station.boot_accepted and station.registration_status == RegistrationStatus.ACCEPTED,
        station.heartbeat_interval,
    )


async def _check(station: Station, credentials: Credentials, key: bytes) -> Refusal | None:
    profile = station.security_profile
    if profile == 0:
        return None
    if profile >= 2 and not credentials.tls:
        return Refusal.TLS_REQUIRED
    if profile == 3:
        if credentials.client_certificate_cn != station.id:
            return Refusal.CLIENT_CERTIFICATE_REQUIRED
        return None
    if credentials.password is None or station.password_hash is None:
        return Refusal.MISSING_CREDENTIALS
    if credentials.username != station.id:
        return Refusal.WRONG_CREDENTIALS
    if verifier_matches(
        station.password_verifier, key, station.id, station.password_hash, credentials.password
    ):
        return None
    if not await verify_password(station.password_hash, credentials.password):
        return Refusal.WRONG_CREDENTIALS
    return None


async def _matches_pending(station: Station, credentials: Credentials) -> bool:
    if station.pending_password_hash is None or credentials.password is None:
        return False
    if credentials.username != station.id:
        return False
    return await verify_password(station.pending_password_hash, credentials.password)


async def _promote(
    db: Database, clock: Clock, station: Station, credentials: Credentials, key: bytes
) -> None:
    """The station came back with its pending password: make it the only one. The station is
    read locked, as a REST change guarded by If-Match reads it: the two take turns, and each
    raises the revision from what the other left (tests/stations/test_credential_races.py)."""
    assert credentials.password is not None
    async with db.writing() as uow:
        stored = await StationRepository(uow.session, station.organization_id).locked(station.id)
        if stored.pending_password_hash == station.pending_password_hash:
            service = CredentialService(uow, station.organization_id, clock)
            service.promote(stored, credentials.password, key)
            await uow.commit()


async def record_lockout(
    db: Database, clock: Clock, station_id: str, lockout_s: float, address: str | None
) -> None:
    """Failed handshakes locked `station_id` (or the address) out: a security event of the
    station's organization when the id is known, a log line either way."""
    logger.warning(
        "handshakes as %r from %s locked for %.0f s after repeated failures",
        station_id,
        address,
        lockout_s,
    )
    async with db.writing() as uow:
        station = await find_station_for_connection(uow.session, station_id)
        if station is None:
            return
        SecurityEventService(uow, station.organization_id, clock).observed(
            station.id,
            SIGN_IN_LOCKED,
            f"handshakes refused for {lockout_s:.0f} s after repeated failures "
            f"(last from {address})",
        )
        await uow.commit()


async def _record_untrusted_forwarding(db: Database, clock: Clock, station: Station) -> None:
    """Someone not configured as a proxy claimed TLS for this station: worth a look."""
    logger.warning("%s: TLS-forwarding headers from an untrusted address ignored", station.id)
    async with db.writing() as uow:
        SecurityEventService(uow, station.organization_id, clock).observed(
            station.id,
            UNTRUSTED_FORWARDED_CERTIFICATE,
            "X-Forwarded-Proto or client-certificate header from an address that is not "
            "in CHARGEYARD_TRUSTED_PROXIES: ignored",
        )
        await uow.commit()


def _verified_by_argon2(station: Station, credentials: Credentials, key: bytes) -> bool:
    """After an admission: was the password checked the slow way (so worth a verifier)?"""
    if station.security_profile not in (1, 2) or station.password_hash is None:
        return False
    if credentials.password is None:
        return False
    return not verifier_matches(
        station.password_verifier, key, station.id, station.password_hash, credentials.password
    )


async def _register_pending(
    db: Database, clock: Clock, station_id: str, credentials: Credentials, organization_name: str
) -> Admission | Refusal:
    """Admit an unknown station as Pending, trusting the password it presents on first use."""
    async with db.writing() as uow:
        organization = await ensure_organization(uow.session, organization_name)
        service = StationService(uow, organization.id, clock)
        station = await service.register(
            StationDraft(id=station_id, registration_status=RegistrationStatus.PENDING)
        )
        if credentials.password is not None:
            station.password_hash = await hash_password(credentials.password)
        await uow.commit()
    return Admission(station_id, organization.id, boot_accepted=False)
