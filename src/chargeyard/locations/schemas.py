"""Location request and response bodies."""

from datetime import datetime
from decimal import Decimal
from typing import Annotated

from pydantic import AfterValidator, ConfigDict, Field, PlainSerializer

from chargeyard.api.schemas import Input, Resource, refuse_null

_MICRODEGREE = Decimal("0.000001")


def _to_column(value: Decimal) -> Decimal:
    """The column keeps six decimals (about 10 cm); round here rather than refuse finer input."""
    return value.quantize(_MICRODEGREE)


# Coordinates are exact decimals inside, plain JSON numbers outside.
Coordinate = Annotated[Decimal, PlainSerializer(float, return_type=float, when_used="json")]
Latitude = Annotated[Decimal, Field(ge=-90, le=90), AfterValidator(_to_column)]
Longitude = Annotated[Decimal, Field(ge=-180, le=180), AfterValidator(_to_column)]
Name = Annotated[str, Field(min_length=1, max_length=200)]
Country = Annotated[str, Field(pattern=r"^[A-Z]{2}$", description="ISO 3166-1 alpha-2")]
TimeZone = Annotated[
    str, Field(min_length=1, max_length=64, description="IANA, e.g. Europe/Berlin")
]
Address = Annotated[str, Field(max_length=400)]
City = Annotated[str, Field(max_length=100)]
PostalCode = Annotated[str, Field(max_length=20)]


class LocationOut(Resource):
    id: str
    parent_id: str | None
    name: str
    address: str | None
    city: str | None
    postal_code: str | None
    country: str | None
    latitude: Coordinate | None
    longitude: Coordinate | None
    timezone: str
    tariff_id: str | None = None
    created_at: datetime
    updated_at: datetime


class LocationCreate(Input):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "name": "Depot North",
                    "city": "Berlin",
                    "country": "DE",
                    "timezone": "Europe/Berlin",
                }
            ]
        }
    )

    name: Name
    parent_id: str | None = None
    address: Address | None = None
    city: City | None = None
    postal_code: PostalCode | None = None
    country: Country | None = None
    latitude: Latitude | None = None
    longitude: Longitude | None = None
    timezone: TimeZone = "UTC"


class LocationReplace(LocationCreate):
    """The whole location: what the body leaves out returns to its default."""


class LocationPatch(Input):
    name: Name | None = None
    parent_id: str | None = None
    address: Address | None = None
    city: City | None = None
    postal_code: PostalCode | None = None
    country: Country | None = None
    latitude: Latitude | None = None
    longitude: Longitude | None = None
    timezone: TimeZone | None = None
    tariff_id: str | None = None

    _not_null = refuse_null("name", "timezone")


class SiteNodeOut(Resource):
    id: str
    parent_id: str | None
    name: str
    station_ids: list[str]
    children: list["SiteNodeOut"]
