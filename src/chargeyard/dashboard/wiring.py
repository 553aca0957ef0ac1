"""A station's EVSE wiring as smart charging plans with it: for each EVSE, its supply, the lines
(phases) it draws from, its voltage and power range, and the circuit the station hangs on; set
with `PUT /api/v1/stations/{id}/wiring` (`WiringService.set`, its `WiringIn`).

An EVSE is planned with its own wiring, else its station's default (EVSE 0), else the assumed
3 x 32 A (`site_reader.wiring_row` and `wiring_of`, the controller's own rule, so the page says
what the planner uses). Every role reads it (a site-confined user for the stations of their
sites only); operators and admins of the whole organization set it (the REST API's
`OrganizationOperator`: the electrical tree spans sites, so a site-confined operator gets no
form and 403). A refused form comes back as sent, each refusal beside its field.
"""

from dataclasses import dataclass
from typing import Annotated

from fastapi import APIRouter, Query, Request, Response
from pydantic import Field

from chargeyard.api.dependencies import Server
from chargeyard.api.limits import INT_MAX
from chargeyard.api.schemas import Input
from chargeyard.circuits.repository import CircuitRepository
from chargeyard.dashboard.auth import ActingCaller, PageCaller, SignedIn
from chargeyard.dashboard.endpoints import base_context
from chargeyard.dashboard.field_form import FieldForm, refused
from chargeyard.dashboard.form_handling import form_sender, see_other
from chargeyard.dashboard.forms import listed, validated
from chargeyard.dashboard.rendering import DashboardRoute, render
from chargeyard.errors import Invalid
from chargeyard.evse_wiring.models import EvseWiringRow
from chargeyard.evse_wiring.repository import WiringRepository
from chargeyard.evse_wiring.schemas import WiringIn
from chargeyard.evse_wiring.service import WiringService
from chargeyard.load_management.domain import Wiring
from chargeyard.load_management.site_reader import wiring_of, wiring_row
from chargeyard.server_context import ServerContext
from chargeyard.site_scopes.scope import site_scope_of
from chargeyard.site_scopes.service import check_whole_organization
from chargeyard.smart_charging.electrical import Supply
from chargeyard.stations.models import Evse
from chargeyard.stations.repository import StationRepository

router = APIRouter(route_class=DashboardRoute, include_in_schema=False)

LABELS = {
    "evse_id": "EVSE",
    "supply": "Supply",
    "lines": "Lines",
    "voltage_v": "Voltage (V)",
    "power_factor": "Power factor",
    "max_power_kw": "Max power (kW)",
    "min_power_kw": "Min power (kW)",
    "power_step_kw": "Power step (kW)",
    "bidirectional": "Bidirectional",
    "rate_unit": "Profiles in",
    "priority": "Priority",
}
SUPPLIES = [
    (Supply.AC_THREE_PHASE_LN.value, "AC three-phase, voltage line-to-neutral"),
    (Supply.AC_THREE_PHASE_LL.value, "AC three-phase, voltage line-to-line"),
    (Supply.AC_SINGLE_PHASE.value, "AC single-phase"),
    (Supply.DC.value, "DC"),
]
RATE_UNITS = [("", "Learnt (W until the station says)"), ("W", "W"), ("A", "A")]
PRIORITIES = [("", "None")] + [(str(n), str(n)) for n in range(6)]
YES_NO = [("false", "No"), ("true", "Yes")]
EvseChoice = Annotated[int, Query(ge=0, le=INT_MAX)]


@dataclass(frozen=True)
class EvseWiring:
    """A row of the page: an EVSE, the wiring it is planned with and where that comes from
    ("own", "station": its station's default, "assumed")."""

    evse: Evse
    wiring: Wiring
    source: str


