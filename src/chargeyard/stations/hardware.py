"""What an EVSE's connectors are, in the OCPI 2.2.1 vocabulary roaming partners and maps use, and
how a planned connector is reconciled with what its station reports. Pure values and rules.

OCPP says little about hardware: 1.6 reports only connector numbers, 2.0.1 a `ConnectorType`
variable per connector in NotifyReport. What the operator planned is kept; what the station
reports beside it is compared, and a difference becomes a visible conflict on the connector
rather than an overwrite.
"""

from dataclasses import dataclass
from enum import StrEnum
from typing import Any

HARDWARE_FIELDS = (
    "standard",
    "format",
    "power_type",
    "max_voltage",
    "max_amperage",
    "max_electric_power",
)
"""The connector fields an operator plans (and a report may fill or contradict)."""


class ConnectorStandard(StrEnum):
    """OCPI 2.2.1 `ConnectorType`."""

    CHADEMO = "CHADEMO"
    CHAOJI = "CHAOJI"
    DOMESTIC_A = "DOMESTIC_A"
    DOMESTIC_B = "DOMESTIC_B"
    DOMESTIC_C = "DOMESTIC_C"
    DOMESTIC_D = "DOMESTIC_D"
    DOMESTIC_E = "DOMESTIC_E"
    DOMESTIC_F = "DOMESTIC_F"
    DOMESTIC_G = "DOMESTIC_G"
    DOMESTIC_H = "DOMESTIC_H"
    DOMESTIC_I = "DOMESTIC_I"
    DOMESTIC_J = "DOMESTIC_J"
    DOMESTIC_K = "DOMESTIC_K"
    DOMESTIC_L = "DOMESTIC_L"
    DOMESTIC_M = "DOMESTIC_M"
    DOMESTIC_N = "DOMESTIC_N"
    DOMESTIC_O = "DOMESTIC_O"
    GBT_AC = "GBT_AC"
    GBT_DC = "GBT_DC"
    IEC_60309_2_SINGLE_16 = "IEC_60309_2_single_16"
    IEC_60309_2_THREE_16 = "IEC_60309_2_three_16"
    IEC_60309_2_THREE_32 = "IEC_60309_2_three_32"
    IEC_60309_2_THREE_64 = "IEC_60309_2_three_64"
    IEC_62196_T1 = "IEC_62196_T1"
    IEC_62196_T1_COMBO = "IEC_62196_T1_COMBO"
    IEC_62196_T2 = "IEC_62196_T2"
    IEC_62196_T2_COMBO = "IEC_62196_T2_COMBO"
    IEC_62196_T3A = "IEC_62196_T3A"
    IEC_62196_T3C = "IEC_62196_T3C"
    NEMA_5_20 = "NEMA_5_20"
    NEMA_6_30 = "NEMA_6_30"
    NEMA_6_50 = "NEMA_6_50"
    NEMA_10_30 = "NEMA_10_30"
    NEMA_10_50 = "NEMA_10_50"
    NEMA_14_30 = "NEMA_14_30"
    NEMA_14_50 = "NEMA_14_50"
    PANTOGRAPH_BOTTOM_UP = "PANTOGRAPH_BOTTOM_UP"
    PANTOGRAPH_TOP_DOWN = "PANTOGRAPH_TOP_DOWN"
    TESLA_R = "TESLA_R"
    TESLA_S = "TESLA_S"


class ConnectorFormat(StrEnum):
    """OCPI 2.2.1 `ConnectorFormat`: a socket the driver plugs a cable into, or a fixed cable."""

    SOCKET = "SOCKET"
    CABLE = "CABLE"


class PowerType(StrEnum):
    """OCPI 2.2.1 `PowerType`."""

    AC_1_PHASE = "AC_1_PHASE"
    AC_2_PHASE = "AC_2_PHASE"
    AC_2_PHASE_SPLIT = "AC_2_PHASE_SPLIT"
    AC_3_PHASE = "AC_3_PHASE"
    DC = "DC"


