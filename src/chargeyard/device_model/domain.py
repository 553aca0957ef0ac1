"""The device model a station reports (OCPP 2.0.1 NotifyReport, NotifyMonitoringReport).

A station describes itself as components (optionally on an EVSE or connector) holding variables;
each variable has up to four attributes (Actual, Target, MinSet, MaxSet) and one set of
characteristics. Monitors watch variables, and a read of them (GetMonitoringReport) may replace
what is known of a station's monitors. Pure values and rules, no I/O.
"""

from collections.abc import Iterable
from dataclasses import dataclass, field, replace


@dataclass(frozen=True)
class ComponentRef:
    name: str
    instance: str | None = None
    evse_id: int | None = None
    connector_id: int | None = None


@dataclass(frozen=True)
class VariableRef:
    name: str
    instance: str | None = None


@dataclass(frozen=True)
class Attribute:
    type: str = "Actual"
    value: str | None = None
    mutability: str | None = None
    persistent: bool | None = None
    constant: bool | None = None


@dataclass(frozen=True)
class Characteristics:
    data_type: str | None = None
    unit: str | None = None
    min_limit: float | None = None
    max_limit: float | None = None
    values_list: str | None = None
    supports_monitoring: bool | None = None


@dataclass(frozen=True)
class VariableReport:
    component: ComponentRef
    variable: VariableRef
    attributes: tuple[Attribute, ...] = field(default=())
    characteristics: Characteristics = field(default_factory=Characteristics)


@dataclass(frozen=True)
class MonitorReport:
    component: ComponentRef
    variable: VariableRef
    monitor_id: int
    type: str
    value: float
    severity: int
    transaction: bool = False


AttributeKey = tuple[str, str | None, int | None, int | None, str, str | None, str]


def attribute_key(component: ComponentRef, variable: VariableRef, type: str) -> AttributeKey:
    """What identifies one attribute of one variable of one component on a station."""
    return (
        component.name,
        component.instance,
        component.evse_id,
        component.connector_id,
        variable.name,
        variable.instance,
        type,
    )


def topology(reports: tuple[VariableReport, ...]) -> set[tuple[int, int]]:
    """(evse, connector) pairs a report names: a report is how a 2.0.1 station lists its
    hardware, so Chargeyard learns EVSEs and connectors from it as from status reports."""
    return {
        (r.component.evse_id, r.component.connector_id or 1)
        for r in reports
        if r.component.evse_id is not None and r.component.evse_id > 0
    }


def connector_types(reports: tuple[VariableReport, ...]) -> dict[tuple[int, int], str]:
    """The ConnectorType each connector reports (its Actual value), by (evse, connector)."""
    found: dict[tuple[int, int], str] = {}
    for r in reports:
        if (
            r.component.name == "Connector"
            and r.variable.name == "ConnectorType"
            and r.component.evse_id is not None
            and r.component.evse_id > 0
        ):
            for attribute in r.attributes:
                if attribute.type == "Actual" and attribute.value:
                    found[(r.component.evse_id, r.component.connector_id or 1)] = attribute.value
    return found


@dataclass(frozen=True)
class MonitorRead:
    """The latest GetMonitoringReport sent to a station, as far as its answers have come.

    `whole`: it named no criterion and no component, so its reports list every monitor the
    station has. `listed`: the monitor ids its parts listed so far. `awaiting`: its last part
    (tbc false) has not arrived yet, nor an answer saying none will."""

    request_id: int
    whole: bool
    awaiting: bool = True
    listed: frozenset[int] = frozenset()


def is_whole_read(criteria: Iterable[object], variables: Iterable[object]) -> bool:
    """Only a read without criteria and without components lists every monitor."""
    return not any(True for _ in criteria) and not any(True for _ in variables)


def answered_by(read: MonitorRead | None, request_id: int | None) -> bool:
    """Whether a NotifyMonitoringReport part belongs to the read still awaited: a part of an
    older read, of a read already finished (a repeated last part) or of nobody's read only
    updates the monitors it lists."""
    return read is not None and read.awaiting and read.request_id == request_id


def answer_finishes(status: str | None) -> bool:
    """EmptyResultSet: no part will come, the read found nothing."""
    return status == "EmptyResultSet"


def answer_abandons(status: str | None, sent: bool) -> bool:
    """A refusal, or a CALL that never went out (offline, a 1.6 station): no part will come,
    and the read found nothing out. Accepted, or silence after sending, awaits the parts."""
    return (status is None and not sent) or (status is not None and status != "Accepted")


def after_part(read: MonitorRead, monitor_ids: Iterable[int], last: bool) -> MonitorRead:
    """The read once one more of its parts arrived (a repeated part lists nothing new)."""
    return replace(read, listed=read.listed | frozenset(monitor_ids), awaiting=not last)


def monitors_gone(read: MonitorRead, stored: Iterable[int]) -> frozenset[int]:
    """Once a whole read is finished: the stored monitors it did not list, which the station
    no longer has. A filtered read says nothing of the monitors it did not select."""
    if read.awaiting or not read.whole:
        return frozenset()
    return frozenset(stored) - read.listed
