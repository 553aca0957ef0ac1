"""Templates, and the route class that turns errors into pages instead of JSON problems.

Jinja2 autoescapes every template: a station's id or name is text, never markup.
"""

from collections.abc import Callable, Coroutine
from datetime import datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

from fastapi import Request, Response
from fastapi.exceptions import RequestValidationError
from fastapi.routing import APIRoute
from fastapi.templating import Jinja2Templates

from chargeyard.dashboard.sent_from import answers_on_page, page_refused
from chargeyard.dashboard.sessions import SessionKeys
from chargeyard.errors import ChargeyardError, Unauthenticated
from chargeyard.money import money_text

PACKAGE = Path(__file__).parent
templates = Jinja2Templates(directory=PACKAGE / "templates")


NOTHING = "\u2013"  # an en dash: the figure is not known


def kilowatts(watts: float | None) -> str:
    return NOTHING if watts is None else f"{watts / 1000:.1f} kW"


def kilowatt_hours(wh: float | None) -> str:
    return NOTHING if wh is None else f"{wh / 1000:.2f} kWh"


def money(amount: Decimal | None, currency: str) -> str:
    """An amount with its currency, in the currency's minor unit, as the REST API shows it."""
    return NOTHING if amount is None else f"{money_text(amount, currency)} {currency}"


def percent(fraction: float | None) -> str:
    """A KPI's share (0 to 1) as a percentage; nothing measured is a dash, not 0 %."""
    return NOTHING if fraction is None else f"{fraction * 100:.1f} %"


def duration(seconds: float | None) -> str:
    """A span in hours and minutes (under an hour: minutes; under a minute: seconds)."""
    if seconds is None:
        return NOTHING
    if seconds < 59.5:
        return f"{round(seconds)} s"
    minutes = round(seconds / 60)
    return f"{minutes // 60} h {minutes % 60:02d} min" if minutes >= 60 else f"{minutes} min"


def iso(moment: datetime | None) -> str:
    """An instant for `<time datetime>`; the page's script shows it in the browser's zone."""
    return "" if moment is None else moment.isoformat().replace("+00:00", "Z")


templates.env.filters.update(
    kw=kilowatts, kwh=kilowatt_hours, iso=iso, money=money, percent=percent, duration=duration
)


# Pages load scripts, styles and data from this origin only, and no other site may frame them.
SECURITY_HEADERS = {
    "Content-Security-Policy": "default-src 'self'; img-src 'self' data:; object-src 'none'; "
    "base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
    "Referrer-Policy": "same-origin",
    "X-Content-Type-Options": "nosniff",
    "Cache-Control": "no-store",
}


def render(
    request: Request, name: str, context: dict[str, Any], status_code: int = 200
) -> Response:
    """A page; a refused form sent from it (`form_handling.refused_on_page`) replaces parts of
    its context: a row button's refusal in the banner, an edit form as sent."""
    shown = {"refusal": None} | context | getattr(request.state, "shown", {})
    return templates.TemplateResponse(
        request, name, shown, status_code=status_code, headers=SECURITY_HEADERS
    )


def sign_in_page(request: Request, *, error: str | None = None, status_code: int = 200) -> Response:
    keys: SessionKeys = request.app.state.dashboard_keys
    clock = request.app.state.ctx.clock
    target = request.url.path if request.method == "GET" else "/"
    if request.url.query and request.method == "GET":
        target += f"?{request.url.query}"
    context = {
        "sign_in_token": keys.sign_in_token(clock()),
        "next": target,
        "error": error,
        "caller": None,
    }
    return render(request, "sign_in.html", context, status_code)


def error_page(request: Request, status: int, title: str, detail: str) -> Response:
    context = {"status": status, "title": title, "detail": detail, "caller": None}
    return render(request, "error.html", context, status)


class DashboardRoute(APIRoute):
    """A dashboard route answers errors as pages: the sign-in page for a caller who is not
    signed in (200 at `/`, so the front door always opens; 401 elsewhere); a form or row
    button the service refused, the page it was sent from with the refusal above it
    (`sent_from`); an error page otherwise. The status codes are the REST API's."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()

        async def handle(request: Request) -> Response:
            try:
                return await handler(request)
            except Unauthenticated as error:
                if request.method == "GET":
                    status = 200 if request.url.path == "/" else 401
                    return sign_in_page(request, status_code=status)
                return error_page(request, error.status, error.title, error.detail)
            except ChargeyardError as error:
                if request.method == "POST" and answers_on_page(error):
                    page = await page_refused(request, error, DashboardRoute)
                    if page is not None:
                        return page
                return error_page(request, error.status, error.title, error.detail)
            except RequestValidationError as error:
                detail = "; ".join(str(e.get("msg", "")) for e in error.errors())
                return error_page(request, 422, "Invalid input", detail)

        return handle
