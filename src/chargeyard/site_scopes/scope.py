"""A site scope: the organization id of a site-scoped caller, carrying the locations it may see.

It narrows the base query of every scoped repository (`storage/repository.py`): stations under
the allowed locations, the rows of those stations (any table with a `station_id`: sessions,
meter values, alerts, commands, reservations, CDRs, the message log, security events, the event
log...), the locations themselves, the permissions and maintenance windows of either, and the
circuits of those sites (placed at their locations, or feeding only their stations) with the
rows of those circuits (capacity windows, measurements, demand response, their own energy
prices). Tables that belong to the organization
as a whole (tariffs, ID tags, users, webhooks, ...) are not narrowed; docs/access.md says why
for each.
"""

from typing import Any

from sqlalchemy import ColumnElement, Select, and_, or_, select

from chargeyard.circuits.models import CircuitRow
from chargeyard.files.domain import FileKind
from chargeyard.locations.models import Location
from chargeyard.stations.models import Station
from chargeyard.storage.repository import NarrowedOrganization


class SiteScope(NarrowedOrganization):
    """`str(scope)` is the organization id; `location_ids` is every location the caller may
    see (the subtrees it was given, resolved when it authenticated), `circuit_ids` every
    circuit (`domain.circuits_within`, resolved then too)."""

    location_ids: frozenset[str]
    circuit_ids: frozenset[str]

    def __new__(
        cls,
        organization_id: str,
        location_ids: frozenset[str],
        circuit_ids: frozenset[str] = frozenset(),
    ) -> "SiteScope":
        scope = super().__new__(cls, organization_id)
        scope.location_ids = location_ids
        scope.circuit_ids = circuit_ids
        return scope

    def __getnewargs__(self) -> tuple[str, frozenset[str], frozenset[str]]:  # type: ignore[override]
        """Copies and pickles keep the locations and circuits (str's own would drop them)."""
        return (str(self), self.location_ids, self.circuit_ids)

    def __repr__(self) -> str:
        return (
            f"SiteScope({str(self)!r}, {sorted(self.location_ids)!r}, {sorted(self.circuit_ids)!r})"
        )

    def station_ids(self) -> Select[Any]:
        """The ids of the stations the caller may see, as a subquery: evaluated with the
        statement, so a station placed or moved in this very request counts."""
        return select(Station.id).where(
            Station.organization_id == str(self), Station.location_id.in_(self.location_ids)
        )

    def covers_location(self, location_id: str | None) -> bool:
        return location_id is not None and location_id in self.location_ids

    def covers_circuit(self, circuit_id: str | None) -> bool:
        return circuit_id is not None and circuit_id in self.circuit_ids

    def conditions(self, model: type[Any]) -> list[ColumnElement[bool]]:
        if model is Station:
            return [Station.location_id.in_(self.location_ids)]
        if model is Location:
            # A child of an allowed location is allowed: that also covers one created in
            # this request, after the subtree was resolved.
            return [
                or_(Location.id.in_(self.location_ids), Location.parent_id.in_(self.location_ids))
            ]
        table = getattr(model, "__tablename__", None)
        if table in ("permissions", "maintenance_windows"):
            # A grant, or a maintenance window, on one of the caller's stations or locations
            # (each row names one or the other).
            return [
                or_(
                    model.station_id.in_(self.station_ids()),
                    model.location_id.in_(self.location_ids),
                )
            ]
        if table == "stored_files":
            # A station's upload (diagnostics, logs) if the station is the caller's; a firmware
            # image, which belongs to no station, to install on its own stations; never a
            # report built for the whole organization.
            return [
                or_(
                    model.station_id.in_(self.station_ids()),
                    and_(model.station_id.is_(None), model.kind == FileKind.FIRMWARE.value),
                )
            ]
        if model is CircuitRow:
            return [CircuitRow.id.in_(self.circuit_ids)]
        if table == "external_meters":
            # A meter on one of the caller's circuits or locations; an unplaced one is the
            # organization's.
            return [
                or_(
                    model.circuit_id.in_(self.circuit_ids),
                    model.location_id.in_(self.location_ids),
                )
            ]
        station_id = getattr(model, "station_id", None)
        if station_id is not None:
            # A row of a station (NULL, an organization-wide row such as a user's event, is
            # not). Allocations and profiles sent are a station's rows too, whatever circuit.
            return [station_id.in_(self.station_ids())]
        circuit_id = getattr(model, "circuit_id", None)
        if circuit_id is not None:
            # A row of a circuit (capacity windows, measurements, demand response, a circuit's
            # prices); NULL, the organization's energy prices, applies to its stations too.
            return [or_(circuit_id.is_(None), circuit_id.in_(self.circuit_ids))]
        return []


def site_scope_of(organization_id: str) -> SiteScope | None:
    """The caller's site scope, or None when it sees the whole organization."""
    return organization_id if isinstance(organization_id, SiteScope) else None
