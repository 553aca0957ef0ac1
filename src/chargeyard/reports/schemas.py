"""The filters of each report kind (the query of `GET /reports/{kind}.{format}`, and the
`filters` of an asynchronous request), and the asynchronous request's body and answer."""

from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from chargeyard.alerts.domain import AlertStatus, Category, RuleName, Urgency
from chargeyard.api.limits import INT_MAX, bound_fields
from chargeyard.api.schemas import Input
from chargeyard.reports.domain import ReportFormat, ReportKind


class Filters(BaseModel):
    """What a report selects on; every field optional (None: no filter), each bounded as a body
    field is. Unknown query parameters are ignored, as on the list endpoints; an asynchronous
    request's unknown filters are refused (`service.filters_of`)."""

    model_config = ConfigDict(extra="ignore", allow_inf_nan=False)

    def __init_subclass__(cls, **kwargs: Any) -> None:
        bound_fields(cls)
        super().__init_subclass__(**kwargs)


class TransactionFilters(Filters):
    updated_since: datetime | None = None
    station_id: str | None = None
    id_tag: str | None = None
    active: bool | None = None
    started_since: datetime | None = None
    started_until: datetime | None = None


class StatusHistoryFilters(Filters):
    station_id: str | None = None
    evse_id: int | None = Field(None, ge=0, le=INT_MAX)
    since: datetime | None = None
    until: datetime | None = None


class AlertFilters(Filters):
    status: list[AlertStatus] | None = Field(None, max_length=len(AlertStatus))
    name: RuleName | None = None
    category: Category | None = None
    urgency: Urgency | None = None
    station_id: str | None = None
    evse_id: int | None = Field(None, ge=0, le=INT_MAX)
    since: datetime | None = None
    until: datetime | None = None


class MeterValueFilters(Filters):
    station_id: str | None = None
    transaction_id: int | None = Field(None, ge=1, le=INT_MAX)
    evse_id: int | None = Field(None, ge=0, le=INT_MAX)
    measurand: str | None = None
    since: datetime | None = None
    until: datetime | None = None


class MessageFilters(Filters):
    station_id: str | None = None
    direction: str | None = Field(None, pattern="^(in|out)$")
    action: str | None = None
    unique_id: str | None = None
    since: datetime | None = None
    until: datetime | None = None


class CdrFilters(Filters):
    transaction_id: int | None = Field(None, ge=1, le=INT_MAX)
    station_id: str | None = None
    id_tag: str | None = None
    driver_id: str | None = None
    credit: bool | None = None
    since: datetime | None = None
    until: datetime | None = None


class UptimeFilters(Filters):
    station_id: str | None = None
    location_id: str | None = None
    start: datetime | None = None
    end: datetime | None = None


class ReportIn(Input):
    kind: ReportKind
    format: ReportFormat = ReportFormat.CSV
    filters: dict[str, Any] = Field(default_factory=dict, max_length=20)


class ReportOut(BaseModel):
    id: str
    kind: str
    format: str
    filters: dict[str, Any]
    status: str
    rows: int | None
    error: str | None
    file_id: str | None
    download_url: str | None = Field(
        description="Where the finished report is downloaded (GET, authenticated), once ready."
    )
    requested_by: str | None
    created_at: datetime
    started_at: datetime | None
    finished_at: datetime | None
