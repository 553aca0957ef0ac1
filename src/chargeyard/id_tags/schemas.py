"""ID tag request and response bodies."""

from datetime import datetime
from typing import Annotated, Literal

from pydantic import ConfigDict, Field

from chargeyard.api.schemas import Input, Resource, refuse_null

TagValue = Annotated[str, Field(min_length=1, max_length=36)]
TagStatus = Literal["Accepted", "Blocked", "Expired", "Invalid"]
TokenType = Literal[
    "Central", "eMAID", "ISO14443", "ISO15693", "KeyCode", "Local", "MacAddress", "NoAuthorization"
]


class IdTagOut(Resource):
    id: str
    value: str
    token_type: str
    status: str
    expires_at: datetime | None
    parent_id_tag: str | None
    group: str | None
    description: str | None
    created_at: datetime
    updated_at: datetime


class IdTagCreate(Input):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {"value": "04A2B3C4D5E6F7", "status": "Accepted", "description": "Fleet card 17"}
            ]
        }
    )

    value: TagValue
    status: TagStatus = "Accepted"
    token_type: TokenType = "ISO14443"
    expires_at: datetime | None = None
    parent_id_tag: TagValue | None = None
    group: str | None = None
    description: str | None = None


class IdTagReplace(Input):
    value: TagValue
    status: TagStatus
    token_type: TokenType = "ISO14443"
    expires_at: datetime | None = None
    parent_id_tag: TagValue | None = None
    group: str | None = None
    description: str | None = None


class IdTagPatch(Input):
    value: TagValue | None = None
    status: TagStatus | None = None
    token_type: TokenType | None = None
    expires_at: datetime | None = None
    parent_id_tag: TagValue | None = None
    group: str | None = None
    description: str | None = None

    _not_null = refuse_null("value", "status", "token_type")
