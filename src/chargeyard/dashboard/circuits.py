"""The smart charging pages: circuits with their load, and a circuit's load and the sum of the
limits in force over time against its limit, its sessions' allocations and its settings.

The load over a window is read by `measurements/load_history.py`, as the time series API
reads it. Reads go through the same scoped repositories as `/api/v1/circuits` and
`/api/v1/smart-charging/*` (viewer and up); the settings form changes a circuit through
`CircuitService.update` with the REST API's `CircuitPatch` rules (operator and up).
Creating and deleting circuits, their stations and capacity windows are `circuit_editing.py`'s.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request, Response, status
from fastapi.responses import RedirectResponse

from chargeyard.api.dependencies import Server, check_role
from chargeyard.capacity_windows.models import CapacityWindowRow
from chargeyard.circuits.models import CircuitRow
from chargeyard.circuits.schemas import CircuitPatch
from chargeyard.circuits.service import CircuitService
from chargeyard.dashboard.auth import ActingCaller, PageCaller, SignedIn
from chargeyard.dashboard.circuit_repository import CircuitReads
from chargeyard.dashboard.domain import CircuitFigures, roll_up
from chargeyard.dashboard.endpoints import PageNumber, base_context
from chargeyard.dashboard.field_form import FieldForm, refused
from chargeyard.dashboard.form_handling import (
    ROW_REFUSALS,
    as_shown,
    page_slice,
    paging,
    refused_on_page,
)
from chargeyard.dashboard.forms import validated
from chargeyard.dashboard.rendering import DashboardRoute, render
from chargeyard.load_management.circuit_load import LoadSeries, drawn
from chargeyard.measurements.load_history import load_history
from chargeyard.organizations.domain import Role
from chargeyard.server_context import ServerContext
from chargeyard.site_scopes.scope import site_scope_of
from chargeyard.site_scopes.service import check_whole_organization
from chargeyard.smart_charging.snapshot import CapacityWindow, Objective
from chargeyard.storage.unit_of_work import UnitOfWork

router = APIRouter(route_class=DashboardRoute, include_in_schema=False)

RECENT_PROFILES = 20
OWN_STATIONS = 50
WINDOWS_H = (1, 6, 24, 168)
"""The spans the plot offers, in hours."""
Hours = Annotated[int, Query(ge=1, le=168)]
OBJECTIVES = tuple(objective.value for objective in Objective)
CLEARABLE = ("parent_id", "max_power_kw", "max_current_a")
"""Settings an emptied field removes (the site connection for the parent)."""
SETTINGS = (
    "name",
    "parent_id",
    "max_power_kw",
    "max_current_a",
    "phases",
    "buffer_kw",
    "buffer_a",
    "objective",
)
SETTINGS_LABELS = {
    "name": "Name",
    "parent_id": "Below",
    "max_power_kw": "Limit (kW)",
    "buffer_kw": "Buffer (kW)",
    "max_current_a": "Limit per phase (A)",
    "buffer_a": "Buffer (A)",
    "phases": "Phases",
    "objective": "Objective",
}
"""The settings form's controls by what its list of refusals calls them."""


def circuits_context(caller: SignedIn) -> dict[str, Any]:
    """The pages' base context; `may_edit_circuits`: the circuit forms are offered only to an
    operator of the whole organization (a site-scoped one hangs its own stations only)."""
    scoped = site_scope_of(caller.principal.organization_id) is not None
    context = base_context(caller, "circuits")
    return context | {"may_edit_circuits": context["may_act"] and not scoped}


NEW_CIRCUIT = {
    "name": "Circuit name",
    "parent_id": "Below",
    "max_power_kw": "Limit (kW)",
    "buffer_kw": "Buffer (kW)",
    "max_current_a": "Limit per phase (A)",
    "phases": "Phases",
}
"""The new-circuit form's controls and their labels (`circuit_editing.create_circuit`)."""


@router.get("/circuits")
async def circuits(
    request: Request,
    caller: PageCaller,
    ctx: Server,
    q: Annotated[str | None, Query(max_length=100)] = None,
    page: PageNumber = 1,
) -> Response:
    return await circuits_page(request, caller, ctx, q or "", page)


async def circuits_page(
    request: Request,
    caller: SignedIn,
    ctx: ServerContext,
    q: str = "",
    page: int = 1,
    form: FieldForm | None = None,
    status_code: int = 200,
) -> Response:
    """The circuits list, with the new-circuit form (as refused, when `form` is given)."""
    async with ctx.db.reading() as uow:
        reads = CircuitReads(uow.session, caller.principal.organization_id)
        found = await reads.search(page_slice(page), q or None)
        tree = await reads.tree()
        figures = roll_up({k: v[0] for k, v in tree.items()}, await reads.direct_figures())
    rows = [
        (row, tree.get(row.parent_id or "", (None, None))[1], figures.get(row.id, CircuitFigures()))
        for row in found.items
    ]
    parents = sorted((name, cid) for cid, (_, name) in tree.items())
    context = circuits_context(caller) | paging(found.total, page)
    context |= {
        "circuits": rows,
        "q": q,
        "parent_choices": [("", "The site connection")] + [(cid, name) for name, cid in parents],
        "phase_choices": [(str(p), str(p)) for p in (3, 2, 1)],
        "form": form or FieldForm({"phases": "3"}, labels=NEW_CIRCUIT),
    }
    return render(request, "circuits.html", context, status_code)


