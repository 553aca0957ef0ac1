"""Vehicle group request and response bodies."""

from datetime import datetime
from typing import Annotated

from pydantic import Field

from chargeyard.api.schemas import Input, Resource, refuse_null

GroupName = Annotated[str, Field(min_length=1, max_length=100)]
Description = Annotated[str, Field(max_length=200)]


class VehicleGroupIn(Input):
    name: GroupName
    description: Description | None = None


class VehicleGroupPatch(Input):
    name: GroupName | None = None
    description: Description | None = None

    _not_null = refuse_null("name")


class VehicleGroupOut(Resource):
    id: str
    name: str
    description: str | None
    created_at: datetime
    updated_at: datetime
