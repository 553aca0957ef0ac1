"""A reported status as history and event, and the status reports a connection stores from
memory alone.

Every status report appends one `status_changes` row and records `connector.status_changed`
(`recorded`), on either path. `from_memory` is the path of a report of a connector the
connection holds (`held.py`): its rows are appended to the batch, and the connector's and
EVSE's live status move by a guarded write run at the batch's commit
(`storage/group_commit.py: DeferredUnit`), so the message reads nothing and needs no savepoint.
Whenever memory cannot decide (the station as a whole, an unknown connector, no copy held), it
declines and the caller takes the full path (`StationService.report_status`).
"""

from collections.abc import Callable

from chargeyard.clock import Clock
from chargeyard.events.payloads import CONNECTOR_STATUS_CHANGED, ConnectorStatusChanged
from chargeyard.events.recorder import record_event
from chargeyard.reservations.domain import may_move_reservations
from chargeyard.stations.domain import StatusReport
from chargeyard.stations.held import HeldTopology
from chargeyard.stations.models import StatusChange
from chargeyard.stations.repository import held_status_writes
from chargeyard.storage.group_commit import DeferredUnit, GuardedWrite
from chargeyard.storage.unit_of_work import Outbox


def recorded(
    outbox: Outbox, organization_id: str, clock: Clock, station_id: str, report: StatusReport
) -> None:
    """The report's history row (only appended, never read back: inserted in bulk at commit)
    and its `connector.status_changed` event. The row goes as column values, in the mapper's
    column order (the INSERT an ORM object would make): building the object cost a status
    report more than inserting its row."""
    row = {
        "organization_id": organization_id,
        "station_id": station_id,
        "evse_id": report.evse_id,
        "connector_id": report.connector_id,
        "status": report.status.value,
        "ocpp_status": report.ocpp_status,
        "error_code": report.error_code,
        "info": report.info,
        "vendor_id": report.vendor_id,
        "vendor_error_code": report.vendor_error_code,
        "occurred_at": report.timestamp,
        "received_at": clock(),
    }
    outbox.append_values(StatusChange, [row])
    data: ConnectorStatusChanged = {
        "station_id": station_id,
        "evse_id": report.evse_id,
        "connector_id": report.connector_id,
        "status": report.status.value,
        "ocpp_status": report.ocpp_status,
        "error_code": report.error_code,
        "info": report.info,
        "vendor_error_code": report.vendor_error_code,
        "timestamp": report.timestamp.isoformat(),
    }
    record_event(
        outbox,
        organization_id=organization_id,
        kind=CONNECTOR_STATUS_CHANGED,
        occurred_at=clock(),
        station_id=station_id,
        data=data,
    )


def from_memory(
    unit: DeferredUnit,
    organization_id: str,
    clock: Clock,
    held: HeldTopology | None,
    report: StatusReport,
    forget: Callable[[], None],
) -> HeldTopology | None:
    """Store `report` into `unit` without reading: the topology to hold after it, or None
    (nothing done) if the full path must decide. `forget` drops the held copy when the guarded
    write finds the station changed."""
    if held is None or report.evse_id is None or report.connector_id is None:
        return None
    if not held.knows(report.evse_id, report.connector_id):
        return None
    (guard, parameters), then = held_status_writes(
        organization_id,
        held,
        report,
        clock(),
        reserved_guard=may_move_reservations(report.status),
    )
    unit.defer(GuardedWrite(guard, parameters, forget, then, row=("stations", held.station_id)))
    recorded(unit, organization_id, clock, held.station_id, report)
    return held.after(report.evse_id, report.connector_id, report.status.value)
