"""The dashboard's pages: overview, stations, a station, sessions, a session.

Each page reads through the same scoped repositories as the REST API, as its caller (viewer
and up); live updates come from `live.py`.
"""

from collections.abc import Sequence
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request, Response

from chargeyard.api.dependencies import Server
from chargeyard.cdrs.repository import CdrRepository
from chargeyard.commands.device_management import CertificateIdUse, InstallCertificateUse
from chargeyard.dashboard.auth import PageCaller, SignedIn
from chargeyard.dashboard.domain import TRIGGERS, map_points
from chargeyard.dashboard.field_form import FieldForm
from chargeyard.dashboard.rendering import DashboardRoute, render
from chargeyard.dashboard.repository import DashboardRepository
from chargeyard.energy_costs.repository import EnergyCostRepository
from chargeyard.errors import Invalid
from chargeyard.locations.models import Location
from chargeyard.message_log.repository import MessageLogRepository
from chargeyard.organizations.domain import Role
from chargeyard.reservations.repository import ReservationRepository
from chargeyard.security_events.domain import SecurityEventFilter
from chargeyard.security_events.repository import SecurityEventRepository
from chargeyard.server_context import ServerContext
from chargeyard.stations.domain import ConnectorStatus
from chargeyard.stations.models import Station
from chargeyard.stations.repository import StationRepository
from chargeyard.storage.repository import Page
from chargeyard.tariffs.models import Tariff
from chargeyard.transactions.repository import TransactionRepository

router = APIRouter(route_class=DashboardRoute, include_in_schema=False)

PAGE_SIZE = 50
LOCATION_CHOICES = 500
PLACE_LABELS = {"location_id": "Place at"}
"""The placement form's control (`station_placement.py`)."""
"""The locations a filter offers, by name; a link may name any."""
PageNumber = Annotated[int, Query(ge=1, le=100_000)]
STATUSES = [s.value for s in ConnectorStatus]
"""What the stations list filters by, as the REST list's `status`."""


def base_context(caller: SignedIn, section: str) -> dict[str, Any]:
    return {
        "caller": caller,
        "section": section,
        "may_act": caller.may(Role.OPERATOR),
        "is_admin": caller.may(Role.ADMIN),
    }


@router.get("/")
async def overview(request: Request, caller: PageCaller, ctx: Server) -> Response:
    async with ctx.db.reading() as uow:
        repository = DashboardRepository(uow.session, caller.principal.organization_id)
        counts = await repository.overview()
        locations = await repository.locations_with_stations()
    located = [
        (loc.name, loc.latitude, loc.longitude, n)
        for loc, n in locations
        if loc.latitude is not None and loc.longitude is not None
    ]
    context = base_context(caller, "overview") | {
        "counts": counts,
        "locations": locations,
        "points": map_points(located),
    }
    return render(request, "overview.html", context)


@router.get("/overview/counts")
async def overview_counts(request: Request, caller: PageCaller, ctx: Server) -> Response:
    """The overview's figures alone, which the page fetches again when events arrive."""
    async with ctx.db.reading() as uow:
        counts = await DashboardRepository(uow.session, caller.principal.organization_id).overview()
    return render(request, "_counts.html", {"counts": counts})


