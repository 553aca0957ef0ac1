"""A hardware template's layout as form fields, one per value: EVSEs and their connectors as
rows the operator adds and removes, read back into the REST body's `evses` list. Pure: no I/O.

The fields are named by their place in that list (`evses.0.evse_id`,
`evses.0.connectors.1.standard`), which is also where the body model (`EvseIn`, `ConnectorIn`)
says a value is wrong, so each refusal lands beside its own field. Adding or removing a row is a
button of the same form (`layout_action`): the page comes back with the row added or gone and
everything typed kept, with or without the script. What arrives is never trusted to be what the
page drew: unknown names are ignored, rows are taken in index order, and a value the model
refuses is reported, not raised past the form.
"""

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from chargeyard.dashboard.forms import FormInvalid
from chargeyard.errors import ChargeyardError
from chargeyard.stations.hardware import (
    HARDWARE_FIELDS,
    ConnectorFormat,
    ConnectorStandard,
    PowerType,
)

EVSE_FIELDS = ("evse_id", "physical_reference")
CONNECTOR_FIELDS = ("connector_id", *HARDWARE_FIELDS)
LABELS = {
    "vendor": "Vendor",
    "model": "Model",
    "name": "Name",
    "evse_id": "EVSE id",
    "physical_reference": "Physical reference",
    "connector_id": "Connector id",
    "standard": "Connector type",
    "format": "Socket or cable",
    "power_type": "Power type",
    "max_voltage": "Max voltage (V)",
    "max_amperage": "Max current (A)",
    "max_electric_power": "Max power (W)",
    "evses": "Layout",
    "connectors": "Connectors",
}
"""Each field's label, on the form and in the list of what is wrong."""

_COMMON_NAMES = {
    ConnectorStandard.IEC_62196_T1: "Type 1",
    ConnectorStandard.IEC_62196_T1_COMBO: "CCS1",
    ConnectorStandard.IEC_62196_T2: "Type 2",
    ConnectorStandard.IEC_62196_T2_COMBO: "CCS2",
    ConnectorStandard.CHADEMO: "CHAdeMO",
    ConnectorStandard.GBT_AC: "GB/T AC",
    ConnectorStandard.GBT_DC: "GB/T DC",
    ConnectorStandard.DOMESTIC_F: "Schuko",
    ConnectorStandard.TESLA_S: "Tesla",
}
CHOICES: dict[str, list[tuple[str, str]]] = {
    "standard": [
        (s.value, f"{_COMMON_NAMES[s]} ({s.value})" if s in _COMMON_NAMES else s.value)
        for s in sorted(ConnectorStandard, key=lambda s: (s not in _COMMON_NAMES, s.value))
    ],
    "format": [(ConnectorFormat.SOCKET.value, "Socket"), (ConnectorFormat.CABLE.value, "Cable")],
    "power_type": [(p.value, p.value.replace("_", " ")) for p in PowerType],
}
"""The values a select field offers (the REST schema's enums: OCPI 2.2.1), with their text;
the common connector types first."""

_EVSE_NAME = re.compile(r"evses\.([0-9]{1,3})\.([a-z_]+)")
_CONNECTOR_NAME = re.compile(r"evses\.([0-9]{1,3})\.connectors\.([0-9]{1,3})\.([a-z_]+)")
_NUMBER = re.compile(r"[0-9]{1,4}")
_ACTION = re.compile(r"(add-evse|remove-evse|add-connector|remove-connector)((?::[0-9]{1,3})*)")


@dataclass
class EvseRow:
    """One EVSE of the form, its values as typed (text)."""

    values: dict[str, str] = field(default_factory=dict)
    connectors: list[dict[str, str]] = field(default_factory=list)


def rows_of(evses: Sequence[Mapping[str, Any]]) -> list[EvseRow]:
    """A stored layout (the REST body's `evses`) as the form's rows."""

    def text(value: object) -> str:
        return "" if value is None else str(value)

    return [
        EvseRow(
            {name: text(evse.get(name)) for name in EVSE_FIELDS},
            [
                {name: text(connector.get(name)) for name in CONNECTOR_FIELDS}
                for connector in evse.get("connectors") or []
            ],
        )
        for evse in evses
    ]


