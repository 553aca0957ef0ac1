"""The device model of a simulated OCPP 2.x station: components holding variables, and the
monitors the CSMS installs on them.

Kept in memory; GetVariables/SetVariables read and write it, NotifyReport describes it, and
NotifyMonitoringReport its monitors. A
variable is addressed by component name, the EVSE and connector it sits on (None for the
station), and variable name; only the Actual attribute is modelled.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Collection, Iterator
from dataclasses import dataclass, field
from typing import Any

VariableKey = tuple[str, int | None, int | None, str]


def variable_key(component: dict[str, Any], variable: dict[str, Any]) -> VariableKey:
    """The key of a ComponentType/VariableType pair as the ocpp library hands them over."""
    evse = component.get("evse") or {}
    return (component["name"], evse.get("id"), evse.get("connector_id"), variable["name"])


@dataclass
class DeviceVariable:
    value: str
    mutability: str = "ReadWrite"


@dataclass
class Monitor:
    key: VariableKey
    type: str
    value: float
    severity: int


@dataclass
class DeviceModel:
    variables: dict[VariableKey, DeviceVariable] = field(default_factory=dict)
    monitors: dict[int, Monitor] = field(default_factory=dict)
    monitoring_base: str = "All"
    monitoring_level: int = 9
    _monitor_ids: Iterator[int] = field(default_factory=lambda: itertools.count(1))

    def define(
        self,
        component: str,
        variable: str,
        value: str,
        mutability: str = "ReadWrite",
        *,
        evse_id: int | None = None,
        connector_id: int | None = None,
    ) -> None:
        self.variables[(component, evse_id, connector_id, variable)] = DeviceVariable(
            value, mutability
        )

    def value(self, component: str, variable: str) -> str | None:
        found = self.variables.get((component, None, None, variable))
        return None if found is None else found.value

    def status_of(self, key: VariableKey) -> str:
        """Accepted, or which part of the address the station does not know."""
        if key in self.variables:
            return "Accepted"
        known_component = any(k[:3] == key[:3] for k in self.variables)
        return "UnknownVariable" if known_component else "UnknownComponent"

    def set(self, key: VariableKey, value: str) -> str:
        """SetVariables' attributeStatus for writing `value` at `key`."""
        status = self.status_of(key)
        if status != "Accepted":
            return status
        variable = self.variables[key]
        if variable.mutability == "ReadOnly":
            return "Rejected"
        variable.value = value
        return "Accepted"

    def monitor(
        self, key: VariableKey, type: str, value: float, severity: int, id: int | None
    ) -> tuple[str, int | None]:
        """Install (or replace, by id) a monitor; its status and id."""
        status = self.status_of(key)
        if status != "Accepted":
            return status, None
        if id is not None and id not in self.monitors:
            return "Rejected", None
        monitor_id = id if id is not None else next(self._monitor_ids)
        self.monitors[monitor_id] = Monitor(key, type, value, severity)
        return "Accepted", monitor_id

    def monitoring_report(
        self, selected: Callable[[VariableKey, str], bool] | None = None
    ) -> list[dict[str, Any]]:
        """NotifyMonitoringReport's monitor list: each installed monitor (or each one
        `selected(key, type)` keeps) under its variable, by id."""
        return [
            {
                "component": component_of(monitor.key),
                "variable": {"name": monitor.key[3]},
                "variable_monitoring": [
                    {
                        "id": monitor_id,
                        "transaction": False,
                        "value": monitor.value,
                        "type": monitor.type,
                        "severity": monitor.severity,
                    }
                ],
            }
            for monitor_id, monitor in sorted(self.monitors.items())
            if selected is None or selected(monitor.key, monitor.type)
        ]

    def report(self, wanted: Collection[VariableKey] | None = None) -> list[dict[str, Any]]:
        """NotifyReport's reportData for every variable, or only the wanted ones."""
        return [
            _report_item(key, variable)
            for key, variable in self.variables.items()
            if wanted is None or key in wanted
        ]


def component_of(key: VariableKey) -> dict[str, Any]:
    name, evse_id, connector_id, _ = key
    component: dict[str, Any] = {"name": name}
    if evse_id is not None:
        evse: dict[str, Any] = {"id": evse_id}
        if connector_id is not None:
            evse["connector_id"] = connector_id
        component["evse"] = evse
    return component


def _report_item(key: VariableKey, variable: DeviceVariable) -> dict[str, Any]:
    return {
        "component": component_of(key),
        "variable": {"name": key[3]},
        "variable_attribute": [{"value": variable.value, "mutability": variable.mutability}],
    }
