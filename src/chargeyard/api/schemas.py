"""Shapes shared by every resource's schemas."""

from decimal import ROUND_HALF_UP, Decimal
from typing import Annotated, Any, ClassVar, Generic, Self, TypeVar

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    PlainSerializer,
    field_validator,
    model_validator,
)

from chargeyard.api.limits import bound_fields
from chargeyard.money import quantum
from chargeyard.storage.repository import Page, PageResult

T = TypeVar("T", bound=BaseModel)

Percentage = Annotated[
    Decimal, PlainSerializer(lambda v: f"{v.normalize():f}", return_type=str, when_used="json")
]
"""A percentage as people write it ("12.5", never "12.500000" as it is stored)."""

# Quantities of smart charging's inputs (circuits, wiring, vehicles, session needs).
Positive = Annotated[float, Field(gt=0)]
NonNegative = Annotated[float, Field(ge=0)]
Percent = Annotated[float, Field(ge=0, le=100)]
Priority = Annotated[int, Field(ge=0, le=5, description="0 = maximum (opt-out) ... 5 = very low")]


class Resource(BaseModel):
    model_config = ConfigDict(from_attributes=True)


class Input(BaseModel):
    """Request bodies: unknown fields are an error, not silently dropped; every integer, string,
    list and mapping is bounded (`api/limits.py`); NaN and infinities are refused."""

    model_config = ConfigDict(extra="forbid", allow_inf_nan=False)

    def __init_subclass__(cls, **kwargs: Any) -> None:
        bound_fields(cls)
        super().__init_subclass__(**kwargs)


def refuse_null(*fields: str) -> Any:
    """A PATCH body's validator for fields whose columns cannot be cleared: they may be left
    out, but not sent as null (only sent fields are validated). In the class body:
    `_not_null = refuse_null("name", "timezone")`."""

    def check(cls: type[BaseModel], value: object) -> object:
        if value is None:
            raise ValueError("may be left out, but not null")
        return value

    return field_validator(*fields)(classmethod(check))


class InCurrency(Resource):
    """A resource whose `AMOUNTS` are shown with its `currency`'s minor unit ("4.80"): money is
    stored with six decimals, but people read it in cents."""

    AMOUNTS: ClassVar[tuple[str, ...]] = ()

    @model_validator(mode="after")
    def _minor_units(self) -> Self:
        currency = getattr(self, "currency")  # noqa: B009 (every subclass declares it)
        for name in self.AMOUNTS:
            value = getattr(self, name)
            if isinstance(value, Decimal):
                object.__setattr__(self, name, value.quantize(quantum(currency), ROUND_HALF_UP))
        return self


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
