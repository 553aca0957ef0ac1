"""A station's new connection recorded without loading the station.

Every handshake marks its station connected (protocol, the worker holding the socket, the
times) and records `station.connected`. After a restart a whole fleet does this within
seconds, so it is a deferred unit of the group commit (`storage/group_commit.py`): the event
is appended and one UPDATE by primary key runs at the batch's commit. Loading the station with
its EVSEs and connectors through the ORM and flushing it back, as before, was the largest part
of a reconnection's CPU.
"""

from chargeyard.clock import Clock
from chargeyard.events.payloads import STATION_CONNECTED, StationConnected
from chargeyard.events.recorder import record_event
from chargeyard.stations.repository import connected_write
from chargeyard.storage.group_commit import DeferredUnit, GuardedWrite


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
    unit.defer(GuardedWrite(statement, parameters, lambda: None))
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