class WiringPlace(Input):
    """Which EVSE a form sets (the REST endpoint's `evse_id` query: 0, every EVSE)."""

    evse_id: int = Field(0, ge=0, le=INT_MAX)


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _values(evse_id: int, row: EvseWiringRow | None) -> dict[str, str]:
    """The form for `evse_id`, filled with the wiring it is planned with (WiringIn's defaults
    when none is set)."""
    if row is None:
        defaults = WiringIn().model_dump()
        values = {name: _text(defaults.get(name)) for name in LABELS}
        values["lines"] = " ".join(defaults["lines"])
    else:
        values = {name: _text(getattr(row, name, None)) for name in LABELS}
        values["lines"] = row.lines.replace(",", " ")
    return values | {"evse_id": str(evse_id)}


async def _page(
    request: Request,
    caller: SignedIn,
    ctx: ServerContext,
    station_id: str,
    evse_id: int = 0,
    form: FieldForm | None = None,
    status_code: int = 200,
) -> Response:
    organization_id = caller.principal.organization_id
    async with ctx.db.reading() as uow:
        station = await StationRepository(uow.session, organization_id).get(station_id)
        wiring = await WiringRepository(uow.session, organization_id).of_stations([station_id])
        rows = {(w.station_id, w.evse_id): w for w in wiring}
        circuits = CircuitRepository(uow.session, organization_id)
        circuit = await circuits.find(station.circuit_id) if station.circuit_id else None
    evses = []
    for evse in sorted(station.evses, key=lambda e: e.evse_id):
        if evse.evse_id == 0:
            continue
        row = wiring_row(rows, station_id, evse.evse_id)
        source = "own" if (station_id, evse.evse_id) in rows else "station" if row else "assumed"
        evses.append(EvseWiring(evse, wiring_of(row), source))
    scoped = site_scope_of(organization_id) is not None
    context = base_context(caller, "stations")
    if form is None:
        form = FieldForm(_values(evse_id, wiring_row(rows, station_id, evse_id)), labels=LABELS)
    context |= {
        "station": station,
        "circuit": circuit,
        "evses": evses,
        "default": rows.get((station_id, 0)),
        "default_wiring": wiring_of(rows.get((station_id, 0))),
        "may_edit": context["may_act"] and not scoped,
        "form": form,
        "evse_choices": [("0", "Every EVSE (station default)")]
        + [(str(e.evse.evse_id), f"EVSE {e.evse.evse_id}") for e in evses],
        "supplies": SUPPLIES,
        "supply_names": dict(SUPPLIES),
        "rate_units": RATE_UNITS,
        "priorities": PRIORITIES,
        "yes_no": YES_NO,
    }
    return render(request, "wiring.html", context, status_code)


@router.get("/stations/{station_id}/wiring")
async def wiring(
    request: Request, station_id: str, caller: PageCaller, ctx: Server, evse: EvseChoice = 0
) -> Response:
    """`evse` picks the EVSE the form sets, filled with what it is planned with now."""
    return await _page(request, caller, ctx, station_id, evse)


@router.post("/stations/{station_id}/wiring")
async def set_wiring(
    request: Request, station_id: str, acting: ActingCaller, ctx: Server
) -> Response:
    """`PUT /api/v1/stations/{id}/wiring?evse_id=` with every field of the form."""
    sender = form_sender(acting)
    check_whole_organization(sender.caller)
    fields = {name: sender.fields.get(name, "").strip() for name in LABELS}
    try:
        place = validated(WiringPlace, {"evse_id": fields["evse_id"]})
        body_fields = {k: v for k, v in fields.items() if k != "evse_id"}
        body = validated(WiringIn, body_fields | {"lines": listed(fields["lines"]) or ""})
        async with sender.writing(ctx) as uow:
            service = WiringService(uow, sender.organization_id, ctx.clock)
            await service.set(station_id, place.evse_id, body.model_dump())
    except Invalid as refusal:
        form = refused(sender.fields, LABELS, refusal, about="lines")
        evse_id = int(fields["evse_id"]) if fields["evse_id"].isdigit() else 0
        return await _page(request, acting[0], ctx, station_id, evse_id, form, refusal.status)
    return see_other(f"/stations/{station_id}/wiring?evse={place.evse_id}")
