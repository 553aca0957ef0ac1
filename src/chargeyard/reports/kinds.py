"""The report kinds: each one's filters and how they make its `Report`. The one table both the
synchronous downloads and the asynchronous builder read, so the two can never disagree."""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from pydantic import ValidationError

from chargeyard.alerts.repository import AlertFilter
from chargeyard.clock import Clock
from chargeyard.errors import Invalid
from chargeyard.reports import service
from chargeyard.reports.domain import ReportKind
from chargeyard.reports.schemas import (
    AlertFilters,
    CdrFilters,
    Filters,
    MessageFilters,
    MeterValueFilters,
    StatusHistoryFilters,
    TransactionFilters,
    UptimeFilters,
)
from chargeyard.reports.service import Report
from chargeyard.transactions.repository import TransactionFilter


@dataclass(frozen=True)
class Kind:
    filters: type[Filters]
    make: Callable[[str, Any, Clock], Report[Any]]
    """(organization, its filters, clock) -> the report."""


def _transactions(organization_id: str, f: TransactionFilters, _clock: Clock) -> Report[Any]:
    where = TransactionFilter(
        f.station_id, f.id_tag, f.active, f.started_since, f.started_until, f.updated_since
    )
    return service.transactions(organization_id, where)


def _alerts(organization_id: str, f: AlertFilters, _clock: Clock) -> Report[Any]:
    where = AlertFilter(
        [s.value for s in f.status or ()],
        f.name,
        f.category,
        f.urgency,
        f.station_id,
        f.evse_id,
        f.since,
        f.until,
    )
    return service.alerts(organization_id, where)


KINDS: dict[ReportKind, Kind] = {
    ReportKind.TRANSACTIONS: Kind(TransactionFilters, _transactions),
    ReportKind.STATUS_HISTORY: Kind(
        StatusHistoryFilters,
        lambda org, f, _clock: service.status_history(org, **f.model_dump()),
    ),
    ReportKind.ALERTS: Kind(AlertFilters, _alerts),
    ReportKind.METER_VALUES: Kind(
        MeterValueFilters, lambda org, f, _clock: service.meter_values(org, **f.model_dump())
    ),
    ReportKind.OCPP_MESSAGES: Kind(
        MessageFilters, lambda org, f, _clock: service.ocpp_messages(org, **f.model_dump())
    ),
    ReportKind.CDRS: Kind(CdrFilters, lambda org, f, _clock: service.cdrs(org, **f.model_dump())),
    ReportKind.UPTIME: Kind(
        UptimeFilters, lambda org, f, clock: service.uptime(org, clock, **f.model_dump())
    ),
}


def filters_of(kind: ReportKind, given: dict[str, Any]) -> Filters:
    """An asynchronous request's filters, checked as its kind's query would be; unknown names
    are refused (a typo would otherwise export everything)."""
    model = KINDS[kind].filters
    unknown = sorted(set(given) - set(model.model_fields))
    if unknown:
        raise Invalid(f"unknown filters for {kind.value}: {', '.join(unknown)}")
    try:
        return model.model_validate(given)
    except ValidationError as error:
        raise Invalid(f"invalid filters for {kind.value}: {error}") from None


def report_of(
    kind: ReportKind, organization_id: str, filters: Filters, clock: Clock
) -> Report[Any]:
    return KINDS[kind].make(organization_id, filters, clock)