@router.get("/stations")
async def stations(
    request: Request,
    caller: PageCaller,
    ctx: Server,
    q: Annotated[str | None, Query(max_length=100)] = None,
    connected: Annotated[str | None, Query(pattern="^(|yes|no)$")] = None,
    location: Annotated[str | None, Query(max_length=32)] = None,
    station_status: Annotated[str, Query(alias="status", max_length=16)] = "",
    page: PageNumber = 1,
) -> Response:
    if station_status and station_status not in STATUSES:
        raise Invalid(f"status: one of {', '.join(STATUSES)}")
    online = {"yes": True, "no": False}.get(connected or "")
    async with ctx.db.reading() as uow:
        repository = DashboardRepository(uow.session, caller.principal.organization_id)
        found = await repository.search_stations(
            Page((page - 1) * PAGE_SIZE, PAGE_SIZE),
            q,
            online,
            location or None,
            station_status or None,
        )
        locations = await repository.locations.search(Page(0, LOCATION_CHOICES))
    context = base_context(caller, "stations") | {
        "locations": locations.items,
        "location": location or "",
        "stations": found.items,
        "total": found.total,
        "page": page,
        "pages": max(1, -(-found.total // PAGE_SIZE)),
        "q": q or "",
        "connected": connected or "",
        "status_filter": station_status,
        "statuses": STATUSES,
    }
    return render(request, "stations.html", context)


async def station_context(ctx: ServerContext, caller: SignedIn, station_id: str) -> dict[str, Any]:
    """Everything the station page shows; `NotFound` for a station of another organization."""
    organization_id = caller.principal.organization_id
    async with ctx.db.reading() as uow:
        station = await StationRepository(uow.session, organization_id).get(station_id)
        transactions = TransactionRepository(uow.session, organization_id)
        recent = await transactions.search(Page(0, 10), station_id=station_id)
        active = await transactions.search(Page(0, 20), station_id=station_id, active=True)
        messages = await MessageLogRepository(uow.session, organization_id).search(
            Page(0, 20), station_id=station_id
        )
        security = await SecurityEventRepository(uow.session, organization_id).search(
            Page(0, 10), SecurityEventFilter(station_id=station_id)
        )
        repository = DashboardRepository(uow.session, organization_id)
        maintenance = await repository.maintenance_of(station, ctx.clock())
        location_name = (await repository.names(Location, [station.location_id])).get(
            station.location_id or ""
        )
        acting = caller.may(Role.OPERATOR) and caller.csrf_token is not None
        places = await repository.locations.search(Page(0, LOCATION_CHOICES)) if acting else None
        reservations = await ReservationRepository(uow.session, organization_id).search(
            Page(0, 20), station_id=station_id, active=True
        )
    return base_context(caller, "stations") | {
        "station": station,
        "evses": sorted(station.evses, key=lambda e: e.evse_id),
        "recent_sessions": recent.items,
        "active_sessions": active.items,
        "messages": messages.items,
        "security_events": security.items,
        "maintenance": maintenance,
        "location_name": location_name,
        "place_choices": _place_choices(places.items if places else [], station, location_name),
        "place_form": FieldForm(
            {"location_id": station.location_id or "", "revision": str(station.revision)},
            labels=PLACE_LABELS,
        ),
        "reservations": reservations.items,
        "result": None,
        "triggers": TRIGGERS,
        "certificate_id_uses": [use.value for use in CertificateIdUse],
        "certificate_install_uses": [use.value for use in InstallCertificateUse],
    }


def _place_choices(
    places: Sequence[Location], station: Station, location_name: str | None
) -> list[tuple[str, str]]:
    """The placement form's choices: none, the first locations, and the station's own."""
    choices = [("", "No location")] + [(loc.id, loc.name) for loc in places]
    if station.location_id and station.location_id not in {loc.id for loc in places}:
        choices.append((station.location_id, location_name or station.location_id))
    return choices


@router.get("/stations/{station_id}")
async def station(request: Request, station_id: str, caller: PageCaller, ctx: Server) -> Response:
    return render(request, "station.html", await station_context(ctx, caller, station_id))


@router.get("/sessions")
async def sessions(
    request: Request,
    caller: PageCaller,
    ctx: Server,
    station: Annotated[str | None, Query(max_length=64)] = None,
    state: Annotated[str | None, Query(pattern="^(|active|stopped)$")] = None,
    page: PageNumber = 1,
) -> Response:
    active = {"active": True, "stopped": False}.get(state or "")
    async with ctx.db.reading() as uow:
        found = await TransactionRepository(uow.session, caller.principal.organization_id).search(
            Page((page - 1) * PAGE_SIZE, PAGE_SIZE), station_id=station or None, active=active
        )
    context = base_context(caller, "sessions") | {
        "sessions": found.items,
        "total": found.total,
        "page": page,
        "pages": max(1, -(-found.total // PAGE_SIZE)),
        "station": station or "",
        "state": state or "",
    }
    return render(request, "sessions.html", context)


@router.get("/sessions/{transaction_id}")
async def session(
    request: Request, transaction_id: int, caller: PageCaller, ctx: Server
) -> Response:
    """A session's facts, its cost (live while it runs) and its CDR once priced, what its
    electricity cost the operator once it stopped priced (`/api/v1/transactions/{id}/
    energy-cost`), and its plot."""
    organization_id = caller.principal.organization_id
    async with ctx.db.reading() as uow:
        found = await TransactionRepository(uow.session, organization_id).get(transaction_id)
        cdrs = CdrRepository(uow.session, organization_id)
        cdr = await cdrs.for_transaction(found.id)
        credited = cdr is not None and await cdrs.credit_of(cdr.id) is not None
        tariffs = await DashboardRepository(uow.session, organization_id).names(
            Tariff, [found.tariff_id]
        )
        energy_cost = await EnergyCostRepository(uow.session, organization_id).find(found.id)
    context = base_context(caller, "sessions") | {
        "tx": found,
        "energy_cost": energy_cost,
        "cdr": cdr,
        "credited": credited,
        "tariff_name": tariffs.get(found.tariff_id or ""),
    }
    return render(request, "session.html", context)
