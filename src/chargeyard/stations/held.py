"""A station's topology and connector statuses, as its connection holds them between messages.

A StatusNotification used to load the station with its EVSEs and connectors through the ORM
to change one connector: a third of the CPU of a busy station's messages. The connection keeps
what a status report needs (`HeldTopology`: the station's revision, each EVSE's and connector's
row id and status), and a report of a known connector becomes rows appended to the batch and
one guarded write (`stations/status_reports.py`).

Why a held copy cannot go stale unnoticed:
- Connector and EVSE statuses are written only by the station's own status reports, which this
  connection handles one at a time (OCPP lets a station have one CALL outstanding).
- Every other change to the layout (EVSEs or connectors planned, edited or removed through the
  API, a hardware template applied, a boot) bumps the station's `revision`, and the guarded
  write matches only the held revision: on a miss the copy is dropped and the report takes the
  full path, which reads the station and holds a fresh copy.
- A connector the copy does not know (a new one, or one added when a session started on it)
  is never decided from memory.
"""

from dataclasses import dataclass, replace

from chargeyard.stations.domain import ConnectorStatus, evse_status
from chargeyard.stations.models import Station


@dataclass(frozen=True)
class HeldEvse:
    pk: int
    status: str
    # connector id → (row id, status)
    connectors: dict[int, tuple[int, str]]

    def with_connector(self, connector_id: int, status: str) -> "HeldEvse":
        pk, _ = self.connectors[connector_id]
        connectors = {**self.connectors, connector_id: (pk, status)}
        derived = evse_status([ConnectorStatus(s) for _, s in connectors.values()]).value
        return HeldEvse(self.pk, derived, connectors)


@dataclass(frozen=True)
class HeldTopology:
    station_id: str
    revision: int
    evses: dict[int, HeldEvse]

    @classmethod
    def of(cls, station: Station) -> "HeldTopology":
        """The copy to hold of `station`, whose EVSEs and connectors are loaded."""
        return cls(
            station_id=station.id,
            revision=station.revision,
            evses={
                evse.evse_id: HeldEvse(
                    evse.id,
                    evse.status,
                    {c.connector_id: (c.id, c.status) for c in evse.connectors},
                )
                for evse in station.evses
            },
        )

    def knows(self, evse_id: int, connector_id: int) -> bool:
        evse = self.evses.get(evse_id)
        return evse is not None and connector_id in evse.connectors

    def after(self, evse_id: int, connector_id: int, status: str) -> "HeldTopology":
        """The copy once connector `connector_id` of EVSE `evse_id` reports `status`."""
        evses = {**self.evses, evse_id: self.evses[evse_id].with_connector(connector_id, status)}
        return replace(self, evses=evses)
