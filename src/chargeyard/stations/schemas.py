"""Station request and response bodies."""

from datetime import datetime
from typing import Annotated

from pydantic import ConfigDict, Field

from chargeyard.api.limits import Name, StationId
from chargeyard.api.schemas import Input, Resource, refuse_null
from chargeyard.stations.domain import PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH, RegistrationStatus

Password = Annotated[str, Field(min_length=PASSWORD_MIN_LENGTH, max_length=PASSWORD_MAX_LENGTH)]
SecurityProfile = Annotated[int, Field(ge=0, le=3, description="0 = no authentication")]


class ConnectorOut(Resource):
    connector_id: int
    connector_type: str | None
    status: str
    ocpp_status: str | None
    error_code: str | None
    info: str | None
    vendor_error_code: str | None
    status_at: datetime | None


class EvseOut(Resource):
    evse_id: int
    status: str
    connectors: list[ConnectorOut]


class StationOut(Resource):
    id: str
    name: str | None
    location_id: str | None
    circuit_id: str | None = None
    security_profile: int
    registration_status: str
    connected: bool
    protocol: str | None
    last_seen_at: datetime | None
    connected_at: datetime | None
    disconnected_at: datetime | None
    last_boot_at: datetime | None
    vendor: str | None
    model: str | None
    serial_number: str | None
    charge_box_serial_number: str | None
    firmware_version: str | None
    iccid: str | None
    imsi: str | None
    meter_type: str | None
    meter_serial_number: str | None
    status: str | None
    ocpp_status: str | None
    error_code: str | None
    firmware_status: str | None
    diagnostics_status: str | None
    heartbeat_interval: int | None
    has_password: bool
    evses: list[EvseOut]
    created_at: datetime
    updated_at: datetime


class StationCreate(Input):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "id": "CP-0001",
                    "password": "Qx7-dW2m-Lp9z-Rt4k",
                    "name": "Bay 1",
                    "security_profile": 1,
                }
            ]
        }
    )

    id: StationId
    password: Password | None = None
    name: Name | None = None
    location_id: str | None = None
    security_profile: SecurityProfile = 1
    registration_status: RegistrationStatus = RegistrationStatus.ACCEPTED


class StationReplace(Input):
    name: Name | None
    location_id: str | None
    security_profile: SecurityProfile
    registration_status: RegistrationStatus
    heartbeat_interval: Annotated[int, Field(ge=10, le=86400)] | None = None


class StationPatch(Input):
    name: Name | None = None
    location_id: str | None = None
    circuit_id: str | None = Field(
        default=None, description="The circuit the station is wired to (smart charging)."
    )
    security_profile: SecurityProfile | None = None
    registration_status: RegistrationStatus | None = None
    heartbeat_interval: Annotated[int, Field(ge=10, le=86400)] | None = None
    password: Password | None = None

    _not_null = refuse_null("security_profile", "registration_status")


class PasswordChange(Input):
    password: Password | None = Field(
        default=None, description="Leave out to have a random password generated and returned."
    )


class PasswordOut(Resource):
    password: str


class StatusChangeOut(Resource):
    id: int
    station_id: str
    evse_id: int | None
    connector_id: int | None
    status: str
    ocpp_status: str
    error_code: str | None
    info: str | None
    vendor_id: str | None
    vendor_error_code: str | None
    occurred_at: datetime
    received_at: datetime
