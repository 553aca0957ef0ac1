"""Shapes shared by every resource's schemas."""

from typing import Generic, TypeVar

from pydantic import BaseModel, ConfigDict

from chargeyard.storage.repository import Page, PageResult

T = TypeVar("T", bound=BaseModel)


class Resource(BaseModel):
    model_config = ConfigDict(from_attributes=True)


class Input(BaseModel):
    """Request bodies: unknown fields are an error, not silently dropped."""

    model_config = ConfigDict(extra="forbid")


class ListOf(BaseModel, Generic[T]):
    items: list[T]
    total: int
    offset: int
    limit: int


def listing(result: PageResult[object], page: Page, schema: type[T]) -> ListOf[T]:
    return ListOf[schema](  # type: ignore[valid-type]
        items=[schema.model_validate(item) for item in result.items],
        total=result.total,
        offset=page.offset,
        limit=page.limit,
    )
