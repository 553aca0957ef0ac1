"""Which reports carry a vendor's code to translate."""

from chargeyard.station_reports.domain import ReportKind, tech_code


def test_only_a_device_events_tech_code_is_a_vendor_code() -> None:
    event = ReportKind.DEVICE_EVENT.value
    assert tech_code(event, {"tech_code": "E-17", "tech_info": "RCD"}) == "E-17"
    assert tech_code(event, {"actual_value": "true"}) is None
    assert tech_code(event, {"tech_code": ""}) is None
    assert tech_code(ReportKind.LOG_STATUS.value, {"tech_code": "E-17"}) is None
