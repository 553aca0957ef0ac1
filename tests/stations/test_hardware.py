"""Connector hardware rules: OCPI power, and reconciling reported values with planned ones."""

from chargeyard.stations.domain import ConnectorStatus, DeployState, OcpiStatus, ocpi_status
from chargeyard.stations.hardware import (
    Conflict,
    PowerType,
    compare,
    max_electric_power_w,
    merge_conflicts,
)


def test_max_electric_power_counts_phases() -> None:
    assert max_electric_power_w(PowerType.AC_3_PHASE, 230, 32) == 22_080
    assert max_electric_power_w(PowerType.AC_1_PHASE, 230, 16) == 3_680
    assert max_electric_power_w(PowerType.DC, 400, 125) == 50_000
    assert max_electric_power_w(None, 230, 32) is None


def test_reports_fill_the_unplanned_and_contradict_the_planned() -> None:
    fill, conflicts = compare(
        {"standard": "IEC_62196_T2", "format": None},
        {"standard": "IEC_62196_T2_COMBO", "format": "CABLE"},
    )
    assert fill == {"format": "CABLE"}
    assert conflicts == [Conflict("standard", "IEC_62196_T2", "IEC_62196_T2_COMBO")]


def test_a_new_report_replaces_only_the_conflicts_about_its_fields() -> None:
    existing = [{"field": "connector", "planned": None, "reported": "x"}]
    existing.append({"field": "standard", "planned": "A", "reported": "B"})
    merged = merge_conflicts(existing, [], {"standard", "format"})
    assert merged == existing[:1]


def test_ocpi_status_follows_deploy_state_and_connectivity() -> None:
    occupied = ConnectorStatus.OCCUPIED
    assert ocpi_status(occupied, DeployState.PRODUCTION, True) is OcpiStatus.CHARGING
    assert ocpi_status(occupied, DeployState.PRODUCTION, False) is OcpiStatus.UNKNOWN
    assert ocpi_status(occupied, DeployState.PLANNED, True) is OcpiStatus.PLANNED
    assert ocpi_status(occupied, DeployState.DEPRECATED, True) is OcpiStatus.REMOVED
