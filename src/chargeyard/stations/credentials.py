"""A station's credentials over their life: set by an operator, changed through the station,
and the changes worth a security event.

A password the CSMS sends the station (1.6 `ChangeConfiguration` of `AuthorizationKey`, 2.0.1
`SetVariables` of `SecurityCtrlr.BasicAuthPassword`; OCPP 1.6 security whitepaper, 2.0.1 A01) is
*staged* when the station accepts it: its hash is kept beside the current one, and both admit
the station, because a station applies the new password only on its next connection (and may
not have applied it if it reboots first). When the station connects with the new password, it
is *promoted*: the old one stops admitting anyone. Both steps are security events.

An operator setting a password through the API replaces both at once and drops the live
connection (the REST endpoint does that after the commit), so the station must come back with
the new password. Lowering a station's security profile, above all to 0 (no authentication),
and a second connection replacing a live one are security events too.
"""

from chargeyard.clock import Clock
from chargeyard.events.payloads import (
    STATION_PASSWORD_CHANGE_PENDING,
    STATION_PASSWORD_CHANGED,
    STATION_PASSWORD_ROTATED,
    STATION_SECURITY_PROFILE_CHANGED,
    EventKind,
    P,
    StationEvent,
    StationPasswordChangePending,
    StationSecurityProfileChanged,
)
from chargeyard.events.recorder import record_event
from chargeyard.security.passwords import hash_password
from chargeyard.security.verifiers import password_verifier
from chargeyard.security_events.domain import (
    CONNECTION_REPLACED,
    PASSWORD_CHANGE_PENDING,
    PASSWORD_ROTATED,
    PASSWORD_SET,
    SECURITY_PROFILE_CHANGED,
)
from chargeyard.security_events.service import SecurityEventService
from chargeyard.stations.models import Station
from chargeyard.storage.unit_of_work import UnitOfWork

PROFILE_NAMES = {
    0: "0 (no authentication)",
    1: "1 (Basic auth)",
    2: "2 (Basic auth over TLS)",
    3: "3 (client certificate)",
}


class CredentialService:
    def __init__(self, uow: UnitOfWork, organization_id: str, clock: Clock) -> None:
        self.uow = uow
        self.organization_id = organization_id
        self.clock = clock
        self.security = SecurityEventService(uow, organization_id, clock)

    async def set(self, station: Station, password: str) -> None:
        """An operator's new password: it alone admits the station from now on."""
        station.password_hash = await hash_password(password)
        station.password_verifier = None
        station.pending_password_hash = None
        station.pending_password_since = None
        station.touch()
        self._event(STATION_PASSWORD_CHANGED, station, StationEvent(station_id=station.id))
        self.security.observed(station.id, PASSWORD_SET, "password set through the API")

    async def stage(self, station: Station, password: str, via: str) -> None:
        """The station accepted `password` (sent by `via`): admit it as well as the current one
        until the station connects with it."""
        station.pending_password_hash = await hash_password(password)
        station.pending_password_since = self.clock()
        station.touch()
        pending: StationPasswordChangePending = {"station_id": station.id, "via": via}
        self._event(STATION_PASSWORD_CHANGE_PENDING, station, pending)
        self.security.observed(
            station.id,
            PASSWORD_CHANGE_PENDING,
            f"the station accepted a new password ({via}); the old one stays valid until it "
            "connects with the new one",
        )

    def promote(self, station: Station, password: str, key: bytes) -> None:
        """The station connected with its pending password: it becomes the only one."""
        assert station.pending_password_hash is not None
        station.password_hash = station.pending_password_hash
        station.password_verifier = password_verifier(
            key, station.id, station.password_hash, password
        )
        station.pending_password_hash = None
        station.pending_password_since = None
        station.touch()
        self._event(STATION_PASSWORD_ROTATED, station, StationEvent(station_id=station.id))
        self.security.observed(
            station.id,
            PASSWORD_ROTATED,
            "the station connected with its new password; the old one is retired",
        )

    def profile_changed(self, station: Station, old: int, new: int, actor: str | None) -> None:
        changed: StationSecurityProfileChanged = {
            "station_id": station.id,
            "from": old,
            "to": new,
            "actor": actor,
        }
        self._event(STATION_SECURITY_PROFILE_CHANGED, station, changed)
        warning = "; the station is admitted without any credentials" if new == 0 else ""
        self.security.observed(
            station.id,
            SECURITY_PROFILE_CHANGED,
            f"security profile {PROFILE_NAMES.get(old, old)} -> {PROFILE_NAMES.get(new, new)}"
            f" by {actor or 'the CSMS'}{warning}",
        )

    def connection_replaced(self, station_id: str) -> None:
        self.security.observed(
            station_id,
            CONNECTION_REPLACED,
            "a new connection with valid credentials replaced the live one (closed)",
        )

    def _event(self, kind: EventKind[P], station: Station, data: P) -> None:
        record_event(
            self.uow,
            organization_id=self.organization_id,
            kind=kind,
            occurred_at=self.clock(),
            station_id=station.id,
            data=data,
        )
