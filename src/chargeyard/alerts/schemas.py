"""Alert and alert-rule request and response bodies."""

from datetime import datetime
from typing import Annotated, Any, Literal

from pydantic import BaseModel, Field, field_validator

from chargeyard.alerts.domain import RuleSettings
from chargeyard.api.schemas import Input, Resource

StatusName = Literal["Triggered", "Acknowledged", "Resolved"]
UrgencyName = Literal["High", "Medium", "Low"]


class AlertNoteOut(Resource):
    author: str
    text: str
    status: str | None
    created_at: datetime


class AlertOut(Resource):
    id: str
    name: str
    category: str
    urgency: str
    status: str
    station_id: str
    evse_id: int | None
    connector_id: int | None
    transaction_id: int | None
    started_at: datetime
    ended_at: datetime | None
    acknowledged_at: datetime | None
    resolved_by: str | None = Field(
        description="Who resolved it: `system` (the condition cleared), `reboot` (a 2.x Problem "
        "the station did not report again after booting) or the operator."
    )
    awaiting_report_since: datetime | None = Field(
        description="A 2.x Problem: the accepted boot after which the station has not reported "
        "it again yet (resolved by the reboot once the vendor-error threshold has passed)."
    )
    detail: dict[str, Any]
    notes: list[AlertNoteOut]
    created_at: datetime
    updated_at: datetime


class AlertPatch(Input):
    """A step in the workflow, a note, or both; resolving by hand needs a note."""

    status: Literal["Acknowledged", "Resolved"] | None = None
    note: Annotated[str, Field(min_length=1, max_length=2000)] | None = None


class AlertRuleOut(BaseModel):
    name: str
    title: str
    description: str
    category: str
    enabled: bool
    urgency: str
    threshold_s: int | None
    default_urgency: str
    default_threshold_s: int | None
    fraction: float | None = Field(
        description="Rules that compare to a limit (power-below-limit): the share of it below "
        "which a measurement counts."
    )
    default_fraction: float | None

    @classmethod
    def of(cls, settings: RuleSettings) -> "AlertRuleOut":
        rule = settings.rule
        return cls(
            name=rule.name.value,
            title=rule.title,
            description=rule.description,
            category=rule.category.value,
            enabled=settings.enabled,
            urgency=settings.effective_urgency.value,
            threshold_s=settings.effective_threshold_s,
            default_urgency=rule.urgency.value,
            default_threshold_s=rule.threshold_s,
            fraction=settings.effective_fraction,
            default_fraction=rule.fraction,
        )


class AlertRulePatch(Input):
    """Only the fields sent change; null puts threshold_s or urgency back to the default
    (`enabled` is true or false, never null)."""

    enabled: bool | None = None

    @field_validator("enabled")
    @classmethod
    def _not_null(cls, value: bool | None) -> bool:
        if value is None:
            raise ValueError("enabled is true or false")
        return value

    threshold_s: Annotated[int, Field(ge=1, le=30 * 86_400)] | None = None
    urgency: UrgencyName | None = None
    fraction: Annotated[float, Field(gt=0, lt=1)] | None = None


class StationNetworkStatus(BaseModel):
    station_id: str
    network_status: str
    since: datetime
    in_maintenance: bool = Field(
        default=False,
        description="A maintenance window of the station, its location or a location above "
        "it is in force now: "
        "planned downtime, no offline alert.",
    )


class NetworkStatusOut(BaseModel):
    """Every class is counted (zero included); `items` are the stations the filters select."""

    long_term_s: int
    counts: dict[str, int]
    total: int
    items: list[StationNetworkStatus]
