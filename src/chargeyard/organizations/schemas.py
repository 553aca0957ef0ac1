"""Organization, user and API token request and response bodies. No response carries a
password or a password hash; a token's secret appears once, in the answer that creates it."""

from datetime import datetime
from typing import Annotated, Literal

from pydantic import ConfigDict, Field

from chargeyard.api.schemas import Input, Resource, refuse_null
from chargeyard.organizations.domain import Role
from chargeyard.organizations.service import MIN_USER_PASSWORD

Email = Annotated[str, Field(max_length=320, pattern=r"^[^@\s]+@[^@\s]+$")]
Password = Annotated[str, Field(min_length=MIN_USER_PASSWORD, max_length=200)]
Label = Annotated[str, Field(max_length=200)]
Sites = Annotated[
    list[Annotated[str, Field(max_length=64)]],
    Field(
        max_length=100,
        description=(
            "The locations (each with everything below it) an operator or viewer is confined "
            "to; empty or null: the whole organization. An admin always has none."
        ),
    ),
]


class OrganizationOut(Resource):
    id: str
    name: str
    permissions_required: bool = False
    created_at: datetime
    updated_at: datetime


class OrganizationPatch(Input):
    permissions_required: bool | None = Field(
        default=None,
        description="When true, an ID tag with no permission is refused at every station.",
    )

    _not_null = refuse_null("permissions_required")


class UserOut(Resource):
    id: str
    email: str
    name: str | None
    role: Role
    active: bool
    location_ids: Sites | None = None
    created_at: datetime
    updated_at: datetime


class UserCreate(Input):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "email": "operator@example.com",
                    "password": "a-long-user-password",
                    "role": "operator",
                }
            ]
        }
    )

    email: Email
    password: Password
    role: Role = Role.VIEWER
    name: Label | None = None
    location_ids: Sites | None = None


class UserReplace(Input):
    """The whole user; the password is never shown, so leaving it out keeps it."""

    email: Email
    role: Role
    name: Label | None = None
    active: bool = True
    password: Password | None = None
    location_ids: Sites | None = None


class UserPatch(Input):
    email: Email | None = None
    role: Role | None = None
    name: Label | None = None
    active: bool | None = None
    password: Password | None = None
    location_ids: Sites | None = None

    _not_null = refuse_null("email", "role", "active", "password")


class TokenOut(Resource):
    id: str
    name: str | None
    role: Role = Field(description="The most it may do; its user's current role caps it.")
    user_id: str | None = Field(description="The user it acts for; none for a service token.")
    service: bool
    prefix: str = Field(description="The secret's first characters, to tell tokens apart.")
    created_at: datetime
    last_used_at: datetime | None


class TokenCreate(Input):
    model_config = ConfigDict(
        json_schema_extra={"examples": [{"name": "billing export", "role": "viewer"}]}
    )

    name: Label | None = None
    role: Role = Role.VIEWER
    service: bool = Field(
        False, description="A service token: no user behind it, a role of its own (admin only)."
    )
    user_id: str | None = Field(
        None, max_length=64, description="Absent: a token for the caller's own user."
    )


class TokenCreated(TokenOut):
    secret: str = Field(description="Send as `Authorization: Bearer <secret>`; shown only now.")


class MeOrganization(Resource):
    id: str
    name: str


class MeOut(Resource):
    """Who the credentials sent with this request are, and what they may do now."""

    id: str | None = Field(description="The user's id; none for a service token.")
    email: str | None
    name: str | None
    role: Role = Field(description="The effective role: a token's, capped by its user's.")
    organization: MeOrganization
    authenticated_by: Literal["token", "basic"]
    token_id: str | None
    service: bool = Field(description="Authenticated by a service token.")
    location_ids: Sites | None = Field(
        None, description="The sites the caller is confined to; null: the whole organization."
    )
