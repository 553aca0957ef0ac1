"""Planned maintenance as `/api/v1/maintenance-windows` has it: the windows of a station or of
every station at a location, ahead or in force now or all, in start order, which operators and
admins plan and cancel through `MaintenanceWindowService` with the REST API's body model
(`MaintenanceWindowCreate`), so a form obeys the same rules as a JSON body: a window for both a
station and a location or neither, one that ends before it starts or lasts over a year, or an
unknown station or location is 422. A site-confined caller sees and plans only its sites'."""

from dataclasses import dataclass
from functools import partial
from typing import Annotated, Literal

from fastapi import APIRouter, Query, Request, Response

from chargeyard.api.dependencies import Server
from chargeyard.clock import as_utc
from chargeyard.dashboard.auth import ActingCaller, PageCaller, SignedIn
from chargeyard.dashboard.endpoints import PageNumber, base_context
from chargeyard.dashboard.field_form import FieldForm, refused
from chargeyard.dashboard.form_handling import (
    ROW_REFUSALS,
    as_shown,
    form_sender,
    page_slice,
    paging,
    refused_on_page,
    see_other,
)
from chargeyard.dashboard.rendering import DashboardRoute, render
from chargeyard.dashboard.repository import DashboardRepository
from chargeyard.errors import Invalid
from chargeyard.locations.models import Location
from chargeyard.locations.repository import LocationRepository
from chargeyard.maintenance_windows.repository import MaintenanceWindowRepository, WindowFilter
from chargeyard.maintenance_windows.schemas import MaintenanceWindowCreate, MaintenanceWindowPatch
from chargeyard.maintenance_windows.service import MaintenanceWindowService
from chargeyard.server_context import ServerContext
from chargeyard.storage.repository import Page

router = APIRouter(route_class=DashboardRoute, include_in_schema=False)

When = Literal["ahead", "now", "all"]
LOCATION_CHOICES = 500
"""The locations the new-window form offers, by name; the REST API takes any."""


LABELS = {
    "station_id": "For station (id)",
    "location_id": "or every station at",
    "starts_at": "From",
    "ends_at": "Until",
    "reason": "Reason",
}
TIMES = ("starts_at", "ends_at")
MOVE_LABELS = {"starts_at": "New start", "ends_at": "New end"}
"""A row's move form (an empty time stays as it is)."""


@dataclass(frozen=True)
class Shown:
    """The list's filters, as the page's search form sends them."""

    station: str = ""
    location: str = ""
    when: When = "ahead"


@router.get("/maintenance-windows")
async def maintenance_windows(
    request: Request,
    caller: PageCaller,
    ctx: Server,
    station: Annotated[str | None, Query(max_length=64)] = None,
    location: Annotated[str | None, Query(max_length=32)] = None,
    when: When = "ahead",
    page: PageNumber = 1,
) -> Response:
    """`ahead` (the default) is every window not yet over (the REST API's `since=now`), `now`
    those in force (`active_at=now`)."""
    return await _list_page(request, caller, ctx, Shown(station or "", location or "", when), page)


async def _list_page(
    request: Request,
    caller: SignedIn,
    ctx: ServerContext,
    shown: Shown,
    page: int = 1,
    form: FieldForm | None = None,
    status_code: int = 200,
) -> Response:
    now = ctx.clock()
    where = WindowFilter(
        station_id=shown.station.strip() or None,
        location_id=shown.location or None,
        active_at=now if shown.when == "now" else None,
        since=now if shown.when == "ahead" else None,
    )
    organization_id = caller.principal.organization_id
    async with ctx.db.reading() as uow:
        found = await MaintenanceWindowRepository(uow.session, organization_id).search(
            where, page_slice(page), None
        )
        locations = await LocationRepository(uow.session, organization_id).search(
            Page(0, LOCATION_CHOICES)
        )
        names = await DashboardRepository(uow.session, organization_id).names(
            Location, (w.location_id for w in found.items)
        )
    context = (
        base_context(caller, "maintenance")
        | paging(found.total, page)
        | {
            "rows": [(w, as_utc(w.starts_at) <= now < as_utc(w.ends_at)) for w in found.items],
            "station": shown.station,
            "location": shown.location,
            "when": shown.when,
            "locations": locations.items,
            "location_choices": [("", "(no location)")]
            + [(loc.id, loc.name) for loc in locations.items],
            "location_names": names,
            "form": form or FieldForm({"station_id": shown.station}, labels=LABELS),
            "blank_move": FieldForm(labels=MOVE_LABELS),
            "move_id": "",
        }
    )
    return render(request, "maintenance_windows.html", context, status_code)


@router.post("/maintenance-windows")
async def create_window(request: Request, acting: ActingCaller, ctx: Server) -> Response:
    """The new window form (operator and up): `POST /api/v1/maintenance-windows`. The times
    are the browser's local times sent as UTC instants (a bare value is read as UTC). A refused
    window comes back as sent, each refusal beside its field (the service's above the form)."""
    sender = form_sender(acting)
    try:
        body = sender.body(MaintenanceWindowCreate, **sender.local_times(*TIMES))
        async with sender.writing(ctx) as uow:
            await MaintenanceWindowService(uow, sender.organization_id, ctx.clock).create(
                body.station_id,
                body.location_id,
                body.starts_at,
                body.ends_at,
                body.reason,
                sender.caller.actor,
            )
    except Invalid as refusal:
        form = refused(sender.fields, LABELS, refusal, times=TIMES)
        return await _list_page(request, acting[0], ctx, Shown(), 1, form, refusal.status)
    return see_other("/maintenance-windows")


@router.post("/maintenance-windows/{window_id}")
async def move_window(
    request: Request, window_id: str, acting: ActingCaller, ctx: Server
) -> Response:
    """The move form (operator and up): `PATCH /api/v1/maintenance-windows/{id}` with the
    times sent (an empty one stays as it is), so an end before the start or a window over 366
    days is 422; guarded by the revision the page showed (412 when changed meanwhile). A
    refusal comes back as the list with that row's form open as sent, each refusal beside its
    time."""
    sender = form_sender(acting)
    try:
        body = sender.body(MaintenanceWindowPatch, **sender.local_times(*TIMES))
        async with sender.writing(ctx) as uow:
            service = MaintenanceWindowService(uow, sender.organization_id, ctx.clock)
            window = await as_shown(service.windows, window_id, sender.fields, "window")
            await service.update(window, body.model_dump(exclude_unset=True))
    except ROW_REFUSALS as refusal:
        form = refused(sender.fields, MOVE_LABELS, refusal, keep=("revision",), times=TIMES)
        page = partial(_list_page, request, acting[0], ctx, Shown("", "", "ahead"))
        return await refused_on_page(request, refusal, page, move_form=form, move_id=window_id)
    return see_other("/maintenance-windows")


@router.post("/maintenance-windows/{window_id}/delete")
async def delete_window(window_id: str, acting: ActingCaller, ctx: Server) -> Response:
    """`DELETE /api/v1/maintenance-windows/{id}` (operator and up): the window is cancelled."""
    sender = form_sender(acting)
    async with sender.writing(ctx) as uow:
        service = MaintenanceWindowService(uow, sender.organization_id, ctx.clock)
        await service.delete(await service.windows.get(window_id))
    return see_other("/maintenance-windows")
