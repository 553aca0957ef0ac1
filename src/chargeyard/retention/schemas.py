"""The hourly meter-value rollup as the API shows it."""

from datetime import datetime

from pydantic import BaseModel, ConfigDict, computed_field, field_validator


class RollupOut(BaseModel):
    """One hour of one measured series. For a cumulative register (energy), `last_value` minus
    `first_value` is what the hour's samples span; `average` is `total / numeric_count`."""

    model_config = ConfigDict(from_attributes=True)

    station_id: str
    evse_id: int
    connector_id: int
    transaction_id: int | None
    measurand: str
    phase: str | None
    location: str | None
    unit: str | None
    hour: datetime
    count: int
    numeric_count: int
    total: float
    minimum: float | None
    maximum: float | None
    first_at: datetime
    first_value: float | None
    last_at: datetime
    last_value: float | None

    @field_validator("phase", "location", "unit", mode="before")
    @classmethod
    def _unreported(cls, value: str | None) -> str | None:
        return value or None  # stored as '' so a series is one key; shown as absent

    @computed_field  # type: ignore[prop-decorator]
    @property
    def average(self) -> float | None:
        return self.total / self.numeric_count if self.numeric_count else None
