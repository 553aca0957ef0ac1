"""Hardware template request and response bodies; the layout is shaped as a station's EVSEs."""

from datetime import datetime
from typing import Annotated

from pydantic import Field

from chargeyard.api.schemas import Input, Resource, refuse_null
from chargeyard.errors import Invalid
from chargeyard.stations.schemas import EvseIn

Label = Annotated[str, Field(min_length=1, max_length=50)]


def stored_layout(evses: list[EvseIn]) -> list[dict[str, object]]:
    """A template's layout as it is stored (JSON values), refusing an EVSE id given twice: the
    one check every edge (REST and the dashboard) makes before the service sees a layout."""
    if len({e.evse_id for e in evses}) < len(evses):
        raise Invalid("evses: EVSE ids repeat")
    return [e.model_dump(mode="json") for e in evses]


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


class ReapplyIn(Input):
    station_ids: (
        Annotated[list[Annotated[str, Field(min_length=1, max_length=64)]], Field(max_length=500)]
        | None
    ) = Field(
        None,
        description="The stations to lay out again (each reporting the template's vendor and "
        "model, or none yet). Default: every station reporting them, up to 500.",
    )
    dry_run: bool = Field(False, description="Say what would change, change nothing.")


class LayoutChangeOut(Resource):
    evse_id: int
    connector_id: int | None = Field(description="None: the EVSE itself.")
    change: str = Field(description="planned, updated or removed.")


class KeptEvseOut(Resource):
    evse_id: int
    reason: str = Field(description="session_running or connector_occupied.")
    changes: list[LayoutChangeOut] = Field(description="What it would get once free.")


class ReappliedOut(Resource):
    station_id: str
    outcome: str = Field(
        description="applied, unchanged (nothing to do), or waiting: an EVSE in use kept its "
        "changes (those of the others were made); re-apply once it is free."
    )
    changes: list[LayoutChangeOut]
    kept: list[KeptEvseOut]


class ReapplyOut(Resource):
    hardware_template_id: str
    revision: int
    dry_run: bool
    stations: list[ReappliedOut]
