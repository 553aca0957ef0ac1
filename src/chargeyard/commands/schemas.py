"""Command request bodies (one per command, snake_case) and the answers the API gives."""

from datetime import datetime
from typing import Any

from pydantic import BaseModel, Field, field_validator

from chargeyard.api.limits import TEXT_MAX_LENGTH
from chargeyard.api.schemas import Input, Resource
from chargeyard.charging_profiles.domain import Purpose, RateUnit
from chargeyard.charging_profiles.schemas import ChargingProfileIn
from chargeyard.commands.domain import ListUpdate, ResetType, TriggerableMessage


class NoBody(Input):
    pass


class RemoteStartIn(Input):
    id_tag: str = Field(min_length=1, max_length=36)
    evse_id: int | None = Field(None, ge=1, description="Absent: the station chooses.")
    charging_profile: ChargingProfileIn | None = Field(None, description="A TxProfile.")


class TransactionRef(Input):
    transaction_id: int = Field(description="The id the transactions API shows.")

    @field_validator("transaction_id", mode="before")
    @classmethod
    def _numeric(cls, value: Any) -> Any:
        if isinstance(value, str) and not value.strip().isdigit():
            raise ValueError("must be a transaction id (an integer)")
        return value


class ForceStopIn(TransactionRef):
    reason: str = Field("ForcedByOperator", min_length=1, max_length=32)


class ResetIn(Input):
    type: ResetType = ResetType.SOFT
    evse_id: int | None = Field(None, ge=1, description="OCPP 2.x: reset only this EVSE.")


class UnlockConnectorIn(Input):
    evse_id: int = Field(ge=1)
    connector_id: int = Field(1, ge=1)


class ChangeAvailabilityIn(Input):
    evse_id: int = Field(0, ge=0, description="0 (or absent): the whole station.")
    operative: bool
    connector_id: int | None = Field(None, ge=1, description="OCPP 2.x: one connector.")


class TriggerMessageIn(Input):
    message: TriggerableMessage
    evse_id: int | None = Field(None, ge=0)


class GetConfigurationIn(Input):
    keys: list[str] = Field(default_factory=list)


class ChangeConfigurationIn(Input):
    key: str = Field(min_length=1, max_length=50)
    value: str = Field(max_length=500)


class DataTransferIn(Input):
    vendor_id: str = Field(min_length=1, max_length=255)
    message_id: str | None = Field(None, max_length=50)
    data: str | None = Field(None, max_length=TEXT_MAX_LENGTH)


class ReserveNowIn(Input):
    evse_id: int = Field(0, ge=0, description="0: any EVSE of the station.")
    id_tag: str = Field(min_length=1, max_length=36)
    expires_at: datetime
    parent_id_tag: str | None = Field(None, max_length=36)


class CancelReservationIn(Input):
    reservation_id: int


class SendLocalListIn(Input):
    update_type: ListUpdate = ListUpdate.FULL
    id_tags: list[str] | None = Field(None, description="Absent: every ID tag of the organization.")
    version: int | None = Field(None, ge=1, description="Absent: the current Unix time.")


class UpdateFirmwareIn(Input):
    location: str = Field(min_length=1)
    retrieve_at: datetime | None = Field(None, description="Absent: now.")
    retries: int | None = Field(None, ge=0)
    retry_interval_s: int | None = Field(None, ge=0)


class GetDiagnosticsIn(Input):
    location: str = Field(min_length=1)
    retries: int | None = Field(None, ge=0)
    retry_interval_s: int | None = Field(None, ge=0)
    start: datetime | None = None
    stop: datetime | None = None


class SetChargingProfileIn(Input):
    evse_id: int = Field(0, ge=0)
    charging_profile: ChargingProfileIn


class ClearChargingProfileIn(Input):
    id: int | None = None
    evse_id: int | None = Field(None, ge=0)
    purpose: Purpose | None = None
    stack_level: int | None = Field(None, ge=0)


class GetCompositeScheduleIn(Input):
    evse_id: int = Field(ge=0)
    duration: int = Field(gt=0, description="Seconds.")
    charging_rate_unit: RateUnit | None = None


class CommandAnswer(BaseModel):
    """The synchronous answer: the station's status and its whole response."""

    status: str
    response: dict[str, Any]
    command_id: str


class CommandOut(Resource):
    id: str
    station_id: str
    command: str
    actor: str
    state: str
    status: str | None
    request: dict[str, Any]
    ocpp_action: str | None
    ocpp_request: dict[str, Any] | None
    response: dict[str, Any] | None
    error: str | None
    http_status: int | None
    requested_at: datetime
    sent_at: datetime | None
    finished_at: datetime | None
    duration_ms: float | None


class BulkResult(BaseModel):
    station_id: str
    http_status: int
    status: str | None = None
    response: dict[str, Any] | None = None
    command_id: str | None = None
    error: str | None = None


class BulkOut(BaseModel):
    results: list[BulkResult]
