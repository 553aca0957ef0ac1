"""Renderings of the 2.x-only commands (commands/device_management.py): the device model,
monitoring, customer information, display messages, certificates and the running cost.
`commands.py` merges `RENDERINGS` into its table; each rendering is an action name and its
snake_case fields."""

from collections.abc import Callable
from typing import Any

from chargeyard.commands import device_management as dm
from chargeyard.commands.domain import Command
from chargeyard.protocol.v201 import shapes

Rendering = tuple[str, dict[str, Any]]


def _get_variables(c: dm.GetVariables) -> Rendering:
    data = [
        {
            "component": shapes.component(q.component),
            "variable": shapes.variable(q.variable),
            "attribute_type": None if q.attribute is None else q.attribute.value,
        }
        for q in c.queries
    ]
    return "GetVariables", {"get_variable_data": data}


def _set_variables(c: dm.SetVariables) -> Rendering:
    data = [
        {
            "component": shapes.component(s.component),
            "variable": shapes.variable(s.variable),
            "attribute_value": s.value,
            "attribute_type": None if s.attribute is None else s.attribute.value,
        }
        for s in c.settings
    ]
    return "SetVariables", {"set_variable_data": data}


def _get_base_report(c: dm.GetBaseReport) -> Rendering:
    return "GetBaseReport", {"request_id": c.request_id, "report_base": c.report_base.value}


def _component_variables(variables: tuple[dm.ComponentVariable, ...]) -> list[dict[str, Any]]:
    return [
        {
            "component": shapes.component(v.component),
            "variable": None if v.variable is None else shapes.variable(v.variable),
        }
        for v in variables
    ]


def _get_report(c: dm.GetReport) -> Rendering:
    variables = _component_variables(c.variables)
    return "GetReport", {
        "request_id": c.request_id,
        "component_criteria": [criterion.value for criterion in c.criteria] or None,
        "component_variable": variables or None,
    }


def _get_monitoring_report(c: dm.GetMonitoringReport) -> Rendering:
    return "GetMonitoringReport", {
        "request_id": c.request_id,
        "monitoring_criteria": [criterion.value for criterion in c.criteria] or None,
        "component_variable": _component_variables(c.variables) or None,
    }


def _set_variable_monitoring(c: dm.SetVariableMonitoring) -> Rendering:
    data = [
        {
            "id": m.id,
            "transaction": m.transaction,
            "value": shapes.number(m.value),
            "type": m.type.value,
            "severity": m.severity,
            "component": shapes.component(m.component),
            "variable": shapes.variable(m.variable),
        }
        for m in c.monitors
    ]
    return "SetVariableMonitoring", {"set_monitoring_data": data}


def _clear_variable_monitoring(c: dm.ClearVariableMonitoring) -> Rendering:
    return "ClearVariableMonitoring", {"id": list(c.ids)}


def _set_monitoring_base(c: dm.SetMonitoringBase) -> Rendering:
    return "SetMonitoringBase", {"monitoring_base": c.base.value}


def _set_monitoring_level(c: dm.SetMonitoringLevel) -> Rendering:
    return "SetMonitoringLevel", {"severity": c.severity}


def _customer_information(c: dm.CustomerInformation) -> Rendering:
    return "CustomerInformation", {
        "request_id": c.request_id,
        "report": c.report,
        "clear": c.clear,
        "customer_identifier": c.customer_identifier,
        "id_token": None if c.id_tag is None else shapes.id_token(c.id_tag, c.token_type),
        "customer_certificate": None
        if c.certificate is None
        else shapes.certificate_hash(c.certificate),
    }


def _set_display_message(c: dm.SetDisplayMessage) -> Rendering:
    m = c.message
    display = None if m.evse_id is None else {"name": "Display", "evse": shapes.evse(m.evse_id)}
    info = {
        "id": m.id,
        "priority": m.priority.value,
        "state": None if m.state is None else m.state.value,
        "start_date_time": shapes.time(m.start_at),
        "end_date_time": shapes.time(m.end_at),
        "transaction_id": m.ocpp_transaction_id,
        "message": {"format": m.format.value, "language": m.language, "content": m.text},
        "display": display,
    }
    return "SetDisplayMessage", {"message": info}


def _get_display_messages(c: dm.GetDisplayMessages) -> Rendering:
    return "GetDisplayMessages", {
        "request_id": c.request_id,
        "id": list(c.ids) or None,
        "priority": None if c.priority is None else c.priority.value,
        "state": None if c.state is None else c.state.value,
    }


def _clear_display_message(c: dm.ClearDisplayMessage) -> Rendering:
    return "ClearDisplayMessage", {"id": c.id}


def _install_certificate(c: dm.InstallCertificate) -> Rendering:
    return "InstallCertificate", {
        "certificate_type": c.certificate_type.value,
        "certificate": c.certificate,
    }


def _delete_certificate(c: dm.DeleteCertificate) -> Rendering:
    return "DeleteCertificate", {"certificate_hash_data": shapes.certificate_hash(c.certificate)}


def _get_installed_certificate_ids(c: dm.GetInstalledCertificateIds) -> Rendering:
    types = [use.value for use in c.certificate_types] or None
    return "GetInstalledCertificateIds", {"certificate_type": types}


def _cost_updated(c: dm.CostUpdated) -> Rendering:
    # OCPP's decimal is a JSON number: the float is made here, at the wire, from the exact cost.
    return "CostUpdated", {
        "total_cost": float(c.total_cost),
        "transaction_id": c.ocpp_transaction_id,
    }


RENDERINGS: dict[type[Command], Callable[[Any], Rendering]] = {
    dm.GetVariables: _get_variables,
    dm.SetVariables: _set_variables,
    dm.GetBaseReport: _get_base_report,
    dm.GetReport: _get_report,
    dm.GetMonitoringReport: _get_monitoring_report,
    dm.SetVariableMonitoring: _set_variable_monitoring,
    dm.ClearVariableMonitoring: _clear_variable_monitoring,
    dm.SetMonitoringBase: _set_monitoring_base,
    dm.SetMonitoringLevel: _set_monitoring_level,
    dm.CustomerInformation: _customer_information,
    dm.SetDisplayMessage: _set_display_message,
    dm.GetDisplayMessages: _get_display_messages,
    dm.ClearDisplayMessage: _clear_display_message,
    dm.InstallCertificate: _install_certificate,
    dm.DeleteCertificate: _delete_certificate,
    dm.GetInstalledCertificateIds: _get_installed_certificate_ids,
    dm.CostUpdated: _cost_updated,
}
