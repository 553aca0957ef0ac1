"""Request and response bodies of /api/v1/demand-response-events."""

from datetime import datetime

from pydantic import Field

from chargeyard.api.schemas import Input, Resource
from chargeyard.demand_response.domain import DemandResponseKind


class DemandResponseIn(Input):
    circuit_id: str
    kind: DemandResponseKind = DemandResponseKind.CURTAILMENT
    starts_at: datetime
    ends_at: datetime
    max_power_kw: float | None = Field(
        None,
        description="Curtailment: the cap (0 or more). V2G: the target for the site's net "
        "import (sessions plus baseload less solar), reached by discharging bidirectional "
        "EVSEs whose sessions can spare it; negative asks the site to export.",
    )


class DemandResponseOut(Resource):
    id: str
    circuit_id: str
    kind: str
    starts_at: datetime
    ends_at: datetime
    max_power_kw: float | None
