"""What a site measurement is of. No I/O."""

from enum import StrEnum


class MeasurementKind(StrEnum):
    BASELOAD = "baseload"
    SOLAR = "solar"
