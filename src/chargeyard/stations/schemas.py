"""Station request and response bodies."""

from datetime import datetime
from typing import Annotated

from pydantic import ConfigDict, Field, model_validator

from chargeyard.api.limits import Name, StationId
from chargeyard.api.schemas import Input, Resource, refuse_null
from chargeyard.error_codes.schemas import TranslationOut
from chargeyard.locations.schemas import Coordinate, Latitude, Longitude
from chargeyard.stations.domain import (
    PASSWORD_MAX_LENGTH,
    PASSWORD_MIN_LENGTH,
    Capability,
    ConnectorStatus,
    DeployState,
    ParkingRestriction,
    RegistrationStatus,
    ocpi_status,
)
from chargeyard.stations.hardware import ConnectorFormat, ConnectorStandard, PowerType

Password = Annotated[str, Field(min_length=PASSWORD_MIN_LENGTH, max_length=PASSWORD_MAX_LENGTH)]
SecurityProfile = Annotated[int, Field(ge=0, le=3, description="0 = no authentication")]


Volts = Annotated[int, Field(ge=0, le=2000)]
Amperes = Annotated[int, Field(ge=0, le=2000)]
Watts = Annotated[int, Field(ge=0, le=10_000_000)]
ConnectorNumber = Annotated[int, Field(ge=1, le=1000)]
EvseNumber = Annotated[int, Field(ge=1, le=1000)]
PhysicalReference = Annotated[str, Field(max_length=16)]


class Conflict(Resource):
    field: str
    planned: object
    reported: object


class ConnectorOut(Resource):
    connector_id: int
    standard: str | None = None
    format: str | None = None
    power_type: str | None = None
    max_voltage: int | None = None
    max_amperage: int | None = None
    max_electric_power: int | None = Field(
        default=None, description="W; derived from the others when not given."
    )
    planned: bool = False
    conflicts: list[Conflict] = Field(
        default_factory=list, description="Where the station's reports contradict the plan."
    )
    connector_type: str | None = Field(description="The OCPP ConnectorType the station reported.")
    status: str
    ocpp_status: str | None
    error_code: str | None
    info: str | None
    vendor_error_code: str | None
    status_at: datetime | None


class EvseOut(Resource):
    evse_id: int
    status: str
    ocpi_status: str | None = Field(default=None, description="The OCPI Status of the EVSE.")
    planned: bool = False
    physical_reference: str | None = None
    tariff_id: str | None = Field(
        default=None, description="The tariff of sessions on this EVSE (null: the station's)."
    )
    connectors: list[ConnectorOut]


class ConnectorIn(Input):
    connector_id: ConnectorNumber
    standard: ConnectorStandard | None = None
    format: ConnectorFormat | None = None
    power_type: PowerType | None = None
    max_voltage: Volts | None = None
    max_amperage: Amperes | None = None
    max_electric_power: Watts | None = None


class ConnectorPatch(Input):
    standard: ConnectorStandard | None = None
    format: ConnectorFormat | None = None
    power_type: PowerType | None = None
    max_voltage: Volts | None = None
    max_amperage: Amperes | None = None
    max_electric_power: Watts | None = None


class EvseIn(Input):
    evse_id: EvseNumber
    physical_reference: PhysicalReference | None = None
    connectors: list[ConnectorIn] = Field(default_factory=list)

    @model_validator(mode="after")
    def _connectors_once(self) -> "EvseIn":
        """Refused at the edge, so no hardware template can hold a layout that laying it out
        (at station creation, or as a station boots) would then refuse."""
        if len({c.connector_id for c in self.connectors}) < len(self.connectors):
            raise ValueError("connector ids repeat")
        return self


class EvsePatch(Input):
    physical_reference: PhysicalReference | None = None
    tariff_id: str | None = Field(
        default=None, description="The tariff of sessions on this EVSE (null: the station's)."
    )


class StationOut(Resource):
    id: str
    name: str | None
    location_id: str | None
    circuit_id: str | None = None
    tariff_id: str | None = None
    cost_messages: bool = False
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
    allow_all_tags: bool = False
    deploy_state: str = DeployState.PRODUCTION.value
    latitude: Coordinate | None = None
    longitude: Coordinate | None = None
    capabilities: list[str] = Field(default_factory=list)
    parking_restrictions: list[str] = Field(default_factory=list)
    directions: str | None = None
    floor_level: str | None = None
    physical_reference: str | None = None
    status_changed_at: datetime | None = Field(
        default=None, description="When status or connectivity last changed (live data)."
    )
    evses: list[EvseOut]
    created_at: datetime
    updated_at: datetime = Field(description="When the configuration last changed.")

    @model_validator(mode="after")
    def _ocpi_statuses(self) -> "StationOut":
        for evse in self.evses:
            evse.ocpi_status = ocpi_status(
                ConnectorStatus(evse.status), DeployState(self.deploy_state), self.connected
            ).value
        return self


class Description(Input):
    """What describes a station beyond its connection: the fields OCPI publishes."""

    allow_all_tags: bool | None = Field(
        default=None, description="A public station: any accepted tag charges, permissions aside."
    )
    deploy_state: DeployState | None = None
    latitude: Latitude | None = None
    longitude: Longitude | None = None
    capabilities: list[Capability] | None = None
    parking_restrictions: list[ParkingRestriction] | None = None
    directions: Annotated[str, Field(max_length=500)] | None = None
    floor_level: Annotated[str, Field(max_length=4)] | None = None
    physical_reference: PhysicalReference | None = None


class StationCreate(Description):
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
    template_id: str | None = Field(
        default=None, description="A hardware template whose EVSE and connector layout to plan."
    )


class StationReplace(Description):
    name: Name | None
    location_id: str | None
    security_profile: SecurityProfile
    registration_status: RegistrationStatus
    heartbeat_interval: Annotated[int, Field(ge=10, le=86400)] | None = None


class StationPatch(Description):
    name: Name | None = None
    location_id: str | None = None
    circuit_id: str | None = Field(
        default=None, description="The circuit the station is wired to (smart charging)."
    )
    tariff_id: str | None = Field(
        default=None, description="The tariff of sessions here (null: the location's)."
    )
    cost_messages: bool | None = Field(
        default=None,
        description=(
            "OCPP 1.6 only: show the driver prices and costs with the Open Charge Alliance's "
            "DataTransfer messages (vendorId org.openchargealliance.costmsg: SetUserPrice, "
            "RunningCost, FinalCost). Only for stations that implement them (docs/billing.md)."
        ),
    )
    security_profile: SecurityProfile | None = None
    registration_status: RegistrationStatus | None = None
    heartbeat_interval: Annotated[int, Field(ge=10, le=86400)] | None = None
    password: Password | None = None

    _not_null = refuse_null(
        "security_profile",
        "registration_status",
        "cost_messages",
        "allow_all_tags",
        "deploy_state",
        "capabilities",
        "parking_restrictions",
    )


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
    vendor_error: TranslationOut | None = Field(
        default=None,
        description="What the organization's vendor error code table says of "
        "`vendor_error_code` on this station (its vendor, model and firmware at boot; the most "
        "specific entry wins); null without a code or an entry.",
    )
