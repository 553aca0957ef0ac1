"""Tariff group request and response bodies. Members are ID tags (by value or id) and drivers
(by id); places are stations, locations (with their sub-locations) or the organization."""

from datetime import datetime
from typing import Annotated, Any

from pydantic import Field

from chargeyard.api.schemas import Input, Resource, refuse_null
from chargeyard.tariff_groups.domain import Place, PlaceKind
from chargeyard.tariff_groups.service import GroupDraft

GroupName = Annotated[str, Field(min_length=1, max_length=100)]
Description = Annotated[str, Field(max_length=200)]
Reference = Annotated[str, Field(min_length=1, max_length=36)]
PlaceId = Annotated[str, Field(min_length=1, max_length=64)]


class PlaceIn(Input):
    kind: PlaceKind
    id: PlaceId | None = Field(
        default=None, description="The station's or location's id; none for the organization."
    )

    def place(self) -> Place:
        return Place(self.kind, self.id)


class PlaceOut(Resource):
    kind: PlaceKind
    id: str | None


class TariffGroupCreate(Input):
    name: GroupName
    description: Description | None = None
    tariff_id: Reference
    id_tags: list[Reference] = Field(default_factory=list, max_length=1000)
    driver_ids: list[Reference] = Field(default_factory=list, max_length=1000)
    places: list[PlaceIn] = Field(default_factory=list, max_length=1000)

    def draft(self) -> GroupDraft:
        """What `TariffGroupService.create` takes (the REST body and the dashboard's form)."""
        return GroupDraft(
            name=self.name,
            tariff_id=self.tariff_id,
            description=self.description,
            id_tags=self.id_tags,
            driver_ids=self.driver_ids,
            places=[p.place() for p in self.places],
        )


class TariffGroupPatch(Input):
    name: GroupName | None = None
    description: Description | None = None
    tariff_id: Reference | None = None
    id_tags: list[Reference] | None = Field(
        default=None, max_length=1000, description="Replaces the ID tag members when sent."
    )
    driver_ids: list[Reference] | None = Field(
        default=None, max_length=1000, description="Replaces the driver members when sent."
    )
    places: list[PlaceIn] | None = Field(
        default=None, max_length=1000, description="Replaces the places when sent."
    )

    _not_null = refuse_null("name", "tariff_id", "id_tags", "driver_ids", "places")

    def changes(self) -> dict[str, Any]:
        """What `TariffGroupService.update` takes: the fields sent, places as `Place`s."""
        changes = self.model_dump(exclude_unset=True)
        if self.places is not None:
            changes["places"] = [p.place() for p in self.places]
        return changes


class TariffGroupOut(Resource):
    id: str
    name: str
    description: str | None
    tariff_id: str
    id_tags: list[str] = Field(description="The ID tag members' values.")
    driver_ids: list[str]
    places: list[PlaceOut]
    created_at: datetime
    updated_at: datetime
