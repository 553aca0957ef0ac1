"""The tariff form's price lines, to and from a tariff's OCPI elements. Pure: no I/O.

A line is one element with one price component, in force at all times or between two times of
day: what most tariffs are (a price per kWh, cheaper at night, a session fee, parking by the
hour). A tariff built otherwise through the REST API (several components in an element, or
restrictions by date, energy, power, duration or weekday) has no lines: the form then leaves
its prices alone and changes only the rest. The body built here is checked by the REST API's
own models (`TariffCreate`, `TariffPatch`).
"""

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from chargeyard.tariffs.domain import Dimension

MAX_LINES = 8
BLANK_LINES = 2
"""Empty lines the form offers beyond a tariff's own."""
DIMENSIONS = tuple(d.value for d in Dimension)
TIMES = ("start_time", "end_time")
CLEARABLE = ("tax_rate", "min_price", "max_price")
SCALARS = ("currency", "tax_rate", "min_price", "max_price", "prices_include_tax")
"""The pricing fields besides the elements (changing any makes a new version)."""


@dataclass(frozen=True)
class PriceLine:
    type: str = "ENERGY"
    price: str = ""
    step_size: str = "1"
    vat: str = ""
    start_time: str = ""
    end_time: str = ""


def lines_of(definition: Mapping[str, Any]) -> list[PriceLine] | None:
    """A tariff's elements as lines, or None when one of them does not fit a line."""
    lines = []
    for element in definition.get("elements", []):
        components = element.get("price_components", [])
        restrictions = element.get("restrictions") or {}
        if len(components) != 1 or any(
            value not in (None, "", []) for key, value in restrictions.items() if key not in TIMES
        ):
            return None
        c = components[0]
        lines.append(
            PriceLine(
                c["type"],
                str(c["price"]),
                str(c.get("step_size", 1)),
                "" if c.get("vat") is None else str(c["vat"]),
                restrictions.get("start_time") or "",
                restrictions.get("end_time") or "",
            )
        )
    return lines


def form_lines(lines: list[PriceLine]) -> list[PriceLine]:
    """What the form shows: the tariff's lines and a few empty ones, up to the maximum."""
    return (lines + [PriceLine()] * BLANK_LINES)[: max(MAX_LINES, len(lines))]


def elements_of(form: Mapping[str, str]) -> list[dict[str, Any]]:
    """The elements of the form's lines, in order; a line without a price is no line."""
    elements = []
    for i in range(MAX_LINES):
        field = {
            name: form.get(f"line-{i}-{name}", "").strip() for name in PriceLine.__annotations__
        }
        if not field["price"]:
            continue
        component: dict[str, Any] = {"type": field["type"], "price": field["price"]}
        if field["step_size"]:
            component["step_size"] = field["step_size"]
        if field["vat"]:
            component["vat"] = field["vat"]
        element: dict[str, Any] = {"price_components": [component]}
        times = {name: field[name] for name in TIMES if field[name]}
        if times:
            element["restrictions"] = times
        elements.append(element)
    return elements


def tariff_body(form: Mapping[str, str], *, with_lines: bool) -> dict[str, Any]:
    """A tariff body from the form: its name, description, default flag and pricing fields,
    and its elements when the form showed lines. Empty fields are left out (the body model's
    defaults apply, or the tariff keeps its value) but for the tax rate, minimum and maximum
    price, which an emptied field removes."""
    body: dict[str, Any] = {
        name: form[name]
        for name in ("name", "description", "is_default", *SCALARS)
        if form.get(name, "") != ""
    }
    body |= {k: body[k] == "true" for k in ("prices_include_tax", "is_default") if k in body}
    body |= {k: None for k in CLEARABLE if form.get(k) == ""}
    if with_lines:
        body["elements"] = elements_of(form)
    return body
