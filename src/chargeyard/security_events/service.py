"""Recording security events, from every OCPP version and from the handshake. Never commits.

Each row is also announced as a `station.security_event` domain event, so webhooks and the live
event stream hear of it without polling the security log.
"""

from chargeyard.clock import Clock
from chargeyard.events.payloads import STATION_SECURITY_EVENT, StationSecurityEvent
from chargeyard.events.recorder import record_event
from chargeyard.security_events.domain import (
    FAILED_AUTHENTICATION,
    SecurityEventReport,
    Source,
    clip_tech_info,
    is_critical,
)
from chargeyard.security_events.models import SecurityEvent
from chargeyard.security_events.repository import SecurityEventRepository
from chargeyard.storage.unit_of_work import UnitOfWork


class SecurityEventService:
    def __init__(self, uow: UnitOfWork, organization_id: str, clock: Clock) -> None:
        self.uow = uow
        self.organization_id = organization_id
        self.clock = clock
        self.events = SecurityEventRepository(uow.session, organization_id)

    def report(
        self, station_id: str, report: SecurityEventReport, ocpp_version: str
    ) -> SecurityEvent:
        """A station's SecurityEventNotification (1.6 security extension, 2.0.1, 2.1)."""
        return self._record(station_id, report, Source.STATION, ocpp_version)

    def refused_connection(self, station_id: str, reason: str, *, tls: bool) -> SecurityEvent:
        """The CSMS refused a station's credentials or its security profile at the handshake."""
        report = SecurityEventReport(
            type=FAILED_AUTHENTICATION,
            occurred_at=self.clock(),
            tech_info=f"{reason} (connection {'over TLS' if tls else 'without TLS'})",
        )
        return self._record(station_id, report, Source.CSMS, None)

    def observed(self, station_id: str, type: str, tech_info: str) -> SecurityEvent:
        """Something the CSMS saw a station's connection do (an oversized message...)."""
        report = SecurityEventReport(type=type, occurred_at=self.clock(), tech_info=tech_info)
        return self._record(station_id, report, Source.CSMS, None)

    def _record(
        self,
        station_id: str,
        report: SecurityEventReport,
        source: Source,
        ocpp_version: str | None,
    ) -> SecurityEvent:
        row = SecurityEvent(
            organization_id=self.organization_id,
            station_id=station_id,
            type=report.type,
            critical=is_critical(report.type),
            source=source.value,
            ocpp_version=ocpp_version,
            tech_info=clip_tech_info(report.tech_info),
            occurred_at=report.occurred_at,
            received_at=self.clock(),
        )
        self.events.add(row)
        data: StationSecurityEvent = {
            "type": row.type,
            "critical": row.critical,
            "source": row.source,
            "tech_info": row.tech_info,
            "occurred_at": row.occurred_at.isoformat(),
        }
        record_event(
            self.uow,
            organization_id=self.organization_id,
            kind=STATION_SECURITY_EVENT,
            occurred_at=row.received_at,
            station_id=station_id,
            data=data,
        )
        return row