def rows_from_form(fields: Mapping[str, str]) -> list[EvseRow]:
    """The rows a form sent, in the order of their indices (gaps closed); names that are not
    a layout field are ignored."""
    evses: dict[int, dict[str, str]] = {}
    connectors: dict[int, dict[int, dict[str, str]]] = {}
    for name, value in fields.items():
        if found := _CONNECTOR_NAME.fullmatch(name):
            evse, connector, key = int(found[1]), int(found[2]), found[3]
            if key in CONNECTOR_FIELDS:
                evses.setdefault(evse, {})
                connectors.setdefault(evse, {}).setdefault(connector, {})[key] = value.strip()
        elif (found := _EVSE_NAME.fullmatch(name)) and found[2] in EVSE_FIELDS:
            evses.setdefault(int(found[1]), {})[found[2]] = value.strip()
    return [
        EvseRow(
            {name: evses[i].get(name, "") for name in EVSE_FIELDS},
            [
                {name: row.get(name, "") for name in CONNECTOR_FIELDS}
                for _, row in sorted(connectors.get(i, {}).items())
            ],
        )
        for i in sorted(evses)
    ]


def layout_body(rows: Sequence[EvseRow]) -> list[dict[str, Any]]:
    """The REST body's `evses` from the rows: an empty field is left out (the model's
    default, none), everything else goes to the model as typed, for it to judge."""

    def given(values: Mapping[str, str]) -> dict[str, Any]:
        return {name: value for name, value in values.items() if value != ""}

    return [given(row.values) | {"connectors": [given(c) for c in row.connectors]} for row in rows]


def _next_number(values: Sequence[str]) -> str:
    """One more than the highest of `values` that is a number (1 when none is)."""
    return str(max((int(v) for v in values if _NUMBER.fullmatch(v)), default=0) + 1)


def edited(rows: list[EvseRow], action: str) -> tuple[list[EvseRow], str]:
    """The rows after a row button: `add-evse` (numbered after the highest, with a copy of the
    last EVSE's connectors, as twin chargers have), `remove-evse:I`, `add-connector:I`
    (numbered after the EVSE's highest) or `remove-connector:I:J`; and the form control the
    page should put the focus on next (its path). An action that names no row changes
    nothing."""
    found = _ACTION.fullmatch(action)
    if not found:
        return rows, ""
    kind, where = found[1], [int(n) for n in found[2].split(":")[1:]]
    rows = [EvseRow(dict(r.values), [dict(c) for c in r.connectors]) for r in rows]
    if kind == "add-evse" and not where:
        last = rows[-1].connectors if rows else [{"connector_id": "1"}]
        copied = [{name: c.get(name, "") for name in CONNECTOR_FIELDS} for c in last]
        number = _next_number([r.values.get("evse_id", "") for r in rows])
        rows.append(EvseRow({"evse_id": number, "physical_reference": ""}, copied))
        return rows, f"evses.{len(rows) - 1}.evse_id"
    if not where or where[0] >= len(rows):
        return rows, ""
    evse = rows[where[0]]
    if kind == "remove-evse" and len(where) == 1:
        del rows[where[0]]
        return rows, "add-evse"
    if kind == "add-connector" and len(where) == 1:
        number = _next_number([c.get("connector_id", "") for c in evse.connectors])
        evse.connectors.append({name: "" for name in CONNECTOR_FIELDS} | {"connector_id": number})
        return rows, f"evses.{where[0]}.connectors.{len(evse.connectors) - 1}.standard"
    if kind == "remove-connector" and len(where) == 2 and where[1] < len(evse.connectors):
        del evse.connectors[where[1]]
        return rows, f"add-connector:{where[0]}"
    return rows, ""


def described(path: str) -> str:
    """Where a refusal's path is, in words: `evses.0.connectors.1.max_voltage` is "EVSE row
    1, connector row 2, Max voltage (V)"."""
    parts = path.split(".")
    words = []
    if parts[:1] == ["evses"] and len(parts) > 1 and parts[1].isdigit():
        words.append(f"EVSE row {int(parts[1]) + 1}")
        parts = parts[2:]
        if parts[:1] == ["connectors"] and len(parts) > 1 and parts[1].isdigit():
            words.append(f"connector row {int(parts[1]) + 1}")
            parts = parts[2:]
    if parts:
        words.append(LABELS.get(parts[0], ".".join(parts)))
    return ", ".join(words) or "The form"


@dataclass(frozen=True)
class TemplateForm:
    """A template form as the page draws it: the plain fields (vendor, model, name, revision),
    the layout's rows, what was refused (by path; "" for the form as a whole) and the control
    to focus (a path or a row button's action)."""

    values: Mapping[str, str]
    rows: list[EvseRow]
    errors: Mapping[str, str] = field(default_factory=dict)
    focus: str = ""

    @property
    def summary(self) -> list[tuple[str, str]]:
        """What was refused, in words, each with the path of the field it is about."""
        return [
            (path, f"{described(path)}: {message}" if path else message)
            for path, message in self.errors.items()
        ]


def refusals(error: ChargeyardError) -> dict[str, str]:
    """A refusal by field path: the body model's per field, a service's for the whole form."""
    return dict(error.fields) if isinstance(error, FormInvalid) else {"": error.detail}
