"""A station's connection and its end, recorded without loading the station.

Every handshake marks its station connected (protocol, the worker holding the socket, the
times) and records `station.connected`; every socket's end marks it disconnected and records
`station.disconnected`. After a restart a whole fleet does this within
seconds, so it is a deferred unit of the group commit (`storage/group_commit.py`): the event
is appended and one UPDATE by primary key runs at the batch's commit. Loading the station with
its EVSEs and connectors through the ORM and flushing it back, as before, was the largest part
of a reconnection's CPU. The disconnection is deferred the same way for another reason: as an
ORM unit it locked the station's row when it ran, early in its batch, while a reconnection on
another worker locked its row only at that batch's commit; two workers' batches then waited on
each other (PostgreSQL's deadlock detector failed hundreds of handshakes in a restart storm).
Guarded writes all lock at the commit, in one order (`GuardedWrite.row`).
"""

from datetime import datetime

from chargeyard.clock import Clock
from chargeyard.events.payloads import (
    STATION_CONNECTED,
    STATION_DISCONNECTED,
    StationConnected,
    StationEvent,
)
from chargeyard.events.recorder import record_event
from chargeyard.stations.repository import connected_write, disconnected_write
from chargeyard.storage.group_commit import DeferredUnit, GuardedWrite
from chargeyard.storage.unit_of_work import Outbox


def connection_recorded(
    unit: DeferredUnit,
    organization_id: str,
    station_id: str,
    protocol: str,
    node_id: str,
    clock: Clock,
    *,
    replaced: bool,
) -> None:
    """`unit.commit()` raises `GuardMissed` if the station no longer exists."""
    now = clock()
    statement, parameters = connected_write(organization_id, station_id, protocol, node_id, now)
    unit.defer(GuardedWrite(statement, parameters, lambda: None, row=("stations", station_id)))
    connected: StationConnected = {
        "station_id": station_id,
        "protocol": protocol,
        "replaced_previous": replaced,
    }
    record_event(
        unit,
        organization_id=organization_id,
        kind=STATION_CONNECTED,
        occurred_at=now,
        station_id=station_id,
        data=connected,
    )


def disconnection_recorded(
    unit: DeferredUnit, organization_id: str, station_id: str, node_id: str, clock: Clock
) -> None:
    """`unit.commit()` raises `GuardMissed`, with nothing stored, if the station no longer
    exists or another worker holds it now (its reconnection committed first)."""
    now = clock()
    statement, parameters = disconnected_write(organization_id, station_id, node_id, now)
    unit.defer(GuardedWrite(statement, parameters, lambda: None, row=("stations", station_id)))
    disconnection_event(unit, organization_id, station_id, now)


def disconnection_event(
    outbox: Outbox, organization_id: str, station_id: str, now: datetime
) -> None:
    """`station.disconnected`, as a socket's end and a dead worker's sweep both record it."""
    record_event(
        outbox,
        organization_id=organization_id,
        kind=STATION_DISCONNECTED,
        occurred_at=now,
        station_id=station_id,
        data=StationEvent(station_id=station_id),
    )
