"""What re-applying a template changes on a station, without I/O."""

from chargeyard.hardware_templates.domain import (
    Change,
    LayoutChange,
    PlacedConnector,
    PlacedEvse,
    layout_changes,
    planned_hardware,
)

T2 = {
    "connector_id": 1,
    "standard": "IEC_62196_T2",
    "format": "SOCKET",
    "power_type": "AC_3_PHASE",
    "max_voltage": 230,
    "max_amperage": 32,
}


def placed(evse_id: int, planned: bool = True, *connectors: PlacedConnector) -> PlacedEvse:
    return PlacedEvse(evse_id, planned, None, connectors)


def test_a_station_like_its_template_has_nothing_to_change() -> None:
    connector = PlacedConnector(1, True, planned_hardware(T2))
    assert planned_hardware(T2)["max_electric_power"] == 22_080
    assert layout_changes([{"evse_id": 1, "connectors": [T2]}], [placed(1, True, connector)]) == {}


def test_planned_rows_follow_the_template_and_reported_ones_stay() -> None:
    template = [
        {"evse_id": 1, "connectors": [T2 | {"format": "CABLE"}, T2 | {"connector_id": 2}]},
        {"evse_id": 4, "connectors": [T2]},
    ]
    station = [
        placed(
            1,
            True,
            PlacedConnector(1, True, planned_hardware(T2)),
            PlacedConnector(3, True, planned_hardware(T2)),
            PlacedConnector(5, False),
        ),
        placed(2, True),
        placed(3, False),
        placed(4, False),
    ]
    assert layout_changes(template, station) == {
        1: [
            LayoutChange(1, 1, Change.UPDATED),
            LayoutChange(1, 2, Change.PLANNED),
            LayoutChange(1, 3, Change.REMOVED),
        ],
        2: [LayoutChange(2, None, Change.REMOVED)],
        4: [LayoutChange(4, None, Change.PLANNED)],
    }


def test_a_new_physical_reference_updates_the_evse() -> None:
    connector = PlacedConnector(1, True, planned_hardware(T2))
    template = [{"evse_id": 1, "physical_reference": "Left", "connectors": [T2]}]
    assert layout_changes(template, [placed(1, True, connector)]) == {
        1: [LayoutChange(1, None, Change.UPDATED)]
    }


def test_a_blank_the_station_filled_from_its_report_is_no_change() -> None:
    """A template that leaves the standard and format blank, on a station whose report filled
    them (2.0.1 `ConnectorType`), has nothing to change: re-applying it is idempotent."""
    blank = {"connector_id": 1, "power_type": "AC_3_PHASE", "max_voltage": 230}
    filled = planned_hardware(blank) | {"standard": "IEC_62196_T2", "format": "CABLE"}
    connector = PlacedConnector(1, True, filled, connector_type="cType2")
    template = [{"evse_id": 1, "connectors": [blank]}]
    assert layout_changes(template, [placed(1, True, connector)]) == {}
    # What the template does say still wins over the report.
    socket = blank | {"format": "SOCKET"}
    assert layout_changes(
        [{"evse_id": 1, "connectors": [socket]}], [placed(1, True, connector)]
    ) == {1: [LayoutChange(1, 1, Change.UPDATED)]}