@dataclass(frozen=True)
class CircuitView:
    """One circuit as its page shows it, read in one unit of work."""

    row: CircuitRow
    parent: CircuitRow | None
    children: list[CircuitRow]
    parents: list[CircuitRow]
    """The circuits it may hang below: all but itself and those below it."""
    windows: list[CapacityWindowRow]
    """Its capacity windows now or ahead."""
    curtailments: list[CapacityWindow]
    stations: int
    truncated: bool
    """The span held more than the page reads: only its newest part is complete."""
    series: LoadSeries
    running: list[Any]
    allocations: dict[int, Any]
    profiles: Sequence[Any]
    """The newest profiles sent to its stations, and how they were taken."""


async def read_circuit(
    uow: UnitOfWork, caller: SignedIn, circuit_id: str, since: datetime, until: datetime
) -> CircuitView:
    """A circuit, its sub-tree's stations and sessions, and its load series from `since`."""
    organization_id = caller.principal.organization_id
    reads = CircuitReads(uow.session, organization_id)
    history = await load_history(uow.session, organization_id, circuit_id, since, until)
    row, rows, below = history.row, history.rows, history.below
    running = [tx for tx in history.sessions if tx.stopped_at is None]
    return CircuitView(
        row=row,
        parent=next((r for r in rows if r.id == row.parent_id), None),
        children=sorted((r for r in rows if r.parent_id == row.id), key=lambda r: r.name),
        parents=sorted((r for r in rows if r.id not in set(below)), key=lambda r: r.name),
        windows=[w for w in history.capacity_windows if w.ends_at > until],
        curtailments=sorted(
            (w for w in history.curtailments if w.end > until), key=lambda w: w.start
        ),
        stations=await reads.station_count(below),
        truncated=history.truncated,
        series=drawn(history.steps),
        running=running,
        allocations=await reads.latest_allocations([tx.id for tx in running]),
        profiles=await reads.recent_profiles(below, RECENT_PROFILES),
    )


async def circuit_context(ctx: ServerContext, caller: SignedIn, circuit_id: str) -> dict[str, Any]:
    now = ctx.clock()
    async with ctx.db.reading() as uow:
        # The page's own figures are those of this instant; the plot fetches its span.
        view = await read_circuit(uow, caller, circuit_id, now, now)
        # The stations hung on it directly (the first few): the page's, not the plot's.
        own_stations = await CircuitReads(
            uow.session, caller.principal.organization_id
        ).own_stations(view.row.id, OWN_STATIONS)
    limit_now = view.series.limit_kw[-1] if view.series.limit_kw else None
    return circuits_context(caller) | {
        "circuit": view.row,
        "view": view,
        "own_stations": own_stations,
        "limit_now": limit_now,
        "load_now": view.series.load_kw[-1] if view.series.load_kw else 0.0,
        "limits_now": view.series.limits_kw[-1] if view.series.limits_kw else None,
        "objectives": OBJECTIVES,
        "objective_choices": [(o, o.replace("_", " ")) for o in OBJECTIVES],
        "parent_choices": [(p.id, p.name) for p in view.parents],
        "edit_form": settings_form(view.row),
        "spans": WINDOWS_H,
    }


@router.get("/circuits/{circuit_id}")
async def circuit(
    request: Request, circuit_id: str, caller: PageCaller, ctx: Server, hours: Hours = 6
) -> Response:
    context = await circuit_context(ctx, caller, circuit_id)
    return render(request, "circuit.html", context | {"hours": hours})


def settings_form(row: CircuitRow) -> FieldForm:
    """The settings form as the circuit stands (an empty field for a limit not set)."""
    values = {name: getattr(row, name) for name in SETTINGS_LABELS}
    shown = {name: "" if value is None else str(value) for name, value in values.items()}
    return FieldForm(shown | {"revision": str(row.revision)}, labels=SETTINGS_LABELS)


@router.get("/circuits/{circuit_id}/load")
async def circuit_load(
    circuit_id: str, caller: PageCaller, ctx: Server, hours: Hours = 6
) -> dict[str, object]:
    """The plot's data: load, the sum of the limits in force and the limit, in kW."""
    now = ctx.clock()
    async with ctx.db.reading() as uow:
        view = await read_circuit(uow, caller, circuit_id, now - timedelta(hours=hours), now)
    return view.series.as_json() | {
        "max_power_kw": view.row.max_power_kw,
        "truncated": view.truncated,
    }


@router.post("/circuits/{circuit_id}")
async def change_circuit(
    request: Request, circuit_id: str, acting: ActingCaller, ctx: Server
) -> Response:
    """The settings form: the REST API's PATCH, guarded by the revision the page showed (a
    circuit changed meanwhile is 412, as a stale If-Match). An emptied limit field removes
    that limit, an emptied parent puts the circuit at the site connection; other empty fields
    leave their setting as it is. A refusal comes back as the circuit's page with the form as
    sent, each refusal beside its field (a parent below the circuit beside the parent)."""
    signed_in, fields = acting
    caller = check_whole_organization(check_role(signed_in.principal, Role.OPERATOR))
    sent: dict[str, object] = {k: v for k, v in fields.items() if k in SETTINGS}
    for name in CLEARABLE:
        if sent.get(name) == "":
            sent[name] = None  # an emptied field: no such limit or parent (PATCH with null)
    try:
        body = validated(CircuitPatch, sent)
        async with ctx.db.writing() as uow:
            service = CircuitService(uow, caller.organization_id, ctx.clock)
            row = await as_shown(service.circuits, circuit_id, fields, "circuit")
            await service.update(row, body.model_dump(exclude_unset=True))
            await uow.commit()
    except ROW_REFUSALS as refusal:
        form = refused(fields, SETTINGS_LABELS, refusal, keep=("revision",))
        return await refused_on_page(
            request, refusal, lambda: circuit(request, circuit_id, signed_in, ctx), edit_form=form
        )
    return RedirectResponse(f"/circuits/{circuit_id}", status.HTTP_303_SEE_OTHER)
