"""Location use cases: managing the site tree. Never commits."""

from dataclasses import asdict, dataclass
from decimal import Decimal
from typing import Any

from chargeyard.clock import Clock
from chargeyard.errors import Conflict, Invalid
from chargeyard.events.payloads import (
    LOCATION_CREATED,
    LOCATION_DELETED,
    LOCATION_UPDATED,
    EventKind,
    LocationCreated,
    LocationEvent,
    LocationUpdated,
    P,
)
from chargeyard.events.recorder import record_event
from chargeyard.locations.domain import SiteNode, build_tree, creates_cycle, is_timezone
from chargeyard.locations.models import Location
from chargeyard.locations.repository import LocationRepository
from chargeyard.site_scopes.service import check_placement
from chargeyard.storage.base import new_id
from chargeyard.storage.unit_of_work import UnitOfWork
from chargeyard.tariffs.service import TariffService


@dataclass(frozen=True)
class LocationDraft:
    name: str
    parent_id: str | None = None
    address: str | None = None
    city: str | None = None
    postal_code: str | None = None
    country: str | None = None
    latitude: Decimal | None = None
    longitude: Decimal | None = None
    timezone: str = "UTC"


class LocationService:
    def __init__(self, uow: UnitOfWork, organization_id: str, clock: Clock) -> None:
        self.uow = uow
        self.organization_id = organization_id
        self.clock = clock
        self.locations = LocationRepository(uow.session, organization_id)

    async def create(self, draft: LocationDraft) -> Location:
        fields = asdict(draft)
        _check_fields(fields)
        check_placement(self.organization_id, draft.parent_id)
        await self._check_parent(None, draft.parent_id)
        location = Location(id=new_id(), organization_id=self.organization_id, revision=1, **fields)
        self.locations.add(location)
        self._event(
            LOCATION_CREATED,
            LocationCreated({**_location(location), "parent_id": location.parent_id}),
        )
        return location

    async def update(self, location: Location, changes: dict[str, Any]) -> Location:
        _check_fields(changes)
        if changes.get("tariff_id") not in (None, location.tariff_id):
            await TariffService(self.uow, self.organization_id, self.clock).check_assignable(
                changes["tariff_id"]
            )
        if "parent_id" in changes and changes["parent_id"] != location.parent_id:
            check_placement(self.organization_id, changes["parent_id"])
            await self._check_parent(location.id, changes["parent_id"])
        for name, value in changes.items():
            setattr(location, name, value)
        location.touch()
        self._event(
            LOCATION_UPDATED, LocationUpdated({**_location(location), "changed": sorted(changes)})
        )
        return location

    async def delete(self, location: Location) -> None:
        stations = await self.locations.count_stations(location.id)
        children = await self.locations.count_children(location.id)
        if stations or children:
            raise Conflict(
                f"Location {location.id!r} still has {stations} station(s) and {children} child "
                "location(s); move or delete them first"
            )
        await self.locations.delete(location)
        self._event(LOCATION_DELETED, _location(location))

    async def tree(self, location_id: str) -> SiteNode:
        rows = await self.locations.subtree(location_id)
        if not rows:
            await self.locations.get(location_id)  # raises NotFound
        stations = await self.locations.stations_at([row.id for row in rows])
        return build_tree(location_id, rows, stations)

    async def _check_parent(self, location_id: str | None, parent_id: str | None) -> None:
        """A parent must be a location of the same organization, and not inside the subtree."""
        if parent_id is None:
            return
        lineage = await self.locations.lineage(parent_id)
        if not lineage:
            raise Invalid(f"parent_id: Location {parent_id!r} does not exist")
        if location_id is not None and creates_cycle(location_id, parent_id, lineage):
            raise Invalid("parent_id: a location cannot hang under itself or its own descendants")

    def _event(self, kind: EventKind[P], data: P) -> None:
        record_event(
            self.uow,
            organization_id=self.organization_id,
            kind=kind,
            occurred_at=self.clock(),
            data=data,
        )


def _location(location: Location) -> LocationEvent:
    return {"location_id": location.id, "name": location.name}


def _check_fields(fields: dict[str, Any]) -> None:
    for name in ("name", "timezone"):
        if name in fields and not fields[name]:
            raise Invalid(f"{name} may not be empty")
    if "timezone" in fields and not is_timezone(fields["timezone"]):
        raise Invalid(f"timezone {fields['timezone']!r} is not an IANA time zone name")
