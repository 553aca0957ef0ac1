"""Device model response bodies."""

from datetime import datetime

from chargeyard.api.schemas import Resource


class DeviceVariableOut(Resource):
    component_name: str
    component_instance: str | None
    evse_id: int | None
    connector_id: int | None
    variable_name: str
    variable_instance: str | None
    attribute_type: str
    value: str | None
    mutability: str | None
    persistent: bool | None
    constant: bool | None
    data_type: str | None
    unit: str | None
    min_limit: float | None
    max_limit: float | None
    values_list: str | None
    supports_monitoring: bool | None
    report_request_id: int | None
    reported_at: datetime


class DeviceMonitorOut(Resource):
    monitor_id: int
    component_name: str
    component_instance: str | None
    evse_id: int | None
    connector_id: int | None
    variable_name: str
    variable_instance: str | None
    type: str
    value: float
    severity: int
    transaction: bool
    report_request_id: int | None
    reported_at: datetime
