"""What re-applying a hardware template to a station already laid out changes. Pure rules.

A template describes the planned layout of a model; once it changes (a corrected connector
standard, a third EVSE, a socket replaced by a cable), the stations of that model should follow.
Re-applying makes the station's *planned* layout the template's, EVSE by EVSE:

- an EVSE of the template the station lacks, or has only because it reported it, is planned
  (a reported one is adopted, as `POST /stations/{id}/evses` does);
- on an EVSE both have, its physical reference and each connector's hardware become the
  template's; a connector the template adds is planned, a planned connector it dropped is
  removed;
- a planned EVSE the template dropped is removed;
- what the station reported and nobody planned is never removed (the station is the truth about
  what exists): it keeps its place and shows an "unplanned" conflict.

An EVSE that is in use (a session running, or a connector occupied) is left exactly as it is,
with the changes it would get listed, so re-applying once it is free finishes the job.
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from chargeyard.stations.hardware import (
    HARDWARE_FIELDS,
    REPORTED_TYPES,
    PowerType,
    max_electric_power_w,
)


class Change(StrEnum):
    PLANNED = "planned"
    """Added to the plan: new, or adopted from what the station reported."""
    UPDATED = "updated"
    REMOVED = "removed"


class Outcome(StrEnum):
    APPLIED = "applied"
    UNCHANGED = "unchanged"
    WAITING = "waiting"
    """An EVSE in use kept its changes (the others' were made)."""


class Busy(StrEnum):
    """Why an EVSE was left as it is."""

    SESSION_RUNNING = "session_running"
    CONNECTOR_OCCUPIED = "connector_occupied"


@dataclass(frozen=True)
class PlacedConnector:
    """A connector as the station has it now; `connector_type` is the OCPP `ConnectorType` the
    station reported for it (2.0.1 device model), if any."""

    connector_id: int
    planned: bool
    hardware: Mapping[str, Any] = field(default_factory=dict)
    connector_type: str | None = None


@dataclass(frozen=True)
class PlacedEvse:
    """An EVSE as the station has it now."""

    evse_id: int
    planned: bool
    physical_reference: str | None
    connectors: Sequence[PlacedConnector] = ()


@dataclass(frozen=True)
class LayoutChange:
    """One change to a station's plan; `connector_id` None is the EVSE itself."""

    evse_id: int
    connector_id: int | None
    change: Change


def planned_hardware(
    connector: Mapping[str, Any], connector_type: str | None = None
) -> dict[str, Any]:
    """A template connector's hardware as a station would keep it: the maximum power derived
    from the power type, voltage and amperage when the template gives none (as OCPI does), and
    a standard or format the template leaves blank filled from the `connector_type` the station
    reported, as planning the connector fills it (`stations/layout.py`). Without that fill, a
    template leaving a field blank would differ from every station that reported it, and each
    re-apply would "update" a connector it leaves as it was."""
    values = {name: connector.get(name) for name in HARDWARE_FIELDS}
    if values["max_electric_power"] is None and values["power_type"] is not None:
        values["max_electric_power"] = max_electric_power_w(
            PowerType(values["power_type"]), values["max_voltage"], values["max_amperage"]
        )
    reported = REPORTED_TYPES.get(connector_type or "")
    if reported is not None:
        standard, format_ = reported
        values["standard"] = values["standard"] or standard.value
        values["format"] = values["format"] or format_.value
    return values


def layout_changes(
    template: Sequence[Mapping[str, Any]], station: Sequence[PlacedEvse]
) -> dict[int, list[LayoutChange]]:
    """Per EVSE, what making the station's plan the template's changes (an EVSE with nothing to
    change is absent). `template` is the template's `evses` as stored."""
    wanted = {int(e["evse_id"]): e for e in template}
    placed = {e.evse_id: e for e in station}
    changes: dict[int, list[LayoutChange]] = {}
    for evse_id in sorted(wanted.keys() | placed.keys()):
        found = _evse_changes(evse_id, wanted.get(evse_id), placed.get(evse_id))
        if found:
            changes[evse_id] = found
    return changes


def _evse_changes(
    evse_id: int, wanted: Mapping[str, Any] | None, placed: PlacedEvse | None
) -> list[LayoutChange]:
    if wanted is None:
        # Not the template's: a planned EVSE goes, a merely reported one stays.
        if placed is not None and placed.planned:
            return [LayoutChange(evse_id, None, Change.REMOVED)]
        return []
    if placed is None or not placed.planned:
        return [LayoutChange(evse_id, None, Change.PLANNED)]
    found = []
    if placed.physical_reference != wanted.get("physical_reference"):
        found.append(LayoutChange(evse_id, None, Change.UPDATED))
    want = {int(c["connector_id"]): c for c in wanted.get("connectors", [])}
    have = {c.connector_id: c for c in placed.connectors}
    for connector_id in sorted(want.keys() | have.keys()):
        connector = have.get(connector_id)
        if connector_id not in want:
            if connector is not None and connector.planned:
                found.append(LayoutChange(evse_id, connector_id, Change.REMOVED))
        elif connector is None or not connector.planned:
            found.append(LayoutChange(evse_id, connector_id, Change.PLANNED))
        elif dict(connector.hardware) != planned_hardware(
            want[connector_id], connector.connector_type
        ):
            found.append(LayoutChange(evse_id, connector_id, Change.UPDATED))
    return found
