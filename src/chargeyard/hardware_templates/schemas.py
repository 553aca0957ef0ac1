"""Hardware template request and response bodies; the layout is shaped as a station's EVSEs."""

from datetime import datetime
from typing import Annotated

from pydantic import Field

from chargeyard.api.schemas import Input, Resource, refuse_null
from chargeyard.stations.schemas import EvseIn

Label = Annotated[str, Field(min_length=1, max_length=50)]


class HardwareTemplateOut(Resource):
    id: str
    name: str | None
    vendor: str
    model: str
    evses: list[EvseIn]
    created_at: datetime
    updated_at: datetime


class HardwareTemplateCreate(Input):
    vendor: Label = Field(description="As the station reports it at boot (any case).")
    model: Label
    name: Annotated[str, Field(max_length=200)] | None = None
    evses: list[EvseIn] = Field(default_factory=list)


class HardwareTemplateReplace(Input):
    vendor: Label
    model: Label
    name: Annotated[str, Field(max_length=200)] | None = None
    evses: list[EvseIn] = Field(default_factory=list)


class HardwareTemplatePatch(Input):
    vendor: Label | None = None
    model: Label | None = None
    name: Annotated[str, Field(max_length=200)] | None = None
    evses: list[EvseIn] | None = None

    _not_null = refuse_null("vendor", "model", "evses")
