"""Tag group request and response bodies. Members are named by tag value (or tag id)."""

from datetime import datetime
from typing import Annotated

from pydantic import Field

from chargeyard.api.schemas import Input, Resource, refuse_null

GroupName = Annotated[str, Field(min_length=1, max_length=100)]
TagReference = Annotated[str, Field(min_length=1, max_length=36)]


class TagGroupOut(Resource):
    id: str
    name: str
    description: str | None
    id_tags: list[str] = Field(description="The members' tag values.")
    created_at: datetime
    updated_at: datetime


class TagGroupCreate(Input):
    name: GroupName
    description: Annotated[str, Field(max_length=200)] | None = None
    id_tags: list[TagReference] | None = None


class TagGroupReplace(Input):
    name: GroupName
    description: Annotated[str, Field(max_length=200)] | None = None
    id_tags: list[TagReference] = Field(default_factory=list)


class TagGroupPatch(Input):
    name: GroupName | None = None
    description: Annotated[str, Field(max_length=200)] | None = None
    id_tags: list[TagReference] | None = Field(
        default=None, description="Replaces the members when sent."
    )

    _not_null = refuse_null("name", "id_tags")


class MemberIn(Input):
    id_tag: TagReference
