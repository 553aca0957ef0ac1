"""OCPP 2.x device-management commands on a simulated station: variables and reports on its
in-memory device model, monitors, and the customer data it holds."""

from __future__ import annotations

from typing import Any

from ocpp.v201 import call_result as r

from chargeyard.simulator.device_model import VariableKey, component_of, variable_key
from chargeyard.simulator.v201_handler import Handlers, handles

_ACTUAL = "Actual"
_CRITERIA = {
    "ThresholdMonitoring": {"UpperThreshold", "LowerThreshold"},
    "DeltaMonitoring": {"Delta"},
    "PeriodicMonitoring": {"Periodic", "PeriodicClockAligned"},
}
_MONITOR_TYPES = set().union(*_CRITERIA.values())


class DeviceHandlers(Handlers):
    @handles("GetVariables")
    def on_get_variables(self, get_variable_data: list[dict[str, Any]], **_: Any) -> r.GetVariables:
        model, refused = self.station.device_model, self.refuses("GetVariables")
        results = []
        for item in get_variable_data:
            key = variable_key(item["component"], item["variable"])
            status = "Rejected" if refused else model.status_of(key)
            if status == "Accepted" and item.get("attribute_type", _ACTUAL) != _ACTUAL:
                status = "NotSupportedAttributeType"
            value = model.variables[key].value if status == "Accepted" else None
            results.append(
                {
                    "attribute_status": status,
                    "attribute_value": value,
                    "component": item["component"],
                    "variable": item["variable"],
                }
            )
        return r.GetVariables(get_variable_result=results)

    @handles("SetVariables")
    def on_set_variables(self, set_variable_data: list[dict[str, Any]], **_: Any) -> r.SetVariables:
        model, refused = self.station.device_model, self.refuses("SetVariables")
        results = []
        for item in set_variable_data:
            key = variable_key(item["component"], item["variable"])
            if refused or item.get("attribute_type", _ACTUAL) != _ACTUAL:
                status = "Rejected"
            else:
                status = model.set(key, str(item["attribute_value"]))
            results.append(
                {
                    "attribute_status": status,
                    "component": item["component"],
                    "variable": item["variable"],
                }
            )
        return r.SetVariables(set_variable_result=results)

    @handles("GetBaseReport")
    def on_get_base_report(self, request_id: int, report_base: str, **_: Any) -> r.GetBaseReport:
        if self.refuses("GetBaseReport"):
            return r.GetBaseReport(status="Rejected")
        if report_base == "SummaryInventory":
            return r.GetBaseReport(status="NotSupported")
        station = self.station
        self.after_reply(lambda: station.notify_report(request_id))
        return r.GetBaseReport(status="Accepted")

    @handles("GetReport")
    def on_get_report(
        self,
        request_id: int,
        component_variable: list[dict[str, Any]] | None = None,
        **_: Any,
    ) -> r.GetReport:
        """Components (or single variables of them) by name and EVSE; criteria are ignored."""
        if self.refuses("GetReport"):
            return r.GetReport(status="Rejected")
        model = self.station.device_model
        wanted = {key for key in model.variables if _selected(key, component_variable)}
        if not wanted:
            return r.GetReport(status="EmptyResultSet")
        station, report = self.station, model.report(wanted)
        self.after_reply(lambda: station.notify_report(request_id, report))
        return r.GetReport(status="Accepted")

    @handles("GetMonitoringReport")
    def on_get_monitoring_report(
        self,
        request_id: int,
        monitoring_criteria: list[str] | None = None,
        component_variable: list[dict[str, Any]] | None = None,
        **_: Any,
    ) -> r.GetMonitoringReport:
        """The monitors of the named types on the named components (every one by default),
        reported after the answer; EmptyResultSet when none matches."""
        if self.refuses("GetMonitoringReport"):
            return r.GetMonitoringReport(status="Rejected")
        types = (
            _MONITOR_TYPES
            if not monitoring_criteria
            else set().union(*(_CRITERIA[c] for c in monitoring_criteria))
        )
        monitors = self.station.device_model.monitoring_report(
            lambda key, type: type in types and _selected(key, component_variable)
        )
        if not monitors:
            return r.GetMonitoringReport(status="EmptyResultSet")
        station = self.station
        self.after_reply(lambda: station.notify_monitoring_report(request_id, monitors))
        return r.GetMonitoringReport(status="Accepted")

    @handles("SetVariableMonitoring")
    def on_set_variable_monitoring(
        self, set_monitoring_data: list[dict[str, Any]], **_: Any
    ) -> r.SetVariableMonitoring:
        model, refused = self.station.device_model, self.refuses("SetVariableMonitoring")
        results = []
        for item in set_monitoring_data:
            key = variable_key(item["component"], item["variable"])
            status, monitor_id = ("Rejected", None)
            if not refused:
                status, monitor_id = model.monitor(
                    key, item["type"], float(item["value"]), int(item["severity"]), item.get("id")
                )
            results.append(
                {
                    "id": monitor_id,
                    "status": status,
                    "type": item["type"],
                    "severity": item["severity"],
                    "component": item["component"],
                    "variable": item["variable"],
                }
            )
        return r.SetVariableMonitoring(set_monitoring_result=results)

    @handles("ClearVariableMonitoring")
    def on_clear_variable_monitoring(self, id: list[int], **_: Any) -> r.ClearVariableMonitoring:
        monitors, refused = (
            self.station.device_model.monitors,
            self.refuses("ClearVariableMonitoring"),
        )
        results = []
        for monitor_id in id:
            found = not refused and monitors.pop(monitor_id, None) is not None
            status = "Accepted" if found else "Rejected" if refused else "NotFound"
            results.append({"id": monitor_id, "status": status})
        return r.ClearVariableMonitoring(clear_monitoring_result=results)

    @handles("SetMonitoringBase")
    def on_set_monitoring_base(self, monitoring_base: str, **_: Any) -> r.SetMonitoringBase:
        if self.refuses("SetMonitoringBase"):
            return r.SetMonitoringBase(status="Rejected")
        model = self.station.device_model
        model.monitoring_base = monitoring_base
        if monitoring_base != "All":
            model.monitors.clear()  # FactoryDefault and HardWiredOnly drop the custom monitors
        return r.SetMonitoringBase(status="Accepted")

    @handles("SetMonitoringLevel")
    def on_set_monitoring_level(self, severity: int, **_: Any) -> r.SetMonitoringLevel:
        if self.refuses("SetMonitoringLevel") or not 0 <= severity <= 9:
            return r.SetMonitoringLevel(status="Rejected")
        self.station.device_model.monitoring_level = severity
        return r.SetMonitoringLevel(status="Accepted")

    @handles("CustomerInformation")
    def on_customer_information(
        self,
        request_id: int,
        report: bool,
        clear: bool,
        id_token: dict[str, Any] | None = None,
        customer_identifier: str | None = None,
        **_: Any,
    ) -> r.CustomerInformation:
        """What the station knows of a token is its local-list and cache entries."""
        if self.refuses("CustomerInformation"):
            return r.CustomerInformation(status="Rejected")
        station = self.station
        tag = None if id_token is None else str(id_token["id_token"])
        known = [] if tag is None else _held(station.local_list.entries, station.auth_cache, tag)
        if clear and tag is not None:
            station.local_list.entries.pop(tag, None)
            station.auth_cache.discard(tag)
        if report:
            text = "; ".join(known) or f"nothing held about {tag or customer_identifier}"
            self.after_reply(lambda: station.notify_customer_information(request_id, text))
        return r.CustomerInformation(status="Accepted")


def _held(local_list: dict[str, str], cache: set[str], tag: str) -> list[str]:
    held = [f"local list: {tag} {local_list[tag]}"] if tag in local_list else []
    return held + ([f"cache: {tag}"] if tag in cache else [])


def _selected(key: VariableKey, wanted: list[dict[str, Any]] | None) -> bool:
    if not wanted:
        return True
    for item in wanted:
        component = component_of(key)
        named = item["component"]
        if named["name"] != component["name"]:
            continue
        if "evse" in named and named["evse"].get("id") != component.get("evse", {}).get("id"):
            continue
        variable = item.get("variable")
        if variable is None or variable["name"] == key[3]:
            return True
    return False
