"""Request and response bodies of /api/v1/circuits."""

from datetime import datetime
from decimal import Decimal
from typing import Annotated

from pydantic import Field

from chargeyard.api.schemas import Input, NonNegative, Positive, Resource, refuse_null
from chargeyard.smart_charging.snapshot import Objective

RotationSlice = Annotated[float, Field(ge=1, le=86_400)]


SiteOfCircuit = Annotated[
    str,
    Field(
        max_length=64,
        description="The location (site) the circuit belongs to; its sub-circuits without one "
        "belong there too. A site-scoped user sees a circuit of its sites, and hangs its "
        "stations on it, even before any station hangs there.",
    ),
]


class CircuitCreate(Input):
    name: Annotated[str, Field(min_length=1, max_length=200)]
    parent_id: str | None = None
    location_id: SiteOfCircuit | None = None
    max_power_kw: Positive | None = None
    max_current_a: Positive | None = Field(None, description="Per phase, on each of `phases`.")
    phases: Annotated[int, Field(ge=1, le=3)] = 3
    buffer_kw: NonNegative = 0.0
    buffer_a: NonNegative = 0.0
    objective: Objective = Objective.LOAD_SHARING
    price_cap_above: Decimal | None = Field(None, description="Above this price per kWh ...")
    price_cap_share: Annotated[float, Field(ge=0, le=1)] | None = Field(
        None, description="... use at most this share of the capacity (fleet objective)."
    )
    rotation_slice_s: RotationSlice | None = Field(
        None,
        description="When the circuit cannot give every session its minimum, paused sessions "
        "take turns of this many seconds (load sharing); unset: the circuit above decides, "
        "else 300.",
    )


class CircuitPatch(Input):
    name: Annotated[str, Field(min_length=1, max_length=200)] | None = None
    parent_id: str | None = None
    location_id: SiteOfCircuit | None = None
    max_power_kw: Positive | None = None
    max_current_a: Positive | None = None
    phases: Annotated[int, Field(ge=1, le=3)] | None = None
    buffer_kw: NonNegative | None = None
    buffer_a: NonNegative | None = None
    objective: Objective | None = None
    price_cap_above: Decimal | None = None
    price_cap_share: Annotated[float, Field(ge=0, le=1)] | None = None
    rotation_slice_s: RotationSlice | None = None

    _not_null = refuse_null("name", "phases", "buffer_kw", "buffer_a", "objective")


class CircuitOut(Resource):
    id: str
    name: str
    parent_id: str | None
    location_id: str | None = None
    max_power_kw: float | None
    max_current_a: float | None
    phases: int
    buffer_kw: float
    buffer_a: float
    objective: Objective
    price_cap_above: Decimal | None
    price_cap_share: float | None
    rotation_slice_s: float | None
    created_at: datetime
    updated_at: datetime
