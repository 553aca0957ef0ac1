"""The organization's event log as `/api/v1/events` has it: newest first, filtered on the server
by type (`session.*`, or several patterns comma-separated) and station, a page at a time, each
event with its data as a webhook receiver gets it. The page is where an operator looks first when
asking "what happened at that station?": boots, disconnects, commands and their answers, limits
put in force, alerts. A site-confined caller sees its sites' events only (the same scoped
repository); a pattern the API would refuse is answered 422 here too (`check_pattern`)."""

import json
from dataclasses import dataclass
from typing import Annotated

from fastapi import APIRouter, Query, Request, Response

from chargeyard.api.dependencies import Server
from chargeyard.dashboard.auth import PageCaller
from chargeyard.dashboard.endpoints import PageNumber, base_context
from chargeyard.dashboard.form_handling import page_slice, paging
from chargeyard.dashboard.rendering import DashboardRoute, render
from chargeyard.events.domain import EventFilter, check_pattern
from chargeyard.events.models import Event
from chargeyard.events.repository import EventRepository

router = APIRouter(route_class=DashboardRoute, include_in_schema=False)

SUMMARY_CHARS = 160
"""An event's data is shown in full only when asked for (`<details>`): a MeterValues event
carries every sample, and a page of them would bury the types and times."""


@dataclass(frozen=True)
class EventLine:
    event: Event
    text: str
    """The event's data as compact JSON."""

    @property
    def summary(self) -> str:
        if len(self.text) <= SUMMARY_CHARS:
            return self.text
        return self.text[: SUMMARY_CHARS - 1] + "…"


@router.get("/events")
async def events(
    request: Request,
    caller: PageCaller,
    ctx: Server,
    type: Annotated[str | None, Query(max_length=400)] = None,
    station: Annotated[str | None, Query(max_length=64)] = None,
    page: PageNumber = 1,
) -> Response:
    patterns = tuple(
        check_pattern(pattern.strip()) for pattern in (type or "").split(",") if pattern.strip()
    )
    where = EventFilter(types=patterns, station_id=station.strip() or None if station else None)
    async with ctx.db.reading() as uow:
        found = await EventRepository(uow.session, caller.principal.organization_id).search(
            where, page_slice(page), "desc"
        )
    context = (
        base_context(caller, "events")
        | paging(found.total, page)
        | {
            "events": [EventLine(event, _compact(event.data)) for event in found.items],
            "type": type or "",
            "station": station or "",
        }
    )
    return render(request, "events.html", context)


def _compact(data: object) -> str:
    return json.dumps(data, ensure_ascii=False, separators=(", ", ": "), default=str)
