"""/api/v1/alerts and /api/v1/alert-rules: what needs attention, and the rules that decide it."""

from typing import Annotated

from fastapi import APIRouter, Query, Request, Response

from chargeyard.alerts import repository as alert_repository
from chargeyard.alerts.domain import AlertStatus, Category, RuleName, Urgency
from chargeyard.alerts.network import NetworkStatus, network_status
from chargeyard.alerts.repository import AlertFilter, AlertRepository, Sort
from chargeyard.alerts.schemas import (
    AlertOut,
    AlertPatch,
    AlertRuleOut,
    AlertRulePatch,
    NetworkStatusOut,
    StationNetworkStatus,
)
from chargeyard.alerts.service import AlertService, settings_by_organization
from chargeyard.api.dependencies import (
    Operator,
    OrganizationOperator,
    Paging,
    Reading,
    Server,
    UpdatedSince,
    Viewer,
    Writing,
    set_etag,
    to_change,
)
from chargeyard.api.limits import EvseIdQuery, Moment
from chargeyard.api.schemas import ListOf, listing
from chargeyard.maintenance_windows.repository import in_maintenance

router = APIRouter(tags=["alerts"])


@router.get("/alerts", response_model=ListOf[AlertOut])
async def list_alerts(
    caller: Viewer,
    uow: Reading,
    paging: Paging,
    updated_since: UpdatedSince = None,
    status: Annotated[list[AlertStatus] | None, Query(max_length=len(AlertStatus))] = None,
    name: RuleName | None = None,
    category: Category | None = None,
    urgency: Urgency | None = None,
    station_id: str | None = None,
    evse_id: EvseIdQuery = None,
    since: Moment | None = None,
    until: Moment | None = None,
    sort: Sort = "-started_at",
) -> ListOf[AlertOut]:
    """`status` may repeat (`?status=Triggered&status=Acknowledged`: everything open);
    `since`/`until` select on `started_at`; `sort` names a field, `-` first for descending;
    an unknown `name`, `category` or `urgency` is a 422 (not an empty list that looks like an
    answer)."""
    where = AlertFilter(
        status=[s.value for s in status or ()],
        name=name,
        category=category,
        urgency=urgency,
        station_id=station_id,
        evse_id=evse_id,
        since=since,
        until=until,
    )
    repository = AlertRepository(uow.session, caller.organization_id)
    return listing(await repository.search(where, paging, sort, updated_since), paging, AlertOut)


@router.get("/alerts/{alert_id}", response_model=AlertOut)
async def get_alert(alert_id: str, caller: Viewer, uow: Reading, response: Response) -> AlertOut:
    alert = await AlertRepository(uow.session, caller.organization_id).get(alert_id)
    set_etag(response, alert.id, alert.revision)
    return AlertOut.model_validate(alert)


@router.patch("/alerts/{alert_id}", response_model=AlertOut)
async def change_alert(
    alert_id: str,
    body: AlertPatch,
    caller: Operator,
    uow: Writing,
    ctx: Server,
    request: Request,
    response: Response,
) -> AlertOut:
    """If-Match (optional) guards against acting on an alert that changed meanwhile."""
    service = AlertService(uow, caller.organization_id, ctx.clock)
    alert = await to_change(service.alerts, alert_id, request)
    status = None if body.status is None else AlertStatus(body.status)
    await service.change(alert, status, body.note, caller.actor)
    await uow.commit()
    set_etag(response, alert.id, alert.revision)
    return AlertOut.model_validate(alert)


@router.get("/alert-rules", response_model=list[AlertRuleOut])
async def list_alert_rules(caller: Viewer, uow: Reading, ctx: Server) -> list[AlertRuleOut]:
    rules = await AlertService(uow, caller.organization_id, ctx.clock).rules()
    return [AlertRuleOut.of(rule) for rule in rules]


@router.patch("/alert-rules/{name}", response_model=AlertRuleOut)
async def change_alert_rule(
    name: str, body: AlertRulePatch, caller: OrganizationOperator, uow: Writing, ctx: Server
) -> AlertRuleOut:
    """A rule is the whole organization's (one offline threshold for every site): an operator
    confined to sites reads the rules but does not change them (403)."""
    service = AlertService(uow, caller.organization_id, ctx.clock)
    settings = await service.update_rule(name, body.model_dump(exclude_unset=True))
    await uow.commit()
    return AlertRuleOut.of(settings)


@router.get("/network-status", response_model=NetworkStatusOut)
async def list_network_status(
    caller: Viewer,
    uow: Reading,
    ctx: Server,
    paging: Paging,
    status: NetworkStatus | None = None,
) -> NetworkStatusOut:
    """Each station's network status: `NeverConnected`, `Available` (connected),
    `TemporarilyUnavailable`, or `LongTermUnavailable` (offline at least the
    `station-long-term-unavailable` rule's threshold), since when, whether a maintenance window
    is in force for it now, and the count per class."""
    organization = caller.organization_id
    settings = await settings_by_organization(uow.session, {organization})
    rule = settings[organization, RuleName.STATION_LONG_TERM_UNAVAILABLE]
    long_term_s = rule.effective_threshold_s or 0
    now = ctx.clock()
    stations = await alert_repository.presences(uow.session, organization_id=organization)
    classified = [(p.station_id, *network_status(p, long_term_s, now)) for p in stations]
    counts = {kind.value: 0 for kind in NetworkStatus}
    for _, kind, _ in classified:
        counts[kind.value] += 1
    chosen = [c for c in classified if status is None or c[1] is status]
    page = chosen[paging.offset : paging.offset + paging.limit]
    resting = await in_maintenance(uow.session, now, organization_id=organization)
    return NetworkStatusOut(
        long_term_s=long_term_s,
        counts=counts,
        total=len(chosen),
        items=[
            StationNetworkStatus(
                station_id=station_id,
                network_status=kind.value,
                since=since,
                in_maintenance=(organization, station_id) in resting,
            )
            for station_id, kind, since in page
        ],
    )