# OCPI gives AC voltages line to neutral, so each phase carries voltage times amperage.
_PHASES = {
    PowerType.AC_1_PHASE: 1,
    PowerType.AC_2_PHASE: 2,
    PowerType.AC_2_PHASE_SPLIT: 2,
    PowerType.AC_3_PHASE: 3,
    PowerType.DC: 1,
}


def max_electric_power_w(
    power_type: PowerType | None, voltage: int | None, amperage: int | None
) -> int | None:
    """The most a connector can deliver in W, as OCPI computes it when none is given."""
    if power_type is None or voltage is None or amperage is None:
        return None
    return voltage * amperage * _PHASES[power_type]


# OCPP 2.0.1 `ConnectorEnumType` (Connector.ConnectorType in a device model report) as the OCPI
# standard and format it names; values with no OCPI counterpart are left out.
REPORTED_TYPES: dict[str, tuple[ConnectorStandard, ConnectorFormat]] = {
    "cCCS1": (ConnectorStandard.IEC_62196_T1_COMBO, ConnectorFormat.CABLE),
    "cCCS2": (ConnectorStandard.IEC_62196_T2_COMBO, ConnectorFormat.CABLE),
    "cG105": (ConnectorStandard.CHADEMO, ConnectorFormat.CABLE),
    "cTesla": (ConnectorStandard.TESLA_S, ConnectorFormat.CABLE),
    "cType1": (ConnectorStandard.IEC_62196_T1, ConnectorFormat.CABLE),
    "cType2": (ConnectorStandard.IEC_62196_T2, ConnectorFormat.CABLE),
    "s309-1P-16A": (ConnectorStandard.IEC_60309_2_SINGLE_16, ConnectorFormat.SOCKET),
    "s309-3P-16A": (ConnectorStandard.IEC_60309_2_THREE_16, ConnectorFormat.SOCKET),
    "s309-3P-32A": (ConnectorStandard.IEC_60309_2_THREE_32, ConnectorFormat.SOCKET),
    "sBS1361": (ConnectorStandard.DOMESTIC_G, ConnectorFormat.SOCKET),
    "sCEE-7-7": (ConnectorStandard.DOMESTIC_F, ConnectorFormat.SOCKET),
    "sType2": (ConnectorStandard.IEC_62196_T2, ConnectorFormat.SOCKET),
    "sType3": (ConnectorStandard.IEC_62196_T3C, ConnectorFormat.SOCKET),
}


@dataclass(frozen=True)
class Conflict:
    """A field where what the station reports differs from what the operator planned."""

    field: str
    planned: Any
    reported: Any

    def as_dict(self) -> dict[str, Any]:
        return {"field": self.field, "planned": self.planned, "reported": self.reported}


# A connector the station reported on a station whose layout was planned without it.
UNPLANNED = Conflict("connector", None, "reported by the station but not in the planned layout")


def compare(
    planned: dict[str, Any], reported: dict[str, Any]
) -> tuple[dict[str, Any], list[Conflict]]:
    """Reconcile reported values with planned ones, field by field.

    Returns the values to store (a reported value fills a field nobody planned) and the
    conflicts (a reported value that differs from a planned one; the planned one stays)."""
    fill: dict[str, Any] = {}
    conflicts: list[Conflict] = []
    for name, value in reported.items():
        if value is None:
            continue
        current = planned.get(name)
        if current is None:
            fill[name] = value
        elif current != value:
            conflicts.append(Conflict(name, current, value))
    return fill, conflicts


def merge_conflicts(
    existing: list[dict[str, Any]], found: list[Conflict], fields: set[str]
) -> list[dict[str, Any]]:
    """The connector's conflicts after a report about `fields`: earlier conflicts about those
    fields are replaced by what this report found; conflicts about other fields stay."""
    kept = [c for c in existing if c.get("field") not in fields]
    return kept + [c.as_dict() for c in found]
